"""Gauge register rules: immutable codes, derived due dates, calibration history, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit.service import record, snapshot
from ..identity.principal import Actor
from ..kit.errors import Conflict, NotFound
from ..models import Characteristic, Gauge, GaugeCalibration, Station, StoredFile
from ..settings.service import get_setting
from .schemas import CalibrationCreate, GaugeCreate, GaugeUpdate

AUDITED_FIELDS = ("code", "name", "kind", "resolution", "range_min", "range_max", "unit", "location", "station_id",
                  "calibration_interval_days", "last_calibrated_on", "last_calibration_result", "next_due_on",
                  "status", "notes")
WARNING_SETTING = "gauge_due_warning_days"
DEFAULT_WARNING_DAYS = 14


def today() -> date:
    """The current UTC date: calibration due dates are whole days."""
    return datetime.now(UTC).date()


def warning_days(session: Session) -> int:
    """Days before the due date a gauge shows a warning (setting gauge_due_warning_days, default 14)."""
    raw = get_setting(session, WARNING_SETTING)
    try:
        days = int(raw) if raw is not None else DEFAULT_WARNING_DAYS
    except ValueError:
        return DEFAULT_WARNING_DAYS
    return days if 0 <= days <= 3650 else DEFAULT_WARNING_DAYS


def describe(gauge: Gauge, on: date, warn_days: int) -> dict:
    """state, usable, days_until_due and warning of a gauge on a day."""
    days = (gauge.next_due_on - on).days if gauge.next_due_on else None
    if gauge.status != "in_service":
        state, warning = "not_in_service", f"Gauge {gauge.code} is {gauge.status.replace('_', ' ')}"
    elif days is not None and days < 0:
        state, warning = "overdue", f"Gauge {gauge.code} is overdue: calibration was due on {gauge.next_due_on}"
    elif days is not None and days <= warn_days:
        state, warning = "due_soon", f"Gauge {gauge.code} is due for calibration on {gauge.next_due_on}"
    else:
        state, warning = "ok", None
    return {"state": state, "usable": state in ("ok", "due_soon"), "days_until_due": days, "warning": warning}


def with_state(session: Session, gauge: Gauge, warn_days: int | None = None) -> dict:
    """The gauge's columns and its state today, ready for GaugeResponse."""
    days = warning_days(session) if warn_days is None else warn_days
    out = {c: getattr(gauge, c) for c in (*AUDITED_FIELDS, "id", "created_at", "updated_at")}
    return {**out, **describe(gauge, today(), days)}


def list_gauges(session: Session, status: str | None, kind: str | None, station_id: int | None) -> list[dict]:
    """Every gauge matching the filters, by code, with its state."""
    stmt = select(Gauge).order_by(Gauge.code)
    if status:
        stmt = stmt.where(Gauge.status == status)
    if kind:
        stmt = stmt.where(Gauge.kind == kind)
    if station_id:
        stmt = stmt.where(Gauge.station_id == station_id)
    days = warning_days(session)
    return [with_state(session, g, days) for g in session.scalars(stmt)]


def get_gauge(session: Session, code: str) -> Gauge:
    """One gauge by code or 404."""
    gauge = session.scalar(select(Gauge).where(Gauge.code == code))
    if gauge is None:
        raise NotFound(f"Gauge {code} not found")
    return gauge


def _derive_due(gauge: Gauge, given: bool) -> None:
    # next_due_on follows the last calibration and the interval unless the caller set it.
    if not given and gauge.last_calibrated_on and gauge.calibration_interval_days:
        gauge.next_due_on = gauge.last_calibrated_on + timedelta(days=gauge.calibration_interval_days)


def _check_station(session: Session, station_id: int | None) -> None:
    if station_id is not None and session.get(Station, station_id) is None:
        raise NotFound(f"Station {station_id} not found")


def create_gauge(session: Session, data: GaugeCreate, actor: Actor) -> Gauge:
    """Register a gauge; 409 when the code is taken."""
    if session.scalar(select(Gauge.id).where(Gauge.code == data.code)) is not None:
        raise Conflict(f"Gauge {data.code} already exists")
    _check_station(session, data.station_id)
    gauge = Gauge(**data.model_dump(), created_by=actor.user_id)
    _derive_due(gauge, data.next_due_on is not None)
    session.add(gauge)
    try:  # a concurrent request can win the race past the check above; the unique constraint decides
        session.flush()
    except IntegrityError:
        raise Conflict(f"Gauge {data.code} already exists") from None
    record(session, actor, "create", "gauge", gauge.id, new=snapshot(gauge, AUDITED_FIELDS))
    return gauge


def update_gauge(session: Session, code: str, data: GaugeUpdate, actor: Actor) -> Gauge:
    """Apply the given fields; the due date is derived again unless given; audited when changed."""
    gauge = get_gauge(session, code)
    changes = data.model_dump(exclude_unset=True)
    _check_station(session, changes.get("station_id"))
    old = snapshot(gauge, AUDITED_FIELDS)
    for field, value in changes.items():
        setattr(gauge, field, value)
    if {"last_calibrated_on", "calibration_interval_days"} & changes.keys():
        _derive_due(gauge, "next_due_on" in changes)
    new = snapshot(gauge, AUDITED_FIELDS)
    if new != old:
        session.flush()
        record(session, actor, "update", "gauge", gauge.id, old=old, new=new)
    return gauge


def add_calibration(session: Session, code: str, data: CalibrationCreate, actor: Actor) -> GaugeCalibration:
    """Record a calibration; the latest one sets the gauge's result and due date; a failed one blocks it."""
    gauge = get_gauge(session, code)
    if data.calibrated_on > today():
        raise Conflict(f"calibrated_on {data.calibrated_on} is after today ({today()})")
    if data.certificate_file_id is not None and session.get(StoredFile, data.certificate_file_id) is None:
        raise NotFound(f"File {data.certificate_file_id} not found")
    old = snapshot(gauge, AUDITED_FIELDS)
    calibration = GaugeCalibration(gauge_id=gauge.id, recorded_by=actor.user_id, **data.model_dump())
    session.add(calibration)
    if gauge.last_calibrated_on is None or data.calibrated_on >= gauge.last_calibrated_on:
        gauge.last_calibrated_on, gauge.last_calibration_result = data.calibrated_on, data.result
        _derive_due(gauge, False)
        if data.result == "fail" and gauge.status != "retired":
            gauge.status = "blocked"
        elif data.result != "fail" and gauge.status in ("out_for_calibration", "blocked"):
            gauge.status = "in_service"
    session.flush()
    record(session, actor, "calibrate", "gauge", gauge.id, old=old, new={
        **snapshot(gauge, AUDITED_FIELDS),
        "calibration": {"id": calibration.id, **snapshot(calibration, tuple(data.model_dump()))}})
    return calibration


def characteristic_exists(session: Session, characteristic_id: int) -> None:
    """404 unless the characteristic exists."""
    if session.get(Characteristic, characteristic_id) is None:
        raise NotFound("Characteristic not found")
