"""Characteristic gauge rules: read and replace, audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..audit.service import record
from ..identity.principal import Actor
from ..models import CharacteristicGaugeRule
from .schemas import GaugeRuleUpdate
from .service import characteristic_exists


def _view(characteristic_id: int, rule: CharacteristicGaugeRule | None) -> dict:
    if rule is None:
        return {"characteristic_id": characteristic_id, "gauge_required": False, "allowed_kinds": []}
    return {"characteristic_id": characteristic_id, "gauge_required": rule.gauge_required,
            "allowed_kinds": list(rule.allowed_kinds or [])}


def get_rule(session: Session, characteristic_id: int) -> dict:
    """The characteristic's rule, or the default (no gauge required, any kind)."""
    characteristic_exists(session, characteristic_id)
    return _view(characteristic_id, session.get(CharacteristicGaugeRule, characteristic_id))


def put_rule(session: Session, characteristic_id: int, data: GaugeRuleUpdate, actor: Actor) -> dict:
    """Replace the characteristic's rule; audited."""
    characteristic_exists(session, characteristic_id)
    rule = session.get(CharacteristicGaugeRule, characteristic_id)
    old = _view(characteristic_id, rule)
    if rule is None:
        rule = CharacteristicGaugeRule(characteristic_id=characteristic_id)
        session.add(rule)
    rule.gauge_required = data.gauge_required
    rule.allowed_kinds = sorted(set(data.allowed_kinds))
    rule.updated_by = actor.user_id
    session.flush()
    new = _view(characteristic_id, rule)
    record(session, actor, "update_gauge_rule", "characteristic", characteristic_id, old=old, new=new)
    return new
