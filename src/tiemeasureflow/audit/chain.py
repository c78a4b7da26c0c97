"""The audit chain's hash: each row's digest covers its content and the previous digest."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from typing import Any

from ..models import AuditEvent


def canonical(value: Any) -> str:
    """Deterministic JSON for hashing."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)


def event_digest(event: AuditEvent) -> str:
    """SHA-256 over the event's fields and the previous hash."""
    occurred = event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = canonical([
        occurred, event.actor_id, event.actor_key_id, event.action, event.entity_type, event.entity_id,
        event.old_values, event.new_values, event.client_ip, event.prev_hash,
    ])
    return hashlib.sha256(body.encode()).hexdigest()
