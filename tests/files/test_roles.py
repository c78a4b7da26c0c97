"""Who may call each files route."""

from __future__ import annotations

from tests.fixtures.roles import check_route

from . import samples
from .conftest import upload

MAKER = {"maker"}
SIGNED_IN = {"admin", "maker", "operator", "metrologist"}


def test_role_matrix(client, role_users):
    maker = role_users["maker"]
    body = upload(client, maker, "matrix.png", samples.image("PNG")).json()
    seen = check_route(client, role_users, "POST", "/api/files/upload", MAKER,
                       files={"file": ("matrix.pdf", samples.PDF, "application/pdf")})
    assert seen["maker"] == 200
    for path in (body["file_path"], body["thumbnail_path"]):
        seen = check_route(client, role_users, "GET", f"/api/files/{path}", SIGNED_IN)
        assert {seen[r] for r in SIGNED_IN} == {200}
    seen = check_route(client, role_users, "DELETE", f"/api/files/{body['file_path']}", MAKER)
    assert seen["maker"] == 204


def test_refused_roles_change_nothing(client, role_users, upload_dir):
    maker, operator, admin = role_users["maker"], role_users["operator"], role_users["admin"]
    body = upload(client, maker, "keep.png", samples.image("PNG")).json()
    assert upload(client, operator, "intruder.pdf", samples.PDF).status_code == 403
    assert client.delete(f"/api/files/{body['file_path']}", headers=admin.headers).status_code == 403
    assert sorted(str(p.relative_to(upload_dir)) for p in upload_dir.rglob("*.*")) == [
        "general/keep.png", "general/thumbnails/keep.png"]


def test_the_upload_url_answers_post_only(client, maker):
    for method in ("GET", "DELETE", "OPTIONS"):
        res = client.request(method, "/api/files/upload", headers=maker.headers)
        assert res.status_code == 405, method
        assert res.headers["allow"] == "POST", method
