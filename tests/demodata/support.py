"""Demo data made through `tmf demo-data`, read back through the HTTP API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tiemeasureflow.app import create_app
from tiemeasureflow.cli import app as cli

from ..fixtures.app import TEST_PEPPER, make_settings

INTEGRATION = "/integration/api/v1"
# Small enough for the suite: about 300 station runs over ten days (every revision day included).
SMALL = ("--runs", "300", "--days", "10")
PASSWORDS = {"admin": "demo-admin", "maker": "demo-maker", "operator": "demo-operator",
             "metrologist": "demo-metrologist"}


def env_for(database_url: str, data_dir: Path) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "DATA_DIR": str(data_dir), "SECRET_KEY": TEST_PEPPER}


def demo_data(database_url: str, data_dir: Path, seed: int, *extra: str):
    """Run `tmf demo-data` into the database; fails the test if the command fails."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    result = CliRunner().invoke(cli, ["demo-data", *SMALL, "--seed", str(seed), *extra],
                                env=env_for(database_url, data_dir))
    assert result.exit_code == 0, result.output
    return result


@contextmanager
def api(database_url: str, data_dir: Path) -> Iterator[TestClient]:
    """An HTTP client on the API serving that database and data folder."""
    app = create_app(make_settings(database_url, data_dir))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client
    finally:
        app.state.engine.dispose()


def login(client: TestClient, username: str) -> dict[str, str]:
    """Sign in with a demo account's printed password; returns the key header."""
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORDS[username]})
    assert response.status_code == 200, response.text
    return {"X-API-Key": response.json()["api_key"]}


def integration_key(database_url: str, data_dir: Path) -> dict[str, str]:
    """A public API key made with `tmf keys create`; returns the key header."""
    result = CliRunner().invoke(cli, ["keys", "create", "--kind", "integration", "--name", "demo reader"],
                                env=env_for(database_url, data_dir))
    assert result.exit_code == 0, result.output
    return {"X-API-KEY": result.stdout.strip()}


def public_runs(client: TestClient, key: dict[str, str], **filters) -> list[dict]:
    """Every run of the public API list, oldest first, following the cursor."""
    runs, params = [], {"limit": 1000, **filters}
    while True:
        response = client.get(f"{INTEGRATION}/test_run", params=params, headers=key)
        assert response.status_code == 200, response.text
        runs += response.json()
        cursor = response.headers.get("X-Next-Cursor")
        if not cursor:
            return runs
        params = {**params, "cursor": cursor}


def measurements_csv(client: TestClient, headers: dict[str, str]) -> list[list[str]]:
    """Every stored value (corrected ones too) from the CSV export, in id order, without the header."""
    response = client.get("/api/measurements/export/csv", params={"include_superseded": "true"}, headers=headers)
    assert response.status_code == 200, response.text
    lines = response.text.strip().splitlines()
    return [line.split(",") for line in lines[1:]]
