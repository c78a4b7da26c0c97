"""PDF drawings: page 1 as the thumbnail, every page rendered as PNG for balloons, removed with the file."""

from __future__ import annotations

import io

from PIL import Image

from . import samples
from .conftest import stored_files, upload


def png(client, user, path: str) -> Image.Image:
    res = client.get(f"/api/files/{path}", headers=user.headers)
    assert res.status_code == 200 and res.headers["content-type"] == "image/png"
    return Image.open(io.BytesIO(res.content))


def test_pdf_gets_a_thumbnail_and_rendered_pages(client, maker, upload_dir):
    body = upload(client, maker, "shaft.pdf", samples.drawing_pdf(3)).json()
    assert body["file_type"] == "application/pdf"
    assert body["thumbnail_path"] == "general/thumbnails/shaft.pdf.png"
    thumb = png(client, maker, body["thumbnail_path"])
    assert max(thumb.size) == 200 and thumb.size[0] > thumb.size[1], "landscape sheet"
    recipe = client.post("/api/recipes", json={"code": "PDF-1", "name": "Shaft"}, headers=maker.headers).json()
    task = client.post(f"/api/recipes/{recipe['id']}/tasks", headers=maker.headers, json={
        "title": "Turning", "file_id": body["id"],
        "subtasks": [{"marker_number": 1, "measurement_type": "length", "nominal": 10.0}],
        "annotations_json": [{"marker_number": 1, "x": 0.5, "y": 0.5, "page": 3}]}).json()
    assert task["file_type"] == "pdf"
    assert task["file_pages"] == [f"general/pages/shaft.pdf/{n}.png" for n in (1, 2, 3)]
    assert task["annotations_json"] == [{"marker_number": 1, "x": 0.5, "y": 0.5, "page": 3}]
    page = png(client, maker, task["file_pages"][2])
    assert max(page.size) == 2000
    client.put(f"/api/tasks/{task['id']}", json={"file_id": None}, headers=maker.headers)
    assert client.delete(f"/api/files/{body['file_path']}", headers=maker.headers).status_code == 204
    assert stored_files(upload_dir) == []


def test_unreadable_pdf_is_kept_without_images(client, maker):
    body = upload(client, maker, "empty.pdf", samples.PDF).json()
    assert body["thumbnail_path"] is None
