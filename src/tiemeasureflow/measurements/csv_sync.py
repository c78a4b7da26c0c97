"""CSV sync: append every new measurement to a file for legacy systems, exactly once.

The file is the source of truth. Each pass, under an exclusive lock on `<file>.lock`:
1. a torn last line (a writer killed mid-row) is cut off;
2. the id of the last complete row says where to resume; a file with no rows yet resumes
   after the cursor (a rotated file does not get old rows again), or from the start for a new path;
3. the rows committed after it are appended in commit order (`watermark`: writers never wait for
   each other, a row committed late with a lower id comes later in the file), flushed and fsynced,
   and only then is the cursor (`csv_sync_cursor`, which `synced_to_csv` reads) moved to the last row written.
A kill at any moment leaves either a torn line (cut next time) or a cursor behind the file
(the file wins), so no row is written twice and none is skipped.
"""

from __future__ import annotations

import fcntl
import os
import re
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..kit import watermark
from ..kit.db import unit_of_work
from ..kit.leadership import CSV_SYNC_LOCK, leading
from ..kit.periodic import PeriodicThread, running
from ..models import Measurement, utcnow
from ..models.measurement import CsvSyncCursor
from .csv_format import CSV_COLUMNS, CsvEncoder, csv_cells
from .export import csv_format
from .queries import COLUMNS

LEADING_ID = re.compile(rb'^"?(\d+)')
TAIL_BLOCK = 64 * 1024


@dataclass(frozen=True)
class SyncResult:
    """What one pass did."""

    appended: int
    last_id: int


@contextmanager
def _exclusive(path: Path, wait: bool):
    """Hold the sync lock of a file; yields False when another process holds it and wait is False."""
    with open(path.with_name(path.name + ".lock"), "a+b") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _cut_torn_line(handle) -> int:
    """Truncate after the last newline; returns the new size."""
    size = handle.seek(0, os.SEEK_END)
    position = size
    while position > 0:
        start = max(0, position - TAIL_BLOCK)
        handle.seek(start)
        block = handle.read(position - start)
        newline = block.rfind(b"\n")
        if newline >= 0:
            end = start + newline + 1
            break
        position = start
    else:
        end = 0
    if end < size:
        handle.truncate(end)
        os.fsync(handle.fileno())
    return end


def _append_whole(handle, size: int, data: bytes) -> int:
    """Append whole rows and fsync; on a failure (full disk) cut the file back, so no partial row stays."""
    handle.flush()
    fd = handle.fileno()
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except OSError:
        os.ftruncate(fd, size)  # frees what the failed write took: possible on a full disk too
        os.fsync(fd)
        raise
    return size + len(data)


def _last_row_id(handle, size: int) -> int | None:
    """The id in the last complete line, or None when the file holds no row (empty or header only)."""
    if size == 0:
        return None
    start = max(0, size - TAIL_BLOCK)
    handle.seek(start)
    tail = handle.read(size - start).rstrip(b"\r\n")
    match = LEADING_ID.match(tail[tail.rfind(b"\n") + 1:])
    return int(match.group(1)) if match else None


def _read_cursor(session: Session) -> CsvSyncCursor | None:
    return session.get(CsvSyncCursor, 1)


def save_cursor(factory: sessionmaker[Session], path: Path, position: watermark.Position) -> None:
    """Record that every measurement up to position (xid, id) is in the file at path."""
    last_xid, last_id = position
    with unit_of_work(factory) as session:
        cursor = _read_cursor(session)
        if cursor is None:
            session.add(CsvSyncCursor(id=1, path=str(path), last_id=last_id, last_xid=last_xid, updated_at=utcnow()))
        elif _position(cursor) != position or cursor.path != str(path):
            cursor.path, cursor.last_id, cursor.last_xid, cursor.updated_at = str(path), last_id, last_xid, utcnow()


def _position(cursor: CsvSyncCursor | None) -> watermark.Position:
    return (cursor.last_xid, cursor.last_id) if cursor is not None else watermark.START


def sync_once(factory: sessionmaker[Session], path: Path, batch_size: int = 1000,
              wait: bool = True) -> SyncResult | None:
    """One pass: append the measurements not in the file yet; None when another process is syncing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(path, wait) as locked:
        if not locked:
            return None
        with open(path, "a+b") as handle:
            size = _cut_torn_line(handle)
            file_last = _last_row_id(handle, size)
            with unit_of_work(factory, write=False) as session:
                cursor = _read_cursor(session)
                delimiter, decimal = csv_format(session)
                if file_last is not None:
                    position = watermark.position_of(session, Measurement, file_last)
                elif cursor is not None and cursor.path == str(path):
                    position = _position(cursor)
                else:
                    position = watermark.START
            encoder = CsvEncoder(delimiter)
            if size == 0:
                size = _append_whole(handle, size, encoder.encode([list(CSV_COLUMNS)]))
            appended = 0
            while True:
                with unit_of_work(factory, write=False) as session:
                    limit = watermark.horizon(session)
                    rows = session.execute(
                        select(*COLUMNS, Measurement.xid).where(watermark.after(Measurement, position, limit))
                        .order_by(*watermark.order(Measurement)).limit(batch_size)
                    ).all()
                if not rows:
                    break
                size = _append_whole(handle, size,
                                     encoder.encode([csv_cells(row, True, decimal, one_line=True) for row in rows]))
                position, appended = (rows[-1].xid, rows[-1].id), appended + len(rows)
                save_cursor(factory, path, position)
            handle.flush()
            if cursor is None or _position(cursor) != position or cursor.path != str(path):
                save_cursor(factory, path, position)
    return SyncResult(appended, position[1])


def _sync_pass(factory: sessionmaker[Session], path: Path) -> None:
    """One sync pass, unless another process of the deployment (here or on another node) is syncing."""
    with leading(factory.kw["bind"], CSV_SYNC_LOCK) as leader:
        if leader:
            sync_once(factory, path, wait=False)


@asynccontextmanager
async def csv_sync_lifespan(app):
    """Run the CSV sync loop for the server's lifetime when CSV_SYNC_PATH is set."""
    settings = app.state.settings
    worker = None
    if settings.csv_sync_path is not None:
        worker = PeriodicThread("csv-sync", settings.csv_sync_interval_seconds,
                                partial(_sync_pass, app.state.sessionmaker, settings.csv_sync_path))
    async with running(worker):
        yield
