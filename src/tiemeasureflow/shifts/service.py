"""Shifts: admin-defined stretches of local time, and the plant time zone they are read in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record, snapshot
from ..identity.principal import Actor
from ..kit.errors import Conflict, NotFound
from ..kit.schemas import ID_MAX
from ..models import Setting, Shift
from .schemas import ShiftCreate, ShiftResponse, ShiftUpdate

TIMEZONE_KEY = "plant_timezone"
DEFAULT_TIMEZONE = "UTC"
AUDITED = ("id", "name", "starts", "ends")


def plant_timezone(session: Session) -> str:
    """The plant's IANA time zone name (UTC unless set)."""
    row = session.get(Setting, TIMEZONE_KEY)
    return row.value if row is not None and row.value else DEFAULT_TIMEZONE


def list_shifts(session: Session) -> list[ShiftResponse]:
    """Every shift in start order."""
    zone = plant_timezone(session)
    return [_answer(s, zone) for s in session.scalars(select(Shift).order_by(Shift.starts, Shift.id))]


def get_shift(session: Session, shift_id: int) -> Shift:
    """One shift, or 404."""
    shift = session.get(Shift, shift_id) if 1 <= shift_id <= ID_MAX else None
    if shift is None:
        raise NotFound("Shift not found")
    return shift


def create_shift(session: Session, data: ShiftCreate, actor: Actor) -> ShiftResponse:
    """Store a new shift, audited."""
    _check(session, data.name, data.starts, data.ends, None)
    shift = Shift(name=data.name, starts=data.starts, ends=data.ends)
    session.add(shift)
    session.flush()
    record(session, actor, "create", "shift", shift.id, new=snapshot(shift, AUDITED))
    return _answer(shift, plant_timezone(session))


def update_shift(session: Session, shift_id: int, data: ShiftUpdate, actor: Actor) -> ShiftResponse:
    """Change a shift's name or times, audited."""
    shift = get_shift(session, shift_id)
    old = snapshot(shift, AUDITED)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    merged = {**old, **changes}
    _check(session, merged["name"], merged["starts"], merged["ends"], shift.id)
    for key, value in changes.items():
        setattr(shift, key, value)
    session.flush()
    record(session, actor, "update", "shift", shift.id, old=old, new=snapshot(shift, AUDITED))
    return _answer(shift, plant_timezone(session))


def delete_shift(session: Session, shift_id: int, actor: Actor) -> None:
    """Remove a shift (measurements do not refer to shifts), audited."""
    shift = get_shift(session, shift_id)
    record(session, actor, "delete", "shift", shift.id, old=snapshot(shift, AUDITED))
    session.delete(shift)
    session.flush()


def _check(session: Session, name: str, starts: str, ends: str, own_id: int | None) -> None:
    if starts == ends:  # the fields contradict each other (a schema cannot say it): 409, as elsewhere
        raise Conflict("a shift must end at another time than it starts")
    other = session.scalar(select(Shift.id).where(Shift.name == name))
    if other is not None and other != own_id:
        raise Conflict(f"A shift named {name!r} exists already")


def _answer(shift: Shift, zone: str) -> ShiftResponse:
    return ShiftResponse(id=shift.id, name=shift.name, starts=shift.starts, ends=shift.ends, timezone=zone,
                         created_at=shift.created_at)
