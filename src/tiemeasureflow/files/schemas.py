"""File responses."""

from __future__ import annotations

from pydantic import BaseModel


class UploadedFile(BaseModel):
    """A stored file: the reference's fields plus its id (what tasks reference) and digest."""

    id: int
    file_path: str
    thumbnail_path: str | None
    file_type: str
    file_size: int
    sha256: str


class ErrorBody(BaseModel):
    """The error shape of every failure."""

    detail: str
