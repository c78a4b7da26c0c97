"""The upload size limit: enforced while the body streams in, answered with 400, leaving nothing behind."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.factories import Factory

from . import samples
from .conftest import file_rows, run_asgi, stored_files, upload

MIB = 1024 * 1024
TOO_BIG = {"detail": "File size exceeded"}


@pytest.fixture
def small(small_app):
    """(client, maker, upload folder) of an app that accepts at most 1 MiB."""
    maker = Factory(small_app).user("Maker", username="small_maker")
    with TestClient(small_app, raise_server_exceptions=False) as client:
        yield client, maker, small_app.state.settings.resolved_upload_dir


def test_a_file_of_exactly_the_limit_is_accepted(small):
    client, maker, _ = small
    res = upload(client, maker, "big.pdf", samples.pdf_of_size(MIB))
    assert res.status_code == 200 and res.json()["file_size"] == MIB


def test_one_byte_over_the_limit_is_refused(small, small_app):
    client, maker, upload_dir = small
    res = upload(client, maker, "big.pdf", samples.pdf_of_size(MIB + 1))
    assert res.status_code == 400 and res.json() == TOO_BIG
    assert stored_files(upload_dir) == [] and file_rows(small_app) == []


def test_declared_length_over_the_limit_is_refused_before_reading(small, small_app):
    client, maker, upload_dir = small
    res = upload(client, maker, "huge.pdf", samples.pdf_of_size(MIB + 512 * 1024))
    assert res.status_code == 400 and res.json() == TOO_BIG
    assert stored_files(upload_dir) == [] and file_rows(small_app) == []


def test_chunked_body_without_length_is_cut_off(small, small_app):
    client, maker, upload_dir = small
    boundary = "tmfboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n").encode()

    def body():
        yield head
        for _ in range(3):
            yield b"0" * MIB
        yield f"\r\n--{boundary}--\r\n".encode()

    res = client.post("/api/files/upload", content=body(),
                      headers={**maker.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert res.status_code == 400 and res.json() == TOO_BIG
    assert stored_files(upload_dir) == [] and file_rows(small_app) == []


def test_the_server_stops_reading_past_the_limit(small_app):
    """Drive the app at the ASGI level with an endless body and count how much of it is pulled."""
    maker = Factory(small_app).user("Maker", username="asgi_maker")
    boundary = b"tmfboundary"
    chunk_size = 64 * 1024
    first = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
             b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n")
    pulled, sent = 0, []

    async def receive():
        nonlocal pulled
        pulled += 1
        body = first if pulled == 1 else b"0" * chunk_size
        # Stops by itself after 8 MiB, so a server that never stops reading fails rather than hangs.
        return {"type": "http.request", "body": body, "more_body": pulled < 128}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/files/upload", "raw_path": b"/api/files/upload", "root_path": "", "query_string": b"",
        "headers": [(b"content-type", b"multipart/form-data; boundary=" + boundary),
                    (b"x-api-key", maker.key.encode()), (b"host", b"testserver")],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }
    run_asgi(small_app, scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    assert status == 400
    assert b"File size exceeded" in b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    # 1 MiB of file plus the 64 KiB multipart allowance is 17 chunks of 64 KiB; a few more at most.
    assert pulled <= 20
    assert stored_files(small_app.state.settings.resolved_upload_dir) == []
