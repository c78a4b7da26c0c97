"""Idempotency-Key on creating writes: a repeated request gets the first answer and stores nothing.

The answer is remembered in the request's own transaction, so a key is stored exactly when its
write is: a client that lost the answer (the server died after the commit, the network dropped
it) retries with the same key and receives what it missed.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.responses import Response
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..kit.errors import Conflict, Unprocessable
from ..models import IdempotencyKey, utcnow

KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"
PURGE_EVERY_S = 600.0
_last_purge = {"at": float("-inf")}


@dataclass(frozen=True)
class Idempotency:
    """The caller's key, the fingerprint of its request and how long answers are kept."""

    key: str
    fingerprint: str
    keep: timedelta


def fingerprint(method: str, path: str, body: bytes) -> str:
    """sha256 of the request: JSON bodies in canonical form, so spacing and key order do not matter."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + canonical).hexdigest()


async def idempotency_key(
    request: Request,
    key: Annotated[str | None, Header(
        alias="Idempotency-Key", pattern=KEY_PATTERN,
        description="A client-chosen key (1-255 visible ASCII characters) that makes a retry safe: a repeat "
                    "with the same key and body answers the first answer and stores nothing; the same key "
                    "with another body is 422.")] = None,
) -> Idempotency | None:
    """The request's Idempotency-Key, if it sent one."""
    if key is None:
        return None
    body = await request.body()
    hours = request.app.state.settings.idempotency_key_hours
    return Idempotency(key, fingerprint(request.method, request.url.path, body), timedelta(hours=hours))


IdempotencyDep = Annotated[Idempotency | None, Depends(idempotency_key)]


def _purge(session: Session, keep: timedelta) -> None:
    # Expired keys go in bulk now and then rather than on every write.
    now = time.monotonic()
    if now - _last_purge["at"] >= PURGE_EVERY_S:
        _last_purge["at"] = now
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < utcnow() - keep))


def respond_once(session: Session, user_id: int, idem: Idempotency | None, status: int,
                 produce: Callable[[], bytes | str]) -> Response:
    """Run `produce` (the write, returning the JSON answer) once per key; replay its answer after."""
    if idem is None:
        return Response(produce(), status_code=status, media_type="application/json")
    row = session.get(IdempotencyKey, (user_id, idem.key))
    if row is not None and row.created_at < utcnow() - idem.keep:
        session.delete(row)  # expired: the key is free again
        session.flush()
        row = None
    if row is not None:
        if row.fingerprint != idem.fingerprint:
            raise Unprocessable("Idempotency-Key was already used for a different request")
        return Response(row.response, status_code=row.status_code, media_type="application/json",
                        headers={"Idempotent-Replayed": "true"})
    _purge(session, idem.keep)
    # Claimed before the write: a concurrent twin waits on the key's row and is then refused.
    claim = IdempotencyKey(user_id=user_id, key=idem.key, fingerprint=idem.fingerprint, status_code=status,
                           response=b"", created_at=utcnow())
    session.add(claim)
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("A request with this Idempotency-Key is in progress; retry it",
                       headers={"Retry-After": "1"}) from None
    body = produce()
    claim.response = body.encode() if isinstance(body, str) else body
    session.flush()
    return Response(claim.response, status_code=status, media_type="application/json")
