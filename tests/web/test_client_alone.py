"""The station client runs without SQLAlchemy or any server module: it reaches the server over HTTP only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import pytest

from tests.fixtures.live import free_port

# Outside `web`, the client may load its own settings, the constant vocabularies it shows and the
# standard-library rule of which proxies it trusts.
ALLOWED = {"tiemeasureflow", "tiemeasureflow.config", "tiemeasureflow.config.client", "tiemeasureflow.config.shared",
           "tiemeasureflow.kit", "tiemeasureflow.kit.proxies", "tiemeasureflow.kit.vocabulary", "tiemeasureflow.recipes",
           "tiemeasureflow.recipes.catalog"}
# `tmf client` also loads the command's entry and its own command module.
COMMAND = {"tiemeasureflow.__main__", "tiemeasureflow.launcher", "tiemeasureflow.client_cli"}

BUILD_THE_CLIENT = """
import json, sys
from tiemeasureflow.web.serving import run_client
from tiemeasureflow.web.app import create_web_app
app = create_web_app(api_url="http://127.0.0.1:9", station_code="ST-1")
assert app.test_client().get("/login").status_code == 200
print(json.dumps(sorted(sys.modules)))
"""


def assert_client_code_only(loaded: set[str], allowed: set[str]) -> None:
    assert "sqlalchemy" not in loaded and "alembic" not in loaded and "psycopg" not in loaded
    ours = {m for m in loaded if m == "tiemeasureflow" or m.startswith("tiemeasureflow.")}
    assert "tiemeasureflow.web.app" in ours and "tiemeasureflow.web.measure" in ours
    assert {m for m in ours if not m.startswith("tiemeasureflow.web")} <= allowed
    assert "tiemeasureflow.models" not in ours and "tiemeasureflow.kit.db" not in ours


def test_building_the_station_client_loads_no_database_code(tmp_path):
    env = {**os.environ, "DATA_DIR": str(tmp_path), "SECRET_KEY": "client-only"}
    done = subprocess.run([sys.executable, "-c", BUILD_THE_CLIENT], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert_client_code_only(set(json.loads(done.stdout.splitlines()[-1])), ALLOWED)


def test_tmf_client_serves_its_pages_without_loading_database_code(tmp_path):
    # -X importtime lists every module the process imports, up to the moment it is stopped.
    port, log = free_port(), tmp_path / "imports.log"
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": "client-only"}
    with open(log, "w") as stderr:
        proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "tiemeasureflow", "client", "--port", str(port),
                                 "--api-url", "http://127.0.0.1:9", "--station-code", "ST-1"],
                                env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"client exited: {log.read_text()[-2000:]}")
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the client did not start"
                time.sleep(0.2)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    loaded = {line.rsplit("|", 1)[1].strip() for line in log.read_text().splitlines()
              if line.startswith("import time:") and "imported package" not in line}
    assert_client_code_only(loaded, ALLOWED | COMMAND)
