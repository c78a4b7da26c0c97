"""POST/GET /api/settings/logo: recognised by its bytes, size-limited, served safely."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from tiemeasureflow.app import create_app

from ..fixtures.app import make_settings
from ..fixtures.factories import Factory
from ..fixtures.roles import check_route

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
SVG_WITH_SCRIPT = (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                   b'<script>fetch("/api/users")</script></svg>')


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(client, user, data: bytes, filename: str = "logo.png", content_type: str = "image/png"):
    return client.post("/api/settings/logo", files={"file": (filename, data, content_type)}, headers=user.headers)


@pytest.mark.parametrize(("fmt", "ext", "media"), [
    ("PNG", "png", "image/png"), ("JPEG", "jpg", "image/jpeg"), ("GIF", "gif", "image/gif"),
    ("WEBP", "webp", "image/webp"),
])
def test_raster_logos_are_stored_and_served_by_their_real_type(client, admin, operator, fmt, ext, media):
    data = image(fmt)
    # The name and declared type lie on purpose: the bytes decide.
    res = upload(client, admin, data, filename="logo.txt", content_type="text/plain")
    assert res.status_code == 200
    assert res.json() == {"message": "Company logo uploaded successfully", "logo_path": f"logos/company_logo.{ext}",
                          "file_size": len(data)}
    settings = client.get("/api/settings/", headers=operator.headers).json()
    assert settings["company_logo_path"] == f"logos/company_logo.{ext}"
    served = client.get("/api/settings/logo", headers=operator.headers)
    assert served.status_code == 200 and served.content == data
    assert served.headers["content-type"] == media and served.headers["x-content-type-options"] == "nosniff"


def test_svg_is_accepted_and_served_so_that_it_cannot_run_script(client, admin, operator):
    assert upload(client, admin, SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml").status_code == 200
    served = client.get("/api/settings/logo", headers=operator.headers)
    assert served.content == SVG_WITH_SCRIPT
    assert served.headers["content-type"].startswith("image/svg+xml")
    policy = served.headers["content-security-policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script-src" not in policy


@pytest.mark.parametrize(("data", "filename"), [
    (b"just some text, not an image", "logo.png"),
    (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "logo.png"),
    (b"MZ\x90\x00\x03" + b"\x00" * 64, "logo.gif"),
    (b"<html><script>alert(1)</script></html>", "logo.svg"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
     "logo.svg"),
    (image("PNG")[:20], "truncated.png"),
    (b"", "empty.png"),
])
def test_files_that_are_not_images_are_refused_with_400(client, admin, data, filename):
    res = upload(client, admin, data, filename)
    assert res.status_code == 400 and "Invalid file type" in res.json()["detail"]
    assert client.get("/api/settings/", headers=admin.headers).json()["company_logo_path"] is None
    assert client.get("/api/settings/logo", headers=admin.headers).status_code == 404


def test_a_new_logo_replaces_the_old_one_of_another_type(client, admin, app):
    assert upload(client, admin, image("PNG")).status_code == 200
    assert upload(client, admin, SVG, "logo.svg", "image/svg+xml").status_code == 200
    folder = app.state.settings.resolved_upload_dir / "logos"
    assert sorted(p.name for p in folder.iterdir()) == ["company_logo.svg"]
    events = client.get("/api/audit", params={"action": "upload_logo"}, headers=admin.headers).json()["items"]
    assert [e["new_values"]["company_logo_path"] for e in events] == ["logos/company_logo.svg",
                                                                     "logos/company_logo.png"]
    assert events[0]["old_values"] == {"company_logo_path": "logos/company_logo.png"}


def test_no_logo_is_404(client, operator):
    res = client.get("/api/settings/logo", headers=operator.headers)
    assert (res.status_code, res.json()) == (404, {"detail": "No logo uploaded"})


def test_a_logo_over_the_size_limit_is_refused_with_400(database_url, tmp_path):
    app = create_app(make_settings(database_url, tmp_path / "small", max_upload_size_mb=1, hardpy_max_report_mb=1))
    try:
        admin = Factory(app).user(admin=True, username="admin")
        big = image("PNG") + b"\x00" * (1024 * 1024)
        far_too_big = b"\x00" * (3 * 1024 * 1024)
        with TestClient(app) as client:
            # Just over the limit: read and refused; far over it: refused before the body is read.
            for data, detail in ((big, "File size exceeded"), (far_too_big, "Request body too large")):
                res = upload(client, admin, data)
                assert (res.status_code, res.json()) == (400, {"detail": detail})
            assert client.get("/api/settings/", headers=admin.headers).json()["company_logo_path"] is None
            assert not (app.state.settings.resolved_upload_dir / "logos").exists()
    finally:
        app.state.engine.dispose()


def test_only_admins_upload_any_signed_in_user_reads(client, role_users, admin):
    assert upload(client, admin, image("PNG")).status_code == 200
    seen = check_route(client, role_users, "POST", "/api/settings/logo", {"admin"},
                       files={"file": ("logo.png", image("PNG"), "image/png")})
    assert seen["admin"] == 200
    seen = check_route(client, role_users, "GET", "/api/settings/logo", {"admin", "maker", "operator", "metrologist"})
    assert {seen[r] for r in ("admin", "maker", "operator", "metrologist")} == {200}
