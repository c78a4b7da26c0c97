"""Sending one event to one channel: a signed webhook POST, an MQTT publish (QoS 1), an e-mail."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import smtplib
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import httpx
import paho.mqtt.client as mqtt

from ..config.server import Settings


class SendFailed(Exception):
    """The receiver did not take the event; `status` is its HTTP status when it answered."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def body_of(envelope: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed."""
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, body: bytes) -> str:
    """The X-TMF-Signature header value: sha256=<hex HMAC-SHA256 of the body>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(url: str, secret: str, envelope: dict[str, Any], delivery_id: int, timeout: float) -> int:
    """POST the event; returns the receiver's status, raises SendFailed unless it is 2xx."""
    body = body_of(envelope)
    headers = {"Content-Type": "application/json", "X-TMF-Signature": signature(secret, body),
               "X-TMF-Event": envelope["event"], "X-TMF-Delivery": str(delivery_id),
               "User-Agent": "TieMeasureFlow-Webhook"}
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise SendFailed(f"{type(exc).__name__}: {exc}") from None
    if not 200 <= response.status_code < 300:
        raise SendFailed(f"HTTP {response.status_code}", response.status_code)
    return response.status_code


_TOPIC_UNSAFE = re.compile(r"[/+#\s]")


def mqtt_topic(event_type: str, station_code: str | None) -> str:
    """tmf/<station code or ->/<event type with dots as levels>, e.g. tmf/ST-01/alarm/raised."""
    station = _TOPIC_UNSAFE.sub("_", station_code) if station_code else "-"
    return f"tmf/{station}/{event_type.replace('.', '/')}"


def publish_mqtt(url: str, topic: str, envelope: dict[str, Any], timeout: float) -> None:
    """Publish with QoS 1 and wait for the broker's PUBACK."""
    parts = urlsplit(url)
    if parts.scheme != "mqtt" or not parts.hostname:
        raise SendFailed(f"MQTT_URL must look like mqtt://host:port, not {url!r}")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv311)
    if parts.username:
        client.username_pw_set(parts.username, parts.password)
    try:
        client.connect(parts.hostname, parts.port or 1883, keepalive=30)
        client.loop_start()
        info = client.publish(topic, body_of(envelope), qos=1)
        info.wait_for_publish(timeout=timeout)
        if not info.is_published():
            raise SendFailed("the broker did not acknowledge the message")
    except (OSError, ValueError, RuntimeError) as exc:
        raise SendFailed(f"{type(exc).__name__}: {exc}") from None
    finally:
        client.loop_stop()
        client.disconnect()


def send_email(settings: Settings, envelope: dict[str, Any], timeout: float) -> None:
    """Mail the event to SMTP_TO through SMTP_HOST."""
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(_recipients(settings))
    message["Subject"] = subject(envelope)
    message.set_content(json.dumps(envelope, indent=2, sort_keys=True))
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_username, password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendFailed(f"{type(exc).__name__}: {exc}") from None


def subject(envelope: dict[str, Any]) -> str:
    """A readable e-mail subject for an event."""
    data = envelope.get("data") or {}
    recipe = (data.get("recipe") or {}).get("code") or "-"
    if envelope["event"].startswith("alarm."):
        ch = data.get("characteristic") or {}
        what = f"balloon {ch.get('marker_number', '?')} {ch.get('description') or ''}".strip()
        return f"[TieMeasureFlow] {envelope['event']} #{data.get('id')}: {recipe} {what} ({data.get('kind')})"
    return f"[TieMeasureFlow] {envelope['event']}: {recipe} serial {data.get('serial_number', '-')}"


def _recipients(settings: Settings) -> list[str]:
    return [a.strip() for a in settings.smtp_to.split(",") if a.strip()]


def email_enabled(settings: Settings) -> bool:
    """Whether e-mail is configured."""
    return bool(settings.smtp_host and _recipients(settings))


def email_events(settings: Settings) -> set[str]:
    """The event types that are e-mailed."""
    return {e.strip() for e in settings.smtp_events.split(",") if e.strip()}
