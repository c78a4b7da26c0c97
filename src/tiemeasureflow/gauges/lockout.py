"""The calibration lockout: a value is refused when its gauge may not be used or does not fit the rule."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..kit.errors import Conflict, NotFound
from ..models import CharacteristicGaugeRule, Gauge
from .service import describe, today


def rules_for(session: Session, characteristic_ids: Iterable[int]) -> dict[int, CharacteristicGaugeRule]:
    """The gauge rules of the characteristics that have one."""
    ids = set(characteristic_ids)
    if not ids:
        return {}
    stmt = select(CharacteristicGaugeRule).where(CharacteristicGaugeRule.characteristic_id.in_(ids))
    return {r.characteristic_id: r for r in session.scalars(stmt)}


def check_values(session: Session, items: Iterable[tuple[str, int, str | None]]) -> None:
    """Refuse (prefix, characteristic_id, gauge_code) items: 404 unknown gauge, 409 not usable today or against the rule.

    Cheap when no gauge and no rule is involved: one indexed lookup of the characteristics' rules.
    """
    items = list(items)
    rules = rules_for(session, {c for _, c, _ in items})
    codes = {g for _, _, g in items if g is not None}
    if not codes and not rules:
        return
    gauges = {g.code: g for g in session.scalars(select(Gauge).where(Gauge.code.in_(codes)))} if codes else {}
    on = today()
    for prefix, characteristic_id, code in items:
        rule = rules.get(characteristic_id)
        if code is None:
            if rule is not None and rule.gauge_required:
                raise Conflict(f"{prefix}characteristic {characteristic_id} must be measured with a gauge: "
                                    "give gauge_code")
            continue
        gauge = gauges.get(code)
        if gauge is None:
            raise NotFound(f"{prefix}gauge {code} is not in the gauge register")
        state = describe(gauge, on, 0)
        if not state["usable"]:
            due = gauge.next_due_on.isoformat() if gauge.next_due_on else "none"
            raise Conflict(f"{prefix}{state['warning']}; values taken with it are refused "
                           f"(gauge {gauge.code}, status {gauge.status}, next due {due})")
        if rule is not None and rule.allowed_kinds and gauge.kind not in rule.allowed_kinds:
            raise Conflict(f"{prefix}characteristic {characteristic_id} must be measured with a "
                                f"{' or '.join(rule.allowed_kinds)}; gauge {gauge.code} is a {gauge.kind}")
