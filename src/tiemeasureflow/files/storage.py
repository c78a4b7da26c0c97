"""The upload folder on disk: safe names, paths that cannot leave it, writes tied to the transaction."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..kit.errors import BadRequest, Conflict, Forbidden

MAX_NAME_LENGTH = 255
FALLBACK_STEM = "file"
MAX_PATH_LENGTH = 1024
CHUNK_SIZE = 1024 * 1024
FILE_SIZE_EXCEEDED = "File size exceeded"
INVALID_PATH = "Invalid file path (path traversal attempt)"
# A stored path is segments of these characters; none starts with a dot, so "." and ".." never match.
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_MAX_NUMBERED_COPIES = 10_000
_AFTER_COMMIT, _AFTER_ROLLBACK = "tmf_files_after_commit", "tmf_files_after_rollback"


def sanitize_filename(raw: str | None) -> tuple[str, str]:
    """(stem, lower-case extension) of a client's file name: its last path part with accents dropped and
    every character but ASCII letters, digits, dots, hyphens and underscores replaced by "_"."""
    if not raw or len(raw) > MAX_NAME_LENGTH:
        raise BadRequest("Invalid filename: it must have 1 to 255 characters")
    # The original name is recorded as sent: it must be text a database can store.
    if _CONTROL_CHARS.search(raw) or not _is_encodable(raw):
        raise BadRequest("Invalid filename: control characters or invalid Unicode")
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    unaccented = "".join(c for c in unicodedata.normalize("NFKD", base) if not unicodedata.combining(c))
    name = re.sub(r"\.{2,}", ".", _UNSAFE_CHARS.sub("_", unaccented)).lstrip(".")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    # A name with nothing readable left (only symbols or another script) still needs a stem.
    stem = stem.strip("._") or FALLBACK_STEM
    return stem, ext.lower()


def _is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def resolve_inside(root: Path, relative: str) -> Path:
    """The absolute path of `relative` under the upload folder; 403 for anything that could leave it
    (absolute paths, dot segments, encoded separators, backslashes, symbolic links)."""
    segments = relative.split("/")
    if len(relative) > MAX_PATH_LENGTH or not all(_SAFE_SEGMENT.match(s) for s in segments):
        raise Forbidden(INVALID_PATH)
    base = root.resolve()
    current = base
    for segment in segments:
        current = current / segment
        if current.is_symlink():
            raise Forbidden(INVALID_PATH)
    if not current.resolve().is_relative_to(base):
        raise Forbidden(INVALID_PATH)
    return current


def ensure_folder(root: Path, relative: str) -> Path:
    """Create a folder under the upload folder, refusing one reached through a symbolic link."""
    folder = resolve_inside(root, relative)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def claim_name(folder: Path, stem: str, ext: str, is_taken: Callable[[str], bool]) -> tuple[Path, int]:
    """Create `stem.ext`, or `stem_1.ext`, `stem_2.ext`... whichever is free first; returns it and its open fd."""
    suffix = f".{ext}" if ext else ""
    for number in range(_MAX_NUMBERED_COPIES):
        tail = f"_{number}{suffix}" if number else suffix
        name = stem[: MAX_NAME_LENGTH - len(tail)] + tail
        if is_taken(name):
            continue
        try:
            fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        except FileExistsError:
            continue
        return folder / name, fd
    raise Conflict("Too many files with this name in this folder")


def copy_limited(fd: int, head: bytes, source: BinaryIO, limit: int) -> tuple[int, str]:
    """Write head + the rest of source to fd; (size, sha256). 400 as soon as the size passes the limit."""
    digest = hashlib.sha256()
    size = 0
    with os.fdopen(fd, "wb") as out:
        chunk = head
        while chunk:
            size += len(chunk)
            if size > limit:
                raise BadRequest(FILE_SIZE_EXCEEDED)
            digest.update(chunk)
            out.write(chunk)
            chunk = source.read(CHUNK_SIZE)
    return size, digest.hexdigest()


def remove_files(*paths: Path | None) -> None:
    """Unlink files (a symbolic link itself, never its target), ignoring the missing ones."""
    for path in paths:
        if path is not None:
            path.unlink(missing_ok=True)


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run `action` once the session's transaction commits (disk changes that must not outrun the database)."""
    _hooks(session)[0].append(action)


def after_rollback(session: Session, action: Callable[[], None]) -> None:
    """Run `action` if the session's transaction rolls back (undo disk writes of a failed request)."""
    _hooks(session)[1].append(action)


def _hooks(session: Session) -> tuple[list, list]:
    if _AFTER_COMMIT not in session.info:
        session.info[_AFTER_COMMIT], session.info[_AFTER_ROLLBACK] = [], []
        event.listen(session, "after_commit", lambda s: _run(s, _AFTER_COMMIT))
        event.listen(session, "after_rollback", lambda s: _run(s, _AFTER_ROLLBACK))
    return session.info[_AFTER_COMMIT], session.info[_AFTER_ROLLBACK]


def _run(session: Session, key: str) -> None:
    actions = list(session.info.get(key, []))
    session.info[_AFTER_COMMIT].clear()
    session.info[_AFTER_ROLLBACK].clear()
    for action in actions:
        action()
