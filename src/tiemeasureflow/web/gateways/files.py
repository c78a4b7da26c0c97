"""Stored files: drawings uploaded for tasks, and files read back."""

from __future__ import annotations

from typing import Any, TypedDict

import httpx

from .routes import route

UPLOAD = route("POST", "/api/files/upload")
FILE = route("GET", "/api/files/{file_path}", slashes=True)


class StoredFile(TypedDict):
    """Where the API stored an upload, and what kind of file it is."""

    file_path: str
    file_type: str


def upload(name: str, stream: Any, mimetype: str, recipe_id: int) -> StoredFile:
    """Store a drawing for a recipe."""
    return UPLOAD.call(send={"files": {"file": (name, stream, mimetype)}, "data": {"recipe_id": str(recipe_id)}})


def open_file(file_path: str) -> httpx.Response:
    """A stored file, streamed; the caller closes it."""
    return FILE.stream(file_path=file_path)
