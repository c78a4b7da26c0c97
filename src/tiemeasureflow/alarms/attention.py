"""What needs attention: characteristics ranked by open alarms, rising out-of-tolerance rate, low Cpk, drift."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from pydantic import BaseModel, Field
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from .. import spc
from ..models import Alarm, Measurement, Recipe, Subtask, utcnow
from ..statistics import queries
from .detection import DEFAULT_CPK_TARGET


class AttentionItem(BaseModel):
    """One characteristic and why it needs attention."""

    characteristic_id: int
    subtask_id: int
    recipe: dict
    marker_number: int
    description: str | None
    unit: str
    characteristic_class: str | None
    score: float = Field(description="Higher needs attention sooner; the sum of the weighted signals")
    reasons: list[str]
    open_alarms: int
    oot_rate_recent: float | None = Field(description="Share of values out of tolerance in the recent window")
    oot_rate_before: float | None = Field(description="The same share in the window before it")
    n_recent: int
    n_before: int
    cpk: float | None = Field(description="Cpk of the recent window against the newest tolerances")
    cpk_target: float
    drift: float | None = Field(description="Recent mean minus earlier mean, as a share of half the tolerance")
    chart_url: str


class Attention(BaseModel):
    """The ranking and the windows it was computed on."""

    recent_days: int
    baseline_days: int
    items: list[AttentionItem]


def _windows(session: Session, since, split) -> list:
    recent = Measurement.measured_at >= split
    fail = Measurement.pass_fail == "fail"
    return session.execute(
        select(Measurement.characteristic_id,
               func.sum(case((recent, 1), else_=0)), func.sum(case((recent & fail, 1), else_=0)),
               func.sum(case((~recent, 1), else_=0)), func.sum(case((~recent & fail, 1), else_=0)),
               func.avg(case((recent, Measurement.value))), func.avg(case((~recent, Measurement.value))))
        .where(Measurement.measured_at >= since).group_by(Measurement.characteristic_id)
    ).all()


def _recent_values(session: Session, characteristic_id: int, split) -> np.ndarray:
    rows = session.scalars(select(Measurement.value).where(Measurement.characteristic_id == characteristic_id,
                                                           Measurement.measured_at >= split)
                           .order_by(Measurement.measured_at, Measurement.id)).all()
    return np.array(rows, dtype=float)


def attention(session: Session, recent_days: int = 14, baseline_days: int = 60, limit: int = 20) -> Attention:
    """Characteristics measured in the windows, the most urgent first."""
    now = utcnow()
    split, since = now - timedelta(days=recent_days), now - timedelta(days=recent_days + baseline_days)
    open_counts = dict(session.execute(select(Alarm.characteristic_id, func.count())
                                       .where(Alarm.status == "open").group_by(Alarm.characteristic_id)).all())
    rows = _windows(session, since, split)
    if rows and not any(r[3] for r in rows):
        # No history before the recent window (a young database): compare its two halves instead.
        split = now - timedelta(days=recent_days / 2)
        rows = _windows(session, since, split)
    items = []
    for char_id, n_recent, f_recent, n_before, f_before, m_recent, m_before in rows:
        item = _item(session, char_id, int(n_recent or 0), int(f_recent or 0), int(n_before or 0),
                     int(f_before or 0), m_recent, m_before, open_counts.get(char_id, 0), split)
        if item is not None:
            items.append(item)
    items.sort(key=lambda i: (-i.score, -i.open_alarms, i.characteristic_id))
    return Attention(recent_days=recent_days, baseline_days=baseline_days, items=items[:limit])


def _item(session, char_id, n_recent, f_recent, n_before, f_before, m_recent, m_before, open_alarms, split):
    spec = queries.spec_for(session, char_id, None)
    if spec is None:
        return None
    subtask = session.get(Subtask, spec.subtask_id)
    recipe = session.get(Recipe, subtask.task.version.recipe_id)
    target = subtask.cpk_target or DEFAULT_CPK_TARGET
    rate_recent = f_recent / n_recent if n_recent else None
    rate_before = f_before / n_before if n_before else None
    cpk = None
    if n_recent >= 2 and (spec.ltl is not None or spec.utl is not None):
        value = spc.capability(_recent_values(session, char_id, split), spec.ltl, spec.utl, spec.nominal).cpk
        cpk = float(value) if value is not None and np.isfinite(value) else None
    drift = None
    if m_recent is not None and m_before is not None and spec.ltl is not None and spec.utl is not None \
            and spec.utl > spec.ltl:
        drift = (float(m_recent) - float(m_before)) / ((spec.utl - spec.ltl) / 2)
    reasons, score = [], 0.0
    if open_alarms:
        reasons.append(f"{open_alarms} open alarm(s)")
        score += min(open_alarms, 20) * 0.5
    if rate_recent:
        rise = rate_recent - (rate_before or 0.0)
        reasons.append(f"{rate_recent:.1%} out of tolerance recently"
                       + (f" against {rate_before:.1%} before" if rate_before is not None else ""))
        score += 20 * rate_recent + 20 * max(rise, 0.0)
    if cpk is not None and cpk < target:
        reasons.append(f"Cpk {cpk:.2f} below the target {target:g}")
        score += 5 * min(target - cpk, 2.0)
    if drift is not None and abs(drift) >= 0.1:
        reasons.append(f"mean moved by {drift:+.0%} of half the tolerance")
        score += 5 * min(abs(drift), 2.0)
    return AttentionItem(
        characteristic_id=char_id, subtask_id=spec.subtask_id,
        recipe={"id": recipe.id, "code": recipe.code, "name": recipe.name}, marker_number=spec.marker_number,
        description=spec.description, unit=spec.unit, characteristic_class=subtask.characteristic_class,
        score=round(score, 3), reasons=reasons, open_alarms=open_alarms, oot_rate_recent=rate_recent,
        oot_rate_before=rate_before, n_recent=n_recent, n_before=n_before, cpk=cpk, cpk_target=target,
        drift=drift, chart_url=f"/api/statistics/control-chart?recipe_id={recipe.id}&subtask_id={spec.subtask_id}")
