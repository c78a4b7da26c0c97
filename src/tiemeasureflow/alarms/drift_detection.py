"""EWMA and CUSUM alarms: a characteristic that watches one of these charts gets an alarm when it signals.

Only the chart's own signals count (no run rules on these charts). Target and sigma come from the
characteristic's settings, else its active frozen I-MR set (centre line and sigma), else the
values before the new ones (their mean and MR-bar/d2(2)), as the run-rule alarms do.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Alarm, RuleConfig
from ..spc.cusum import cusum_chart
from ..spc.ewma import ewma_chart
from .detection import MIN_BASELINE, _new_alarm, limits_for


def check_drift(session: Session, characteristic_id: int, rows: list, new_ids: set[int]) -> None:
    """Raise (or extend the open) EWMA/CUSUM alarm when the chart signals at one of the new values."""
    config = session.get(RuleConfig, characteristic_id)
    if config is None or not config.drift_chart or not rows:
        return
    params = config.drift_parameters or {}
    first_new = next((i for i, r in enumerate(rows) if r.id in new_ids), len(rows))
    values = np.array([r.value for r in rows], dtype=float)
    target, sigma, source = params.get("target"), params.get("sigma"), "settings"
    if target is None or sigma is None:
        limits = limits_for(session, characteristic_id, values[:first_new] if first_new >= MIN_BASELINE else values)
        target = target if target is not None else limits.center
        sigma = sigma if sigma is not None else limits.sigma
        source = limits.source
    if target is None or not sigma or not np.isfinite(target) or not np.isfinite(sigma):
        return
    chart = config.drift_chart
    with np.errstate(over="ignore", invalid="ignore"):
        if chart == "ewma":
            signals = ewma_chart(values, target, sigma, params.get("ewma_lambda", 0.2), params.get("ewma_l", 3.0)).signals
        else:
            signals = cusum_chart(values, target, sigma, params.get("cusum_k", 0.5), params.get("cusum_h", 5.0)).signals
    fired = [int(i) for i in signals if i >= first_new and rows[i].id in new_ids]
    if not fired:
        return
    ids = [rows[i].id for i in fired]
    existing = session.scalar(select(Alarm).where(Alarm.characteristic_id == characteristic_id, Alarm.kind == "rule",
                                                  Alarm.rule == chart, Alarm.status == "open")
                              .order_by(Alarm.id.desc()).limit(1))
    if existing is not None:
        existing.measurement_ids = sorted(set(existing.measurement_ids or []) | set(ids))
        return
    row = rows[fired[0]]
    name = "EWMA" if chart == "ewma" else "CUSUM"
    _new_alarm(session, "rule", row, rule=chart, message=f"{name} chart signals a shift of the mean from {target:g}",
               version_id=row.version_id, subtask_id=row.subtask_id, characteristic_id=characteristic_id,
               measurement_id=row.id, measurement_ids=ids, value=row.value,
               limits={"chart": chart, "target": target, "sigma": sigma, "source": source,
                       **{k: v for k, v in params.items() if k not in ("target", "sigma")}})
