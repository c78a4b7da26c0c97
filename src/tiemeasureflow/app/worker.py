"""The background worker of each server process: alarm detection, then event fan-out and delivery."""

from __future__ import annotations

from contextlib import asynccontextmanager
from functools import partial

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ..alarms import checks, detection
from ..audit.sealer import seal_pending
from ..config.server import Settings
from ..imports.watch import import_watch_lifespan
from ..kit import watermark
from ..kit.db import unit_of_work
from ..kit.periodic import PeriodicThread, running
from ..measurements.csv_sync import csv_sync_lifespan
from ..measurements.partitions import partitions_lifespan
from ..models import Measurement, WorkerCursor, utcnow
from ..notifications import delivery

DETECTION_CURSOR = "alarm_detection"
DETECTION_LOCK = 0x746D6661  # PostgreSQL advisory key: one detector at a time per deployment
DETECTION_BATCH = 2000


def _cursor(session: Session) -> WorkerCursor | None:
    return session.get(WorkerCursor, DETECTION_CURSOR)


def detect_once(factory: sessionmaker[Session]) -> int:
    """Check the measurements committed since the last pass; returns how many were looked at.

    Measurements are followed in commit order behind the watermark (`watermark`), so a row that
    commits late with a lower id is still checked, once. A new database starts from its newest value.
    """
    with unit_of_work(factory, write=False) as session:
        cursor = _cursor(session)
        if cursor is not None and not detection.new_measurements(session, _position(cursor), 1):
            return 0
    with unit_of_work(factory) as session:
        if session.get_bind().dialect.name == "postgresql" and not session.scalar(
                select(func.pg_try_advisory_xact_lock(DETECTION_LOCK))):
            return 0  # another process is detecting
        cursor = _cursor(session)
        if cursor is None:
            last_xid, last_id = watermark.newest(session, Measurement, watermark.horizon(session))
            session.add(WorkerCursor(name=DETECTION_CURSOR, last_id=last_id, last_xid=last_xid, updated_at=utcnow()))
            return 0
        rows = detection.new_measurements(session, _position(cursor), DETECTION_BATCH)
        if not rows:
            return 0
        checks.detect(session, rows)
        cursor.last_xid, cursor.last_id, cursor.updated_at = rows[-1].xid, rows[-1].id, utcnow()
        return len(rows)


def _position(cursor: WorkerCursor) -> watermark.Position:
    return cursor.last_xid, cursor.last_id


def run_once(factory: sessionmaker[Session], settings: Settings) -> None:
    """One full pass: seal audit events left behind, detect, fan out, deliver."""
    seal_pending(factory)
    if settings.alarm_detection:
        while detect_once(factory) == DETECTION_BATCH:
            pass
    while delivery.fan_out(factory, settings) == delivery.BATCH:
        pass
    delivery.deliver_due(factory, settings)


@asynccontextmanager
async def background_lifespan(app):
    """The server's background work: partitions ahead, the CSV sync, the import folder, alarms and delivery."""
    async with partitions_lifespan(app), csv_sync_lifespan(app), import_watch_lifespan(app):
        settings = app.state.settings
        worker = PeriodicThread("background", settings.alarm_interval_seconds,
                                partial(run_once, app.state.sessionmaker, settings))
        async with running(worker):
            yield
