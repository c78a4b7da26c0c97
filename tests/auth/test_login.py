"""Login, logout and the failed-login trail through HTTP."""

from __future__ import annotations

import sqlalchemy as sa
from argon2 import PasswordHasher

from tiemeasureflow.kit.db import unit_of_work
from tiemeasureflow.models import User

LOGIN_FAILED = {"detail": "Invalid username or password"}


def login(client, username: str, password: str):
    return client.post("/api/auth/login", json={"username": username, "password": password})


def audit_actions(client, admin, **filters) -> list[dict]:
    res = client.get("/api/audit", params={"per_page": 500, **filters}, headers=admin.headers)
    assert res.status_code == 200, res.text
    return res.json()["items"]


def test_login_returns_the_user_and_a_key_that_authenticates(client, factory):
    user = factory.user("Maker", username="alice")
    res = login(client, "alice", user.password)
    assert res.status_code == 200
    body = res.json()
    assert body["api_key"].startswith("tmf_")
    assert body["user"] == {
        "id": user.id, "username": "alice", "display_name": "Alice", "email": None, "roles": ["Maker"],
        "is_admin": False, "active": True, "language_pref": "en", "theme_pref": "light",
    }
    me = client.get("/api/auth/me", headers={"X-API-Key": body["api_key"]})
    assert me.status_code == 200 and me.json()["id"] == user.id


def test_unknown_user_wrong_password_and_inactive_user_fail_identically(client, factory):
    factory.user(username="bob")
    inactive = factory.user(username="sleepy", active=False)
    answers = [login(client, "bob", "nope-nope"), login(client, "ghost", "nope-nope"),
               login(client, "sleepy", inactive.password)]
    assert {res.status_code for res in answers} == {401}
    assert all(res.json() == LOGIN_FAILED for res in answers)


def test_a_second_login_does_not_sign_out_the_first(client, factory):
    user = factory.user(username="tablet")
    first = login(client, "tablet", user.password).json()["api_key"]
    second = login(client, "tablet", user.password).json()["api_key"]
    assert first != second
    for key in (first, second):
        assert client.get("/api/auth/me", headers={"X-API-Key": key}).status_code == 200


def test_logout_revokes_only_that_key(client, factory):
    user = factory.user(username="carol")
    first = login(client, "carol", user.password).json()["api_key"]
    second = login(client, "carol", user.password).json()["api_key"]
    res = client.post("/api/auth/logout", headers={"X-API-Key": first})
    assert res.status_code == 204 and res.content == b""
    assert client.get("/api/auth/me", headers={"X-API-Key": first}).status_code == 401
    assert client.get("/api/auth/me", headers={"X-API-Key": second}).status_code == 200


def test_raw_key_never_stored(client, factory, app):
    user = factory.user(username="dave")
    raw = login(client, "dave", user.password).json()["api_key"]
    secret = raw.split("_", 2)[2]
    with app.state.engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):
                dumped = repr(tuple(row))
                assert secret not in dumped and raw not in dumped, table


def test_login_and_failed_login_are_audited_with_the_client_address(client, factory, admin):
    user = factory.user(username="erin")
    assert login(client, "erin", "wrong-password").status_code == 401
    assert login(client, "nobody", "wrong-password").status_code == 401
    assert login(client, "erin", user.password).status_code == 200
    failed = audit_actions(client, admin, action="login_failed")
    assert [e["new_values"]["username"] for e in failed] == ["nobody", "erin"]
    assert failed[1]["entity_id"] == str(user.id) and failed[0]["entity_id"] is None
    assert all(e["actor_id"] is None and e["client_ip"] == "testclient" for e in failed)
    [ok] = audit_actions(client, admin, action="login")
    assert ok["actor_id"] == user.id and ok["actor_key_id"] is not None and ok["client_ip"] == "testclient"


def test_login_rehashes_a_password_made_with_older_parameters(client, factory, app):
    user = factory.user(username="legacy")
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(user.password)
    with unit_of_work(app.state.sessionmaker) as session:
        session.get(User, user.id).password_hash = weak
    assert login(client, "legacy", user.password).status_code == 200
    with unit_of_work(app.state.sessionmaker, write=False) as session:
        stored = session.get(User, user.id).password_hash
    assert stored != weak and stored.startswith("$argon2id$") and "m=8," not in stored
    assert login(client, "legacy", user.password).status_code == 200


def test_failed_login_keeps_the_stored_hash(client, factory, app):
    user = factory.user(username="steady")
    with unit_of_work(app.state.sessionmaker, write=False) as session:
        before = session.get(User, user.id).password_hash
    assert login(client, "steady", "not-the-password").status_code == 401
    with unit_of_work(app.state.sessionmaker, write=False) as session:
        assert session.get(User, user.id).password_hash == before


def test_login_payload_is_strict(client, factory):
    user = factory.user(username="frank")
    assert client.post("/api/auth/login", json={"username": "frank"}).status_code == 422
    extra = {"username": "frank", "password": user.password, "remember": True}
    assert client.post("/api/auth/login", json=extra).status_code == 422
    assert client.post("/api/auth/login", json={"username": "frank", "password": 12345678}).status_code == 422
    assert client.post("/api/auth/login", content=b"\xff\xfe", headers={"Content-Type": "application/json"}
                       ).status_code == 422
