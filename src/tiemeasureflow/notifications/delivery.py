"""The outbox's way out: fan events out to channels, then send due deliveries with retries.

Each step is its own short transaction and nothing is sent while a transaction is open, so a
slow or absent receiver never holds a lock a measurement needs. A delivery is leased before
it is sent (its next attempt moved past the send's timeout), so two workers never send it at
the same time, and a worker killed mid-send leaves it due again once the lease runs out.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..config.server import Settings
from ..kit.db import unit_of_work
from ..models import Delivery, Event, Webhook, utcnow
from . import channels, payloads

log = logging.getLogger("tiemeasureflow.notifications")
BATCH = 100
MAX_BACKOFF_SECONDS = 3600.0


def _iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def fan_out(factory: sessionmaker[Session], settings: Settings) -> int:
    """Complete new events' payloads and create one pending delivery per interested channel."""
    with unit_of_work(factory) as session:
        events = session.scalars(select(Event).where(Event.dispatched_at.is_(None)).order_by(Event.id)
                                 .limit(BATCH).with_for_update(skip_locked=True)).all()
        if not events:
            return 0
        hooks = session.scalars(select(Webhook).where(Webhook.active.is_(True))).all()
        now = utcnow()
        for event in events:
            data = payloads.complete(session, event.type, event.payload)
            event.payload = {"event": event.type, "id": event.id, "occurred_at": _iso(event.created_at),
                             "data": data}
            event.dispatched_at = now
            if data is None:
                continue
            targets = [("webhook", h.id) for h in hooks if event.type in (h.events or [])]
            if settings.mqtt_url:
                targets.append(("mqtt", None))
            if channels.email_enabled(settings) and event.type in channels.email_events(settings):
                targets.append(("email", None))
            session.add_all(Delivery(event_id=event.id, channel=channel, webhook_id=hook_id, status="pending",
                                     attempts=0, next_attempt_at=now, created_at=now)
                            for channel, hook_id in targets)
        return len(events)


def _claim(factory: sessionmaker[Session], settings: Settings) -> list[tuple]:
    """Lease the due deliveries; returns what each send needs."""
    lease = timedelta(seconds=settings.webhook_timeout_seconds * 3 + 30)
    with unit_of_work(factory) as session:
        now = utcnow()
        due = session.scalars(select(Delivery).where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
                              .order_by(Delivery.id).limit(BATCH).with_for_update(skip_locked=True)).all()
        jobs = []
        for delivery in due:
            delivery.attempts += 1
            delivery.last_attempt_at = now
            delivery.next_attempt_at = now + lease
            event = session.get(Event, delivery.event_id)
            hook = session.get(Webhook, delivery.webhook_id) if delivery.webhook_id else None
            if delivery.channel == "webhook" and (hook is None or not hook.active):
                delivery.status, delivery.error = "failed", "the webhook was deactivated"
                continue
            jobs.append((delivery.id, delivery.channel, delivery.attempts, event.type, event.payload,
                         hook.url if hook else None, hook.secret if hook else None))
        return jobs


def _send(settings: Settings, job: tuple) -> int | None:
    delivery_id, channel, _, event_type, envelope, url, secret = job
    timeout = settings.webhook_timeout_seconds
    if channel == "webhook":
        return channels.send_webhook(url, secret, envelope, delivery_id, timeout)
    if channel == "mqtt":
        topic = channels.mqtt_topic(event_type, payloads.station_code(envelope.get("data") or {}))
        channels.publish_mqtt(settings.mqtt_url, topic, envelope, timeout)
        return None
    channels.send_email(settings, envelope, timeout)
    return None


def _record(factory: sessionmaker[Session], settings: Settings, job: tuple, status: int | None,
            error: channels.SendFailed | None) -> None:
    delivery_id, _, attempts = job[0], job[1], job[2]
    with unit_of_work(factory) as session:
        delivery = session.get(Delivery, delivery_id)
        if delivery is None:  # its webhook was deleted meanwhile
            return
        now = utcnow()
        if error is None:
            delivery.status, delivery.delivered_at, delivery.response_status, delivery.error = \
                "delivered", now, status, None
            return
        delivery.response_status, delivery.error = error.status, str(error)[:2000]
        if attempts >= settings.webhook_max_attempts:
            delivery.status = "failed"
        else:
            wait = min(settings.webhook_retry_seconds * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS)
            delivery.next_attempt_at = now + timedelta(seconds=wait)


def deliver_due(factory: sessionmaker[Session], settings: Settings) -> int:
    """Send every due delivery once; failures are retried later with backoff."""
    jobs = _claim(factory, settings)
    for job in jobs:
        try:
            status, error = _send(settings, job), None
        except channels.SendFailed as exc:
            status, error = exc.status, exc
        except Exception as exc:  # a bug in one channel must not stop the others
            log.exception("delivery %s failed", job[0])
            status, error = None, channels.SendFailed(f"{type(exc).__name__}: {exc}")
        _record(factory, settings, job, status, error)
    return len(jobs)
