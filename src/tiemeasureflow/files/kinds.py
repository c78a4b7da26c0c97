"""The accepted file types, recognised by their first bytes (never by name or declared type)."""

from __future__ import annotations

from dataclasses import dataclass

# Enough bytes to tell every accepted type apart.
HEAD_SIZE = 16


@dataclass(frozen=True)
class FileKind:
    """An accepted type: how it is served, named and, for images, decoded."""

    content_type: str
    extension: str
    extensions: tuple[str, ...]
    pillow_format: str | None = None

    @property
    def is_image(self) -> bool:
        """Whether the type gets a thumbnail."""
        return self.pillow_format is not None


JPEG = FileKind("image/jpeg", "jpg", ("jpg", "jpeg", "jpe"), "JPEG")
PNG = FileKind("image/png", "png", ("png",), "PNG")
GIF = FileKind("image/gif", "gif", ("gif",), "GIF")
WEBP = FileKind("image/webp", "webp", ("webp",), "WEBP")
PDF = FileKind("application/pdf", "pdf", ("pdf",))
ACCEPTED_DESCRIPTION = "JPEG, PNG, GIF, WebP or PDF"


def detect_kind(head: bytes) -> FileKind | None:
    """The accepted type whose signature the bytes start with, if any."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None
