"""Webhook management (audited; the secret is never written to the trail) and the delivery log."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..audit.service import record, snapshot
from ..identity.principal import Principal
from ..kit.db import get_or_404
from ..models import Delivery, Event, Webhook, utcnow
from .schemas import DeliveryResponse, WebhookCreate, WebhookUpdate

FIELDS = ("url", "events", "description", "active")


def get_webhook(session: Session, webhook_id: int) -> Webhook:
    """One webhook; 404 when unknown."""
    hook = get_or_404(session, Webhook, webhook_id, "Webhook not found")
    return hook


def list_webhooks(session: Session) -> list[Webhook]:
    """Every webhook, by id."""
    return list(session.scalars(select(Webhook).order_by(Webhook.id)))


def create_webhook(session: Session, data: WebhookCreate, principal: Principal) -> Webhook:
    """Register a receiver."""
    now = utcnow()
    hook = Webhook(url=data.url, secret=data.secret, events=list(dict.fromkeys(data.events)),
                   description=data.description, active=data.active, created_at=now, updated_at=now)
    session.add(hook)
    session.flush()
    record(session, principal.actor, "create", "webhook", hook.id, new=snapshot(hook, FIELDS))
    return hook


def update_webhook(session: Session, webhook_id: int, data: WebhookUpdate, principal: Principal) -> Webhook:
    """Change a receiver's URL, secret, events, description or active flag."""
    hook = get_webhook(session, webhook_id)
    old = snapshot(hook, FIELDS)
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field != "description":
            continue
        setattr(hook, field, list(dict.fromkeys(value)) if field == "events" else value)
    hook.updated_at = utcnow()
    session.flush()
    new = snapshot(hook, FIELDS)
    if "secret" in changes and changes["secret"] is not None:
        new["secret_changed"] = True
    record(session, principal.actor, "update", "webhook", hook.id, old=old, new=new)
    return hook


def delete_webhook(session: Session, webhook_id: int, principal: Principal) -> None:
    """Remove a receiver and its delivery log."""
    hook = get_webhook(session, webhook_id)
    old = snapshot(hook, FIELDS)
    session.query(Delivery).filter(Delivery.webhook_id == hook.id).delete(synchronize_session=False)
    session.delete(hook)
    session.flush()
    record(session, principal.actor, "delete", "webhook", webhook_id, old=old)


def deliveries(session: Session, webhook_id: int, status: str | None) -> Select:
    """The webhook's deliveries, newest first."""
    get_webhook(session, webhook_id)
    stmt = (select(Delivery, Event.type).join(Event, Event.id == Delivery.event_id)
            .where(Delivery.webhook_id == webhook_id).order_by(Delivery.id.desc()))
    if status:
        stmt = stmt.where(Delivery.status == status)
    return stmt


def delivery_response(delivery: Delivery, event_type: str) -> DeliveryResponse:
    """The API shape of a delivery; a finished one has no next attempt."""
    return DeliveryResponse(
        id=delivery.id, event_id=delivery.event_id, event_type=event_type, status=delivery.status,
        attempts=delivery.attempts, next_attempt_at=delivery.next_attempt_at if delivery.status == "pending" else None,
        last_attempt_at=delivery.last_attempt_at, response_status=delivery.response_status, error=delivery.error,
        delivered_at=delivery.delivered_at, created_at=delivery.created_at)
