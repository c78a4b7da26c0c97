"""The demo's alarm loop: characteristic classes and reaction plans, alarms with acknowledgements, a webhook.

Alarms are made from the history's own out-of-tolerance values of the last two weeks, so each one
points at a real measurement, run, station and operator. Older ones are acknowledged by the
metrologist with a cause and an action (audited); the newest few on non-critical characteristics
stay open, so a newcomer sees both halves of the loop without a station being stopped.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ..audit.service import record
from ..identity.principal import Actor, Principal
from ..models import Alarm, Measurement, Recipe, RecipeVersion, Run, Subtask, Task, User, Webhook, utcnow
from ..statistics.limits import freeze
from ..statistics.limits_schemas import LimitSetCreate

# Characteristic description -> (class, reaction plan, Cpk target)
REACTIONS = {
    "Bearing seat diameter": ("critical", "STOP the lathe. Quarantine the parts since the last good check. "
                              "Check insert wear and the X offset, measure 5 parts after correction, "
                              "call the metrologist to acknowledge before restarting.", 1.67),
    "Overall length": ("major", "Check the Z offset and the bar stop; measure the next 3 parts.", None),
    "Keyway width": ("major", "Check the cutter width; measure the next 3 parts.", None),
    "Bolt circle diameter": ("major", "Check the fixture zero; re-measure on the CMM.", None),
    "Bore diameter": ("critical", "STOP. Check the boring bar and the gauge; quarantine the lot.", None),
}
CAUSES = (("tool_wear", "Insert changed, X offset corrected by 0.01 mm"),
          ("setup", "Offset re-entered after the changeover"),
          ("temperature", "Part measured warm: re-measured after 20 min, in tolerance"),
          ("gauge", "Caliper re-zeroed, value re-measured"))
RECENT_DAYS = 14
PER_CHARACTERISTIC = 12
OPEN_PER_CHARACTERISTIC = 2
DEMO_WEBHOOK_URL = "http://127.0.0.1:8765/tmf-events"
# Characteristics whose control limits the metrologist froze after phase I: (description, chart, subgroup size, baseline).
FROZEN_LIMITS = (("Keyway width", "imr", 1, 100), ("Overall length", "xbar_r", 5, 25))


def build_loop(session: Session, seed: int) -> int:
    """Classes, alarms and a webhook for the demo; returns how many alarms were made."""
    rng = np.random.default_rng(seed + 12)
    classes = _classify(session)
    metrologist = session.scalar(select(User.id).where(User.username == "metrologist"))
    actor = Actor(metrologist, None, None)
    made = 0
    for (_subtask_id, char_id), rows in _recent_failures(session).items():
        critical = classes.get(char_id) == "critical"
        for position, row in enumerate(rows):
            alarm = Alarm(kind="tolerance", status="open", message=f"Value {row.value:g} is out of tolerance",
                          recipe_id=row.recipe_id, version_id=row.version_id, subtask_id=row.subtask_id,
                          characteristic_id=char_id, measurement_id=row.id, measurement_ids=[row.id],
                          value=row.value, run_id=row.run_id, station_id=row.station_id, operator_id=row.measured_by,
                          detected_at=row.measured_at)
            session.add(alarm)
            session.flush()
            made += 1
            if not critical and position >= len(rows) - OPEN_PER_CHARACTERISTIC:
                continue  # the newest stay open
            cause, action = CAUSES[int(rng.integers(len(CAUSES)))]
            alarm.status, alarm.cause_code, alarm.action = "acknowledged", cause, action
            alarm.acknowledged_by = metrologist
            alarm.acknowledged_at = min(row.measured_at + timedelta(minutes=int(rng.integers(4, 95))), utcnow())
            alarm.note = "Demo acknowledgement"
            record(session, actor, "acknowledge", "alarm", alarm.id, old={"status": "open"},
                   new={"status": "acknowledged", "cause": cause, "action": action, "note": alarm.note})
    made += _capability_alarms(session)
    _freeze_limits(session, session.get(User, metrologist))
    if session.scalar(select(Webhook.id).limit(1)) is None:
        now = utcnow()
        hook = Webhook(url=DEMO_WEBHOOK_URL, secret="demo-webhook-secret",
                       events=["alarm.raised", "alarm.acknowledged", "run.failed"], active=False,
                       description="Demo receiver: point it at your MES or chat bridge and activate it",
                       created_at=now, updated_at=now)
        session.add(hook)
        session.flush()
        record(session, Actor(None, None, None), "create", "webhook", hook.id,
               new={"url": hook.url, "events": hook.events, "active": hook.active})
    return made


def _freeze_limits(session: Session, metrologist: User) -> None:
    """Phase II on a few characteristics: limits frozen from their first parts, by the metrologist (audited)."""
    principal = Principal(None, metrologist, "127.0.0.1")
    for description, chart, size, baseline in FROZEN_LIMITS:
        current = session.execute(
            select(Subtask.id, Recipe.id, Subtask.characteristic_id).join(Task, Task.id == Subtask.task_id)
            .join(RecipeVersion, RecipeVersion.id == Task.version_id)
            .join(Recipe, Recipe.current_version_id == RecipeVersion.id)
            .where(Subtask.description == description).limit(1)).first()
        if current is None:
            continue
        # A small demo history has fewer parts: the baseline is at most the first half of them.
        available = session.scalar(select(func.count(Measurement.id))
                                   .where(Measurement.characteristic_id == current[2])) or 0
        baseline = min(baseline, available // 2 // size)
        if baseline < 2:
            continue
        baseline_field = "baseline_points" if chart == "imr" else "baseline_subgroups"
        freeze(session, LimitSetCreate.model_validate({
            "recipe_id": current[1], "subtask_id": current[0], "chart": chart, "subgroup_size": size,
            baseline_field: baseline, "reason": "Phase I complete: process released after the first parts"}), principal)


def _capability_alarms(session: Session) -> int:
    """An open capability alarm (no station: it stops nothing) per characteristic whose recent Cpk is low."""
    from ..alarms.attention import attention  # the ranking's own Cpk, so both agree

    made = 0
    for item in attention(session, limit=200).items:
        if item.cpk is None or item.cpk >= item.cpk_target:
            continue
        session.add(Alarm(kind="capability", status="open", recipe_id=item.recipe["id"], subtask_id=item.subtask_id,
                          characteristic_id=item.characteristic_id, measurement_ids=[], cpk=item.cpk,
                          cpk_target=item.cpk_target, detected_at=utcnow(),
                          message=f"Cpk {item.cpk:.2f} over the last {item.n_recent} values is below the target "
                                  f"{item.cpk_target:g}"))
        made += 1
    session.flush()
    return made


def _classify(session: Session) -> dict[int, str]:
    """Set class, reaction plan and Cpk target on every version of the named characteristics."""
    classes = {}
    for subtask in session.scalars(select(Subtask).where(Subtask.description.in_(REACTIONS))):
        klass, plan, target = REACTIONS[subtask.description]
        subtask.characteristic_class, subtask.reaction_plan, subtask.cpk_target = klass, plan, target
        classes[subtask.characteristic_id] = klass
    session.flush()
    return classes


def _recent_failures(session: Session) -> dict[tuple[int, int], list]:
    """The latest out-of-tolerance current values per characteristic, oldest first."""
    later = aliased(Measurement)
    since = utcnow() - timedelta(days=RECENT_DAYS)
    rows = session.execute(
        select(Measurement.id, Measurement.value, Measurement.subtask_id, Measurement.version_id,
               Measurement.characteristic_id, Measurement.run_id, Measurement.measured_by, Measurement.measured_at,
               Run.recipe_id, Run.station_id)
        .join(Run, Run.id == Measurement.run_id)
        .outerjoin(later, later.supersedes_id == Measurement.id)
        .where(Measurement.pass_fail == "fail", Measurement.measured_at >= since, later.id.is_(None),
               Run.source == "station")
        .order_by(Measurement.measured_at, Measurement.id)
    ).all()
    grouped: dict[tuple[int, int], list] = {}
    for row in rows:
        grouped.setdefault((row.subtask_id, row.characteristic_id), []).append(row)
    return {key: found[-PER_CHARACTERISTIC:] for key, found in grouped.items()}
