"""The tmf command: migrate, serve's schema check, users, keys, config and audit, from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tiemeasureflow.app import create_app
from tiemeasureflow.cli import app as cli
from tiemeasureflow.config.client import ClientSettings
from tiemeasureflow.config.server import Settings

from .fixtures.app import TEST_PEPPER, make_settings
from .fixtures.database import USING_POSTGRES

TMF = Path(sys.executable).parent / "tmf"


@pytest.fixture
def elsewhere(tmp_path, monkeypatch) -> Path:
    """A start directory far from the repository, with none of the variables set."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    start = tmp_path / "some" / "other" / "place"
    start.mkdir(parents=True)
    monkeypatch.chdir(start)
    return start


def tmf(*args: str, env: dict[str, str], input: str | None = None):
    """Run the CLI in process; stdout and stderr come back separately."""
    return CliRunner().invoke(cli, list(args), env=env, input=input)


def tmf_process(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed tmf command as a separate process."""
    clean = {k: v for k, v in os.environ.items() if k.upper() not in {n.upper() for n in Settings.model_fields}}
    return subprocess.run([str(TMF), *args], env={**clean, **env}, cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def db_env(database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER, **extra}


def test_migrate_works_from_any_directory_and_serve_refuses_before_it(empty_database_url, elsewhere, tmp_path):
    env = db_env(empty_database_url, tmp_path)
    refused = tmf_process("serve", "--port", "1", env=env, cwd=elsewhere)
    assert refused.returncode == 1 and "run `tmf migrate` first" in refused.stderr
    migrated = tmf_process("migrate", env=env, cwd=elsewhere)
    assert migrated.returncode == 0, migrated.stderr
    assert "newest schema version" in migrated.stdout
    assert tmf("audit", "verify", env=env).exit_code == 0
    assert tmf_process("migrate", env=env, cwd=elsewhere).returncode == 0


def test_keys_create_prints_the_key_alone_on_stdout(database_url, elsewhere, tmp_path, admin, client):
    env = db_env(database_url, tmp_path)
    done = tmf_process("keys", "create", "--kind", "integration", "--name", "ERP reader", env=env, cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    [key] = done.stdout.splitlines()
    assert done.stdout == key + "\n" and key.startswith("tmf_") and key not in done.stderr
    assert "shown once" in done.stderr
    # An integration key is not a way into the reference API.
    assert client.get("/api/auth/me", headers={"X-API-Key": key}).status_code == 401
    [event] = client.get("/api/audit", params={"entity_type": "api_key"}, headers=admin.headers).json()["items"]
    assert event["new_values"] == {"kind": "integration", "name": "ERP reader", "via": "cli"}
    assert event["entity_id"] == key.split("_")[1]


def test_keys_create_refuses_other_kinds_and_bad_names(database_url, elsewhere, tmp_path):
    env = db_env(database_url, tmp_path)
    for args in (["--kind", "session", "--name", "x"], ["--kind", "admin", "--name", "x"],
                 ["--kind", "stand", "--name", ""], ["--kind", "stand", "--name", "x" * 256]):
        result = tmf("keys", "create", *args, env=env)
        assert result.exit_code == 2 and result.stdout == "", args


def test_stand_keys_are_created_too(database_url, elsewhere, tmp_path):
    result = tmf("keys", "create", "--kind", "stand", "--name", "Stand 1", env=db_env(database_url, tmp_path))
    assert result.exit_code == 0 and result.stdout.strip().startswith("tmf_")


def test_users_create_makes_a_user_who_can_sign_in(database_url, elsewhere, tmp_path, client):
    env = db_env(database_url, tmp_path)
    result = tmf("users", "create", "olga", "--password", "olga-password", "--role", "Metrologist",
                 "--role", "Maker", "--admin", env=env)
    assert result.exit_code == 0, result.output
    login = client.post("/api/auth/login", json={"username": "olga", "password": "olga-password"})
    assert login.status_code == 200
    user = login.json()["user"]
    assert (user["roles"], user["is_admin"], user["display_name"]) == (["Maker", "Metrologist"], True, "olga")


def test_users_create_prompts_for_the_password(database_url, elsewhere, tmp_path, client):
    result = tmf("users", "create", "pia", env=db_env(database_url, tmp_path), input="pia-password\n")
    assert result.exit_code == 0, result.output
    assert client.post("/api/auth/login", json={"username": "pia", "password": "pia-password"}).status_code == 200


def test_users_create_refuses_bad_roles_and_duplicates(database_url, elsewhere, tmp_path):
    env = db_env(database_url, tmp_path)
    bad = tmf("users", "create", "quinn", "--password", "quinn-password", "--role", "Boss", env=env)
    assert bad.exit_code == 2 and "roles" in bad.stderr
    assert tmf("users", "create", "quinn", "--password", "quinn-password", env=env).exit_code == 0
    again = tmf("users", "create", "quinn", "--password", "quinn-password", env=env)
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_config_lists_every_variable_with_its_default_and_masks_secrets(elsewhere):
    env = {"SECRET_KEY": "very-secret-pepper", "DATABASE_URL": "postgresql://tmf:db-password@db/tmf",
           "RATE_LIMIT_STORAGE_URL": "redis://:redis-password@cache:6379/0", "COLUMNS": "250"}
    result = tmf("config", env=env)
    assert result.exit_code == 0
    for name in {**Settings.model_fields, **ClientSettings.model_fields}:
        assert name.upper() in result.stdout, name
    for secret in ("very-secret-pepper", "db-password", "redis-password"):
        assert secret not in result.stdout
    assert "postgresql://tmf:***@db/tmf" in result.stdout
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") >= 4}
    assert "50" in rows["MAX_UPLOAD_SIZE_MB"] and "300" in rows["RATE_LIMIT_GENERAL"]
    assert "memory://" in rows["RATE_LIMIT_STORAGE_URL"]


def test_config_reads_dotenv_and_resolves_paths_against_the_start_directory(elsewhere):
    (elsewhere / ".env").write_text("DATA_DIR=plant\nRATE_LIMIT_LOGIN=8\n")
    result = tmf("config", env={"COLUMNS": "250"})
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") >= 4}
    assert str(elsewhere / "plant") in rows["DATA_DIR"] and "│ 8 " in rows["RATE_LIMIT_LOGIN"]


def test_without_secret_key_the_generated_one_survives_a_restart(database_url, elsewhere, tmp_path, factory):
    user = factory.user(username="restart")
    data = tmp_path / "kept"

    def app_for(data_dir: Path):
        return create_app(make_settings(database_url, data_dir, secret_key=None))

    first = app_for(data)
    with TestClient(first) as client:
        key = client.post("/api/auth/login", json={"username": "restart", "password": user.password}).json()["api_key"]
    first.state.engine.dispose()
    for data_dir, expected in ((data, 200), (tmp_path / "another", 401)):
        later = app_for(data_dir)
        with TestClient(later) as client:
            assert client.get("/api/auth/me", headers={"X-API-Key": key}).status_code == expected
        later.state.engine.dispose()
    assert oct((data / "secret_key").stat().st_mode & 0o777) == "0o600"


def _spellings(database_url: str, start: Path) -> list[str]:
    if USING_POSTGRES:
        plain = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        return [plain, plain.replace("postgresql://", "postgresql+psycopg://", 1)]
    path = Path(database_url.removeprefix("sqlite:///"))
    return [database_url, f"sqlite:///{os.path.relpath(path, start)}"]


def test_database_url_spellings_reach_the_same_database(database_url, elsewhere, tmp_path, factory):
    factory.user(username="someone")
    for url in _spellings(database_url, elsewhere):
        result = tmf("users", "create", "someone", "--password", "some-password", env=db_env(url, tmp_path))
        assert result.exit_code == 1 and "already exists" in result.stderr, url
