"""Alarm reads, acknowledgement with an assignable cause, the cause catalog and station holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..audit.service import record, snapshot
from ..identity.principal import Principal
from ..kit.db import get_or_404
from ..kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from ..kit.vocabulary import Role
from ..models import Alarm, AssignableCause, Station, Subtask, utcnow
from ..notifications.outbox import emit
from ..notifications.payloads import alarm_payload
from .schemas import AcknowledgeRequest, AlarmResponse, CauseCreate, CauseUpdate

# Who may close an alarm: administrators and holders of one of these roles (granted by an admin).
ACKNOWLEDGING_ROLES = (Role.METROLOGIST.value,)
CAUSE_FIELDS = ("code", "name", "description", "active")


def may_acknowledge(principal: Principal) -> bool:
    """Whether the caller has the authority to acknowledge alarms."""
    user = principal.user
    return user is not None and (user.is_admin or user.has_any_role(*ACKNOWLEDGING_ROLES))


def response(session: Session, alarm: Alarm) -> AlarmResponse:
    """The API shape of an alarm."""
    data = alarm_payload(session, alarm)
    chart = f"/api/statistics/control-chart?recipe_id={alarm.recipe_id}&subtask_id={alarm.subtask_id}"
    return AlarmResponse(**data, chart_url=chart)


def list_alarms(*, status: str | None = None, recipe_id: int | None = None, subtask_id: int | None = None,
                kind: str | None = None, station_code: str | None = None, date_from: datetime | None = None,
                date_to: datetime | None = None) -> Select:
    """The alarms matching the filters, newest first."""
    stmt = select(Alarm).order_by(Alarm.detected_at.desc(), Alarm.id.desc())
    if status:
        stmt = stmt.where(Alarm.status == status)
    if recipe_id is not None:
        stmt = stmt.where(Alarm.recipe_id == recipe_id)
    if subtask_id is not None:
        # A subtask names its characteristic: alarms on any version of it match.
        stmt = stmt.where(Alarm.characteristic_id == select(Subtask.characteristic_id)
                          .where(Subtask.id == subtask_id).scalar_subquery())
    if kind:
        stmt = stmt.where(Alarm.kind == kind)
    if station_code:
        stmt = stmt.join(Station, Station.id == Alarm.station_id).where(Station.code == station_code)
    if date_from is not None:
        stmt = stmt.where(Alarm.detected_at >= date_from)
    if date_to is not None:
        stmt = stmt.where(Alarm.detected_at <= date_to)
    return stmt


def get_alarm(session: Session, alarm_id: int) -> Alarm:
    """One alarm; 404 when unknown."""
    alarm = get_or_404(session, Alarm, alarm_id, "Alarm not found")
    return alarm


def acknowledge(session: Session, alarm_id: int, data: AcknowledgeRequest, principal: Principal) -> Alarm:
    """Close an open alarm with a cause from the catalog, the action taken and a note; audited and announced."""
    if not may_acknowledge(principal):
        raise Forbidden(f"{' or '.join(ACKNOWLEDGING_ROLES)} role or admin required to acknowledge alarms")
    alarm = session.execute(select(Alarm).where(Alarm.id == alarm_id).with_for_update()
                            .execution_options(populate_existing=True)).scalar_one_or_none()
    if alarm is None:
        raise NotFound("Alarm not found")
    if alarm.status != "open":
        raise Conflict(f"Alarm {alarm.id} is already acknowledged")
    cause = session.scalar(select(AssignableCause).where(AssignableCause.code == data.cause))
    if cause is None or not cause.active:
        raise Unprocessable(f"Unknown assignable cause {data.cause!r}: use a code from /api/assignable-causes")
    alarm.status, alarm.acknowledged_at, alarm.acknowledged_by = "acknowledged", utcnow(), principal.user_id
    alarm.cause_code, alarm.action, alarm.note = cause.code, data.action, data.note
    session.flush()
    record(session, principal.actor, "acknowledge", "alarm", alarm.id, old={"status": "open"},
           new={"status": "acknowledged", "cause": cause.code, "action": data.action, "note": data.note})
    emit(session, "alarm.acknowledged", {"alarm_id": alarm.id})
    return alarm


def station_hold(session: Session, station_code: str, recipe_id: int) -> tuple[bool, list[Alarm]]:
    """(stopped, open alarms) of a recipe at a station: stopped while a critical characteristic alarm is open."""
    station = session.scalar(select(Station).where(Station.code == station_code))
    if station is None:
        raise NotFound(f"Station {station_code} not found")
    alarms = list(session.scalars(select(Alarm).where(Alarm.station_id == station.id, Alarm.recipe_id == recipe_id,
                                                      Alarm.status == "open")
                                  .order_by(Alarm.detected_at.desc(), Alarm.id.desc()).limit(50)))
    return any(_critical(session, a) for a in alarms), alarms


def hold_problem(session: Session, station_id: int, recipe_id: int) -> str | None:
    """Why a new part of the recipe may not start at the station, or None."""
    alarms = session.scalars(select(Alarm).where(Alarm.station_id == station_id, Alarm.recipe_id == recipe_id,
                                                 Alarm.status == "open")).all()
    critical = [a for a in alarms if _critical(session, a)]
    if not critical:
        return None
    return (f"Alarm {critical[0].id} on a critical characteristic is open: new parts of this recipe are stopped "
            "at this station until it is acknowledged")


def _critical(session: Session, alarm: Alarm) -> bool:
    subtask = session.get(Subtask, alarm.subtask_id) if alarm.subtask_id else None
    return subtask is not None and subtask.characteristic_class == "critical"


def list_causes(session: Session, active_only: bool) -> list[AssignableCause]:
    """The catalog, by code."""
    stmt = select(AssignableCause).order_by(AssignableCause.code)
    if active_only:
        stmt = stmt.where(AssignableCause.active.is_(True))
    return list(session.scalars(stmt))


def create_cause(session: Session, data: CauseCreate, principal: Principal) -> AssignableCause:
    """Add a cause; 409 when the code exists."""
    if session.scalar(select(AssignableCause.id).where(AssignableCause.code == data.code)) is not None:
        raise Conflict(f"Cause {data.code} already exists")
    cause = AssignableCause(**data.model_dump(), created_at=utcnow())
    session.add(cause)
    session.flush()
    record(session, principal.actor, "create", "assignable_cause", cause.id, new=snapshot(cause, CAUSE_FIELDS))
    return cause


def update_cause(session: Session, cause_id: int, data: CauseUpdate, principal: Principal) -> AssignableCause:
    """Rename, describe, activate or retire a cause."""
    cause = get_or_404(session, AssignableCause, cause_id, "Assignable cause not found")
    old = snapshot(cause, CAUSE_FIELDS)
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is None and field != "description":
            continue
        setattr(cause, field, value)
    session.flush()
    record(session, principal.actor, "update", "assignable_cause", cause.id, old=old,
           new=snapshot(cause, CAUSE_FIELDS))
    return cause
