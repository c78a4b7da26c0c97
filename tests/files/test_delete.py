"""Deleting files: the thumbnail goes too, frozen versions keep theirs, every deletion is audited."""

from __future__ import annotations

import os

from tests.stations.helpers import create_recipe, measure

from . import samples
from .conftest import file_rows, stored_files, upload


def test_delete_removes_file_thumbnail_and_record(client, app, admin, maker, upload_dir):
    body = upload(client, maker, "bracket.png", samples.image("PNG")).json()
    keep = upload(client, maker, "other.pdf", samples.PDF).json()
    res = client.delete(f"/api/files/{body['file_path']}", headers=maker.headers)
    assert res.status_code == 204 and res.content == b""
    assert stored_files(upload_dir) == [keep["file_path"]]
    assert [row.id for row in file_rows(app)] == [keep["id"]]
    for path in (body["file_path"], body["thumbnail_path"]):
        assert client.get(f"/api/files/{path}", headers=maker.headers).status_code == 404
    events = client.get("/api/audit", headers=admin.headers, params={"entity_type": "file", "action": "delete"}).json()
    [event] = events["items"]
    assert event["entity_id"] == str(body["id"]) and event["old_values"]["path"] == body["file_path"]
    assert event["old_values"]["sha256"] == body["sha256"] and event["actor_id"] == maker.id


def test_delete_unknown_file_is_404(client, maker, upload_dir):
    res = client.delete("/api/files/general/nothing.pdf", headers=maker.headers)
    assert res.status_code == 404 and res.json() == {"detail": "File not found"}


def test_only_recorded_files_are_deleted_through_the_api(client, maker, upload_dir):
    body = upload(client, maker, "bracket.png", samples.image("PNG")).json()
    # A thumbnail goes with its file; a file nobody uploaded through the API is not the API's to delete.
    (upload_dir / "general" / "untracked.pdf").write_bytes(samples.PDF)
    for path in (body["thumbnail_path"], "general/untracked.pdf"):
        assert client.delete(f"/api/files/{path}", headers=maker.headers).status_code == 404
    assert len(stored_files(upload_dir)) == 3


def test_delete_traversal_is_403_and_touches_nothing(client, maker, upload_dir, tmp_path):
    victim = tmp_path / "victim.pdf"
    victim.write_bytes(samples.PDF)
    upload(client, maker, "manual.pdf", samples.PDF)
    os.symlink(victim, upload_dir / "general" / "link.pdf")
    for url in ("/api/files/%2e%2e/%2e%2e/victim.pdf", "/api/files/general/link.pdf", "/api/files//etc/passwd"):
        assert client.delete(url, headers=maker.headers).status_code == 403, url
    assert victim.exists() and (upload_dir / "general" / "link.pdf").is_symlink()


def test_file_of_a_version_with_measurements_cannot_be_deleted(client, maker, operator, upload_dir):
    body = upload(client, maker, "shaft.png", samples.image("PNG")).json()
    recipe = create_recipe(client, maker, "SHAFT-01", file_id=body["id"], subtask=True)
    measure(client, operator, recipe)
    res = client.delete(f"/api/files/{body['file_path']}", headers=maker.headers)
    assert res.status_code == 409 and "measurements" in res.json()["detail"]
    assert sorted(stored_files(upload_dir)) == [body["file_path"], body["thumbnail_path"]]
    assert client.get(f"/api/files/{body['file_path']}", headers=maker.headers).status_code == 200
    tasks = client.get(f"/api/recipes/{recipe['id']}/tasks", headers=maker.headers).json()
    assert tasks[0]["file_id"] == body["id"]


def test_file_of_an_unmeasured_version_is_deleted_and_the_task_released(client, app, maker, upload_dir):
    body = upload(client, maker, "shaft.png", samples.image("PNG")).json()
    recipe = create_recipe(client, maker, "SHAFT-01", file_id=body["id"], subtask=True)
    res = client.delete(f"/api/files/{body['file_path']}", headers=maker.headers)
    assert res.status_code == 204
    assert stored_files(upload_dir) == [] and file_rows(app) == []
    tasks = client.get(f"/api/recipes/{recipe['id']}/tasks", headers=maker.headers).json()
    assert tasks[0]["file_id"] is None and tasks[0]["title"] == "Drawing"
