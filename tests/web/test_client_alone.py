"""The station client starts without SQLAlchemy or any server module: it reaches the server over HTTP only."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Outside `web`, the client may load its own settings and the constant vocabularies it shows.
ALLOWED = {"tiemeasureflow", "tiemeasureflow.config", "tiemeasureflow.config.client", "tiemeasureflow.config.shared",
           "tiemeasureflow.kit", "tiemeasureflow.kit.vocabulary", "tiemeasureflow.recipes",
           "tiemeasureflow.recipes.catalog"}

BUILD_THE_CLIENT = """
import json, sys
from tiemeasureflow.web.serving import run_client
from tiemeasureflow.web.app import create_web_app
app = create_web_app(api_url="http://127.0.0.1:9", station_code="ST-1")
assert app.test_client().get("/login").status_code == 200
print(json.dumps(sorted(sys.modules)))
"""


def test_the_station_client_loads_no_database_code(tmp_path):
    env = {**os.environ, "DATA_DIR": str(tmp_path), "SECRET_KEY": "client-only"}
    done = subprocess.run([sys.executable, "-c", BUILD_THE_CLIENT], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    assert "sqlalchemy" not in loaded and "alembic" not in loaded
    ours = {m for m in loaded if m == "tiemeasureflow" or m.startswith("tiemeasureflow.")}
    assert any(m.startswith("tiemeasureflow.web.") for m in ours)
    assert {m for m in ours if not m.startswith("tiemeasureflow.web")} <= ALLOWED
    assert "tiemeasureflow.models" not in ours and "tiemeasureflow.kit.db" not in ours
