"""The request's unit of work: committed before the answer, and safe for concurrent SQLite writers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tiemeasureflow.app import create_app
from tiemeasureflow.auth.deps import SessionDep, get_session
from tiemeasureflow.cli import app as cli
from tiemeasureflow.models import User

from .fixtures.app import TEST_PEPPER, make_settings

probe = APIRouter(prefix="/probe")


@probe.post("/late-failure", status_code=201)
def add_a_duplicate_user(session: SessionDep):
    # Not flushed: the unique constraint only fails when the unit of work commits.
    session.add(User(username="admin", password_hash="x", display_name="Clone", roles=[]))
    return {"created": True}


def test_a_commit_that_fails_is_an_error_not_a_success(database_url, tmp_path, factory):
    app = create_app(make_settings(database_url, tmp_path / "data"))
    app.include_router(probe, prefix="/api")
    admin = factory.user(admin=True, username="admin")
    with TestClient(app, raise_server_exceptions=False) as client:
        res = client.post("/api/probe/late-failure")
        assert res.status_code == 500 and res.json()["detail"] == "Internal server error"
        assert [u["username"] for u in client.get("/api/users", headers=admin.headers).json()] == ["admin"]
    app.state.engine.dispose()


def _routes(routes):
    for route in routes:
        if hasattr(route, "dependant"):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)


def _session_scopes(dependant):
    for dep in dependant.dependencies:
        if dep.call is get_session:
            yield dep.scope
        yield from _session_scopes(dep)


def test_every_route_commits_before_it_answers(app):
    # A request-scoped session would commit after the response is sent: a failed write could be acknowledged.
    checked = 0
    for route in _routes(app.router.routes):
        for scope in _session_scopes(route.dependant):
            assert scope == "function", f"{route.path} takes a session without SessionDep"
            checked += 1
    assert checked > 10


def test_concurrent_writers_all_succeed_and_keep_the_audit_chain(client, factory, admin, database_url, tmp_path,
                                                                 monkeypatch):
    users = [factory.user(username=f"writer{i}") for i in range(4)]

    def work(index: int) -> list[int]:
        user, statuses = users[index], []
        for step in range(8):
            if step % 4 == 0:
                res = client.post("/api/users", headers=admin.headers, json={
                    "username": f"made-{index}-{step}", "password": "password-1", "display_name": "Made"})
            elif step % 2:
                res = client.put("/api/settings/", headers=admin.headers, json={f"writer_{index}": str(step)})
            else:
                res = client.put("/api/auth/me", headers=user.headers, json={"display_name": f"W{index}-{step}"})
            statuses.append(res.status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        results = list(pool.map(work, range(len(users))))
    assert all(status in (200, 201) for statuses in results for status in statuses), results
    settings = client.get("/api/settings/", headers=admin.headers).json()
    assert {settings[f"writer_{i}"] for i in range(len(users))} == {"7"}
    assert client.get("/api/audit", params={"per_page": 1}, headers=admin.headers).json()["total"] == 4 * 8
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["audit", "verify"], env={
        "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER})
    assert result.exit_code == 0 and "32 events verified" in result.output, result.output


def test_the_servers_sqlite_connections_survive_power_loss(tmp_path):
    # The embedded default: WAL with a sync at every commit, on every pooled connection.
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'durable.db'}", tmp_path))
    connections = [app.state.engine.connect() for _ in range(3)]
    try:
        for conn in connections:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        for conn in connections:
            conn.close()
        app.state.engine.dispose()
