"""Uploads: types recognised by their bytes, sanitized and numbered names, folders, records and audit."""

from __future__ import annotations

import hashlib

import pytest

from tests.stations.helpers import create_recipe

from . import samples
from .conftest import file_rows, stored_files, upload

ACCEPTED = [
    ("drawing.jpg", samples.image("JPEG"), "image/jpeg", True),
    ("drawing.png", samples.image("PNG"), "image/png", True),
    ("drawing.gif", samples.image("GIF"), "image/gif", True),
    ("drawing.webp", samples.image("WEBP"), "image/webp", True),
    ("drawing.pdf", samples.PDF, "application/pdf", False),
]


@pytest.mark.parametrize(("name", "data", "content_type", "has_thumbnail"), ACCEPTED,
                         ids=[a[2] for a in ACCEPTED])
def test_each_accepted_type(client, maker, admin, upload_dir, name, data, content_type, has_thumbnail):
    res = upload(client, maker, name, data, content_type)
    assert res.status_code == 200, res.text
    body = res.json()
    assert body == {
        "id": body["id"], "file_path": f"general/{name}",
        "thumbnail_path": f"general/thumbnails/{name}" if has_thumbnail else None,
        "file_type": content_type, "file_size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
    }
    assert (upload_dir / body["file_path"]).read_bytes() == data
    served = client.get(f"/api/files/{body['file_path']}", headers=maker.headers)
    assert served.status_code == 200 and served.content == data
    assert served.headers["content-type"] == content_type
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-disposition"].startswith("inline")
    if has_thumbnail:
        thumb = client.get(f"/api/files/{body['thumbnail_path']}", headers=maker.headers)
        assert thumb.status_code == 200 and thumb.headers["content-type"] == content_type
    events = client.get("/api/audit", headers=admin.headers, params={"entity_type": "file"}).json()["items"]
    assert [(e["action"], e["entity_id"]) for e in events] == [("create", str(body["id"]))]
    assert events[0]["new_values"]["sha256"] == body["sha256"] and events[0]["actor_id"] == maker.id


def test_the_record_keeps_path_type_size_digest_and_uploader(client, app, maker):
    data = samples.image("PNG")
    body = upload(client, maker, "Part 7 drawing.png", data, "image/png").json()
    [row] = file_rows(app)
    assert (row.id, row.path, row.thumbnail_path) == (body["id"], body["file_path"], body["thumbnail_path"])
    assert (row.original_name, row.content_type, row.size) == ("Part 7 drawing.png", "image/png", len(data))
    assert (row.sha256, row.uploaded_by, row.recipe_id, row.version_id) == (body["sha256"], maker.id, None, None)


def test_type_comes_from_the_bytes_not_the_name_or_declared_type(client, maker):
    res = upload(client, maker, "scan.jpg", samples.image("PNG"), "image/jpeg")
    assert res.status_code == 200
    assert res.json()["file_type"] == "image/png" and res.json()["file_path"] == "general/scan.png"
    res = upload(client, maker, "manual", samples.PDF, "text/plain")
    assert res.json()["file_type"] == "application/pdf" and res.json()["file_path"] == "general/manual.pdf"
    res = upload(client, maker, "photo.JPEG", samples.image("JPEG"), "image/jpeg")
    assert res.json()["file_path"] == "general/photo.jpeg"


@pytest.mark.parametrize(("name", "data", "declared"), [
    ("photo.jpg", samples.WINDOWS_EXE, "image/jpeg"),
    ("drawing.png", samples.LINUX_ELF, "image/png"),
    ("report.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
    ("empty.png", b"", "image/png"),
], ids=["exe-as-jpeg", "elf-as-png", "html-as-pdf", "svg", "empty"])
def test_anything_else_is_refused_and_leaves_nothing(client, app, admin, maker, upload_dir, name, data, declared):
    res = upload(client, maker, name, data, declared)
    assert res.status_code == 400
    assert res.json()["detail"].startswith("Invalid file type")
    assert stored_files(upload_dir) == [] and file_rows(app) == []
    assert client.get("/api/audit", headers=admin.headers, params={"entity_type": "file"}).json()["items"] == []


def test_an_image_signature_on_garbage_is_refused(client, app, maker, upload_dir):
    res = upload(client, maker, "broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, "image/png")
    assert res.status_code == 400 and res.json()["detail"].startswith("Invalid image")
    assert stored_files(upload_dir) == [] and file_rows(app) == []


# 72 megapixels passes Pillow's own guard but not ours; 196 megapixels trips Pillow's.
@pytest.mark.parametrize("side", [8_500, 14_000])
def test_decompression_bomb_is_refused(client, app, maker, upload_dir, side):
    bomb = samples.png_bomb(side)
    assert len(bomb) < 100_000  # tiny on disk, tens of megapixels once decoded
    res = upload(client, maker, "bomb.png", bomb, "image/png")
    assert res.status_code == 400 and "decompression bomb" in res.json()["detail"]
    assert stored_files(upload_dir) == [] and file_rows(app) == []


@pytest.mark.parametrize(("sent", "stored"), [
    ("my drawing (v2).png", "my_drawing__v2.png"),
    ("../../etc/passwd.png", "passwd.png"),
    ("C:\\Users\\maker\\part.png", "part.png"),
    ("Zeichnung-Größe.png", "Zeichnung-Gro_e.png"),
    (".hidden.png", "hidden.png"),
    ("a..b.png", "a.b.png"),
    ("図面.png", "file.png"),
    ("no-extension", "no-extension.png"),
    ("double.png.exe", "double.png.png"),
])
def test_filenames_are_sanitized(client, maker, sent, stored):
    res = upload(client, maker, sent, samples.image("PNG"), "image/png")
    assert res.status_code == 200, res.text
    assert res.json()["file_path"] == f"general/{stored}"


def test_filename_over_255_characters_is_refused(client, maker, upload_dir):
    res = upload(client, maker, "x" * 252 + ".png", samples.image("PNG"), "image/png")
    assert res.status_code == 400 and res.json()["detail"].startswith("Invalid filename")
    assert stored_files(upload_dir) == []
    assert upload(client, maker, "x" * 251 + ".png", samples.image("PNG"), "image/png").status_code == 200


def test_same_name_is_numbered(client, maker, upload_dir):
    paths = [upload(client, maker, "bracket.png", samples.image("PNG"), "image/png").json() for _ in range(3)]
    assert [p["file_path"] for p in paths] == ["general/bracket.png", "general/bracket_1.png", "general/bracket_2.png"]
    assert [p["thumbnail_path"] for p in paths] == [
        "general/thumbnails/bracket.png", "general/thumbnails/bracket_1.png", "general/thumbnails/bracket_2.png"]
    assert len({p["id"] for p in paths}) == 3
    # A file left on disk without a record still counts as taken.
    (upload_dir / "general" / "orphan.pdf").write_bytes(b"%PDF-1.4 left over")
    assert upload(client, maker, "orphan.pdf", samples.PDF, "application/pdf").json()["file_path"] == "general/orphan_1.pdf"
    assert (upload_dir / "general" / "orphan.pdf").read_bytes() == b"%PDF-1.4 left over"


def test_recipe_and_version_folders(client, maker):
    recipe = create_recipe(client, maker, "SHAFT-01")
    version_id = recipe["current_version"]["id"]
    expected = f"{recipe['id']}/{version_id}/shaft.png"
    res = upload(client, maker, "shaft.png", samples.image("PNG"), "image/png", recipe_id=recipe["id"], version_id=version_id)
    assert res.status_code == 200 and res.json()["file_path"] == expected
    assert res.json()["thumbnail_path"] == f"{recipe['id']}/{version_id}/thumbnails/shaft.png"
    by_recipe = upload(client, maker, "shaft.pdf", samples.PDF, recipe_id=recipe["id"]).json()
    assert by_recipe["file_path"] == f"{recipe['id']}/{version_id}/shaft.pdf"
    by_version = upload(client, maker, "shaft.pdf", samples.PDF, version_id=version_id).json()
    assert by_version["file_path"] == f"{recipe['id']}/{version_id}/shaft_1.pdf"


def test_unknown_or_mismatched_recipe_and_version(client, app, maker, upload_dir):
    first = create_recipe(client, maker, "FIRST")
    second = create_recipe(client, maker, "SECOND")
    res = upload(client, maker, "x.pdf", samples.PDF, recipe_id=9999)
    assert res.status_code == 404 and res.json() == {"detail": "Recipe not found"}
    res = upload(client, maker, "x.pdf", samples.PDF, version_id=9999)
    assert res.status_code == 404 and res.json() == {"detail": "Recipe version not found"}
    res = upload(client, maker, "x.pdf", samples.PDF, recipe_id=first["id"], version_id=second["current_version"]["id"])
    assert res.status_code == 400
    res = upload(client, maker, "x.pdf", samples.PDF, recipe_id="abc")
    assert res.status_code == 422
    assert stored_files(upload_dir) == [] and file_rows(app) == []


def test_missing_file_field_is_refused(client, maker):
    res = client.post("/api/files/upload", headers=maker.headers, data={"recipe_id": "1"})
    assert res.status_code == 422
