"""The audit chain's hash: each row's HMAC covers its content and the previous row's.

The HMAC key lives outside the database (AUDIT_KEY, or derived from the server's secret), so
whoever can write the database but lacks the key cannot recompute a consistent chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC
from typing import Any

from ..models import AuditEvent

# The hash the first event of every trail links to.
GENESIS_HASH = hashlib.sha256(b"tiemeasureflow-audit-genesis").hexdigest()


def canonical(value: Any) -> str:
    """Deterministic JSON for hashing."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)


def event_digest(event: AuditEvent, key: bytes) -> str:
    """HMAC-SHA256 under the audit key over the event's fields and the previous hash."""
    occurred = event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = canonical([
        occurred, event.actor_id, event.actor_key_id, event.action, event.entity_type, event.entity_id,
        event.old_values, event.new_values, event.client_ip, event.prev_hash,
    ])
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def content_digest(event: AuditEvent, key: bytes) -> str:
    """HMAC-SHA256 under the audit key over the event's fields alone (no link), set when it is written.

    The sealer links only events whose content digest holds, so a row slipped in without the key
    never enters the chain, and an edit before sealing is caught like one after it.
    """
    occurred = event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = canonical([
        "content", occurred, event.actor_id, event.actor_key_id, event.action, event.entity_type, event.entity_id,
        event.old_values, event.new_values, event.client_ip,
    ])
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def plain_digest(event: AuditEvent) -> str:
    """The unkeyed SHA-256 of earlier versions, for re-signing an existing trail once."""
    occurred = event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = canonical([
        occurred, event.actor_id, event.actor_key_id, event.action, event.entity_type, event.entity_id,
        event.old_values, event.new_values, event.client_ip, event.prev_hash,
    ])
    return hashlib.sha256(body.encode()).hexdigest()
