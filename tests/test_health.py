"""GET /api/health: no auth, 200 with the reference's fields, 503 when the database does not answer."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tiemeasureflow import __version__
from tiemeasureflow.app import create_app

from .fixtures.app import make_settings
from .fixtures.database import USING_POSTGRES


def test_health_answers_without_a_key(client):
    res = client.get("/api/health")
    assert res.status_code == 200
    assert res.json() == {"status": "ok", "service": "TieMeasureFlow API", "version": __version__, "database": "ok"}


def test_health_is_not_rate_limited(database_url, tmp_path):
    app = create_app(make_settings(database_url, tmp_path / "d", rate_limit_general=2))
    with TestClient(app) as client:
        assert {client.get("/api/health").status_code for _ in range(5)} == {200}
    app.state.engine.dispose()


def test_health_is_503_with_a_clear_body_when_the_database_does_not_answer(tmp_path, caplog):
    # Nothing listens on port 1; a SQLite file in a folder that does not exist cannot be opened.
    url = ("postgresql://postgres@127.0.0.1:1/nowhere" if USING_POSTGRES
           else f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite'}")
    app = create_app(make_settings(url, tmp_path / "data"))
    with TestClient(app, raise_server_exceptions=False) as client:
        res = client.get("/api/health")
    app.state.engine.dispose()
    assert res.status_code == 503
    assert res.json() == {"detail": "Database unavailable", "status": "error", "service": "TieMeasureFlow API",
                          "version": __version__, "database": "unavailable"}
    assert "Traceback" not in res.text
    assert "database unavailable" in caplog.text
