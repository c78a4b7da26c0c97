"""Serving: the right type, nosniff, inline or attachment, and no way out of the upload folder."""

from __future__ import annotations

import os

import pytest

from . import samples
from .conftest import run_asgi, upload

FORBIDDEN = 403


@pytest.fixture
def outside(tmp_path):
    """A secret file outside the upload folder."""
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("top secret")
    return secret


def asgi_get(app, raw_path: bytes, key: str) -> int:
    """GET a raw path exactly as written (HTTP clients normalise dot segments away); returns the status."""
    statuses = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": raw_path.decode(), "raw_path": raw_path, "root_path": "", "query_string": b"",
             "headers": [(b"x-api-key", key.encode()), (b"host", b"testserver")],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    run_asgi(app, scope, receive, send)
    return statuses[0]


def test_pdf_is_served_inline_with_nosniff(client, maker, operator):
    path = upload(client, maker, "manual.pdf", samples.PDF).json()["file_path"]
    res = client.get(f"/api/files/{path}", headers=operator.headers)
    assert res.status_code == 200 and res.content == samples.PDF
    assert res.headers["content-type"] == "application/pdf"
    assert res.headers["content-disposition"] == 'inline; filename="manual.pdf"'
    assert res.headers["x-content-type-options"] == "nosniff"


def test_anything_else_in_the_folder_is_an_attachment(client, maker, upload_dir):
    (upload_dir / "general").mkdir(parents=True)
    (upload_dir / "general" / "page.html").write_text("<script>alert(1)</script>")
    # Named like an image, but its bytes are not one: the bytes decide.
    (upload_dir / "general" / "fake.png").write_text("<script>alert(1)</script>")
    for name in ("page.html", "fake.png"):
        res = client.get(f"/api/files/general/{name}", headers=maker.headers)
        assert res.status_code == 200
        assert res.headers["content-type"] == "application/octet-stream"
        assert res.headers["content-disposition"].startswith("attachment")
        assert res.headers["x-content-type-options"] == "nosniff"


def test_missing_file_and_folder_are_404(client, maker):
    upload(client, maker, "manual.pdf", samples.PDF)
    for path in ("general/nothing.pdf", "general", "9/9/x.png"):
        res = client.get(f"/api/files/{path}", headers=maker.headers)
        assert res.status_code == 404 and res.json() == {"detail": "File not found"}, path


@pytest.mark.parametrize("url", [
    "/api/files/%2e%2e/%2e%2e/etc/passwd",
    "/api/files/general/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/api/files/..%2f..%2fetc%2fpasswd",
    "/api/files/%2E%2E%2Fsecret.txt",
    "/api/files/%252e%252e/%252e%252e/etc/passwd",
    "/api/files//etc/passwd",
    "/api/files/%2Fetc%2Fpasswd",
    "/api/files/..%5C..%5Cetc%5Cpasswd",
    "/api/files/C:%5CWindows%5Cwin.ini",
    "/api/files/general/%2e/x.pdf",
    "/api/files/general%00.pdf",
])
def test_traversal_in_any_encoding_is_403(client, maker, url):
    res = client.get(url, headers=maker.headers)
    assert res.status_code == FORBIDDEN, url
    assert "traversal" in res.json()["detail"]


def test_literal_dot_dot_is_403(app, maker):
    for raw in (b"/api/files/../../etc/passwd", b"/api/files/general/../../../etc/passwd", b"/api/files/..", b"/api/files/general/./x.pdf"):
        assert asgi_get(app, raw, maker.key) == FORBIDDEN, raw


def test_symlinks_planted_in_the_folder_are_refused(client, maker, upload_dir, outside):
    upload(client, maker, "manual.pdf", samples.PDF)
    os.symlink(outside, upload_dir / "general" / "link.pdf")
    os.symlink(outside.parent, upload_dir / "escape")
    # Even a link to a file inside the folder is refused: links are never followed.
    os.symlink(upload_dir / "general" / "manual.pdf", upload_dir / "general" / "alias.pdf")
    for path in ("general/link.pdf", "escape/secret.txt", "general/alias.pdf"):
        res = client.get(f"/api/files/{path}", headers=maker.headers)
        assert res.status_code == FORBIDDEN, path
        assert b"top secret" not in res.content


def test_files_need_a_key(client, maker):
    path = upload(client, maker, "manual.pdf", samples.PDF).json()["file_path"]
    assert client.get(f"/api/files/{path}").status_code == 401
