"""Run-rule and capability alarms, detected after commit from the measurements that arrived.

`limits_for` is the one place that decides which control limits the rules judge against: the
characteristic's active frozen individuals-chart set when a metrologist has frozen one, else
limits computed from its recent history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import spc
from ..kit import watermark
from ..models import Alarm, Measurement, Run, Subtask, utcnow
from ..notifications.outbox import emit
from ..statistics import queries
from ..statistics.limits import active_for_characteristic
from ..statistics.rule_config import rules_for
from ..statistics.scope import superseded_ids

WINDOW = 125  # recent values a characteristic is judged on
MIN_BASELINE = 20  # values needed before the new ones for limits of their own
MIN_CAPABILITY_VALUES = 30
DEFAULT_CPK_TARGET = 1.33
RULE_SET = "we"
DRIFT_RULES = ("ewma", "cusum")


@dataclass(frozen=True)
class LimitsUsed:
    """Centre line, sigma and limits of the individuals chart, and where they came from."""

    center: float | None
    sigma: float | None
    ucl: float | None
    lcl: float | None
    source: str  # "computed" or "frozen"
    set_id: int | None = None

    def as_dict(self) -> dict:
        """The limits as stored with an alarm and shown in reports."""
        return {"center": self.center, "ucl": self.ucl, "lcl": self.lcl, "sigma": self.sigma,
                "source": self.source, "set_id": self.set_id, "chart": "imr", "rule_set": RULE_SET}


def limits_for(session: Session, characteristic_id: int, baseline: np.ndarray) -> LimitsUsed:
    """The individuals-chart limits a characteristic's new values are judged against.

    The active frozen I-MR set of the characteristic when there is one; otherwise computed from the
    baseline values (the characteristic's history before the new values).
    """
    frozen = active_for_characteristic(session, characteristic_id, "imr", 1)
    if frozen is not None and frozen.sigma:
        return LimitsUsed(frozen.center, frozen.sigma, frozen.ucl, frozen.lcl, "frozen", frozen.id)
    chart = spc.control_chart(baseline, "imr")
    return LimitsUsed(chart.primary.center, chart.primary.sigma, chart.primary.ucl, chart.primary.lcl, "computed")


def window(session: Session, characteristic_id: int) -> list:
    """The characteristic's latest current (not superseded) values, oldest first."""
    # The newest values by the characteristic's time index, stopping at WINDOW: a join to the
    # corrections would read (and sort) the characteristic's whole history first.
    rows = session.execute(
        select(Measurement.id, Measurement.value, Measurement.run_id, Measurement.subtask_id,
               Measurement.version_id, Measurement.measured_by)
        .where(Measurement.characteristic_id == characteristic_id,
               Measurement.id.not_in(superseded_ids(characteristic_id)))
        .order_by(Measurement.measured_at.desc(), Measurement.id.desc()).limit(WINDOW)
    ).all()
    return rows[::-1]


def _open_alarm(session: Session, characteristic_id: int, kind: str) -> Alarm | None:
    stmt = select(Alarm).where(Alarm.characteristic_id == characteristic_id, Alarm.kind == kind, Alarm.status == "open")
    if kind == "rule":  # EWMA/CUSUM alarms are rule alarms of their own (see drift_detection)
        stmt = stmt.where(or_(Alarm.rule.is_(None), Alarm.rule.not_in(DRIFT_RULES)))
    return session.scalar(stmt.order_by(Alarm.id.desc()).limit(1))


def _new_alarm(session: Session, kind: str, row, **fields) -> Alarm:
    run = session.get(Run, row.run_id) if row is not None else None
    alarm = Alarm(kind=kind, status="open", detected_at=utcnow(),
                  recipe_id=run.recipe_id if run else None, station_id=run.station_id if run else None,
                  run_id=run.id if run else None, operator_id=row.measured_by if row is not None else None,
                  **fields)
    session.add(alarm)
    session.flush()
    emit(session, "alarm.raised", {"alarm_id": alarm.id})
    return alarm


def check_rules(session: Session, characteristic_id: int, rows: list, new_ids: set[int]) -> None:
    """Raise (or extend the open) rule alarm when a rule fires at one of the new values."""
    first_new = next((i for i, r in enumerate(rows) if r.id in new_ids), len(rows))
    values = np.array([r.value for r in rows], dtype=float)
    baseline = values[:first_new] if first_new >= MIN_BASELINE else values
    limits = limits_for(session, characteristic_id, baseline)
    rules_used = rules_for(session, characteristic_id, None)  # the characteristic's configured run rules
    flags = spc.evaluate(values, limits.center, limits.sigma, rules_used.rule_set, rules_used.enabled,
                         rules_used.k_values)
    fired = [(i, flags.fired_at(i)) for i in range(first_new, len(rows)) if rows[i].id in new_ids]
    fired = [(i, rules) for i, rules in fired if rules]
    if not fired:
        return
    ids = [rows[i].id for i, _ in fired]
    rules = sorted({rule for _, hit in fired for rule in hit})
    existing = _open_alarm(session, characteristic_id, "rule")
    if existing is not None:
        existing.measurement_ids = sorted(set(existing.measurement_ids or []) | set(ids))
        return
    index, hit = fired[0]
    row = rows[index]
    rule_set = rules_used.rule_set
    described = "; ".join(f"rule {r}: {spc.describe(rule_set, r, rules_used.k_values.get(r))}" for r in rules)
    _new_alarm(session, "rule", row, rule=f"{rule_set}:" + ",".join(map(str, rules)), message=described,
               version_id=row.version_id, subtask_id=row.subtask_id, characteristic_id=characteristic_id,
               measurement_id=row.id, measurement_ids=ids, value=row.value,
               limits={**limits.as_dict(), "rule_set": rule_set})


def check_capability(session: Session, characteristic_id: int, rows: list) -> None:
    """Raise a capability alarm when the recent Cpk is below the characteristic's target (one open at a time)."""
    if len(rows) < MIN_CAPABILITY_VALUES:
        return
    spec = queries.spec_for(session, characteristic_id, None)
    if spec is None or (spec.ltl is None and spec.utl is None):
        return
    target = _cpk_target(session, spec.subtask_id)
    values = np.array([r.value for r in rows], dtype=float)
    cap = spc.capability(values, spec.ltl, spec.utl, spec.nominal)
    if cap.cpk is None or not np.isfinite(cap.cpk) or cap.cpk >= target:
        return
    if _open_alarm(session, characteristic_id, "capability") is not None:
        return
    row = rows[-1]
    _new_alarm(session, "capability", row, message=f"Cpk {cap.cpk:.2f} over the last {len(rows)} values is "
               f"below the target {target:g}", version_id=row.version_id, subtask_id=row.subtask_id,
               characteristic_id=characteristic_id, measurement_id=row.id, measurement_ids=[row.id],
               cpk=float(cap.cpk), cpk_target=target)


def _cpk_target(session: Session, subtask_id: int) -> float:
    target = session.scalar(select(Subtask.cpk_target).where(Subtask.id == subtask_id))
    return float(target) if target is not None else DEFAULT_CPK_TARGET


def new_measurements(session: Session, after: watermark.Position, limit: int) -> list:
    """Committed measurements past `after` in commit order (`watermark`): id, characteristic_id, xid."""
    horizon = watermark.horizon(session)
    return session.execute(select(Measurement.id, Measurement.characteristic_id, Measurement.xid)
                           .where(watermark.after(Measurement, after, horizon))
                           .order_by(*watermark.order(Measurement)).limit(limit)).all()
