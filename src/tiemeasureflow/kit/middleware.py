"""Request context: a request id on every response, the real client address, a cap on body size."""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .proxies import end_user_address, is_trusted

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Multipart framing around the largest accepted file.
BODY_OVERHEAD_BYTES = 1024 * 1024


def resolve_client_ip(scope: Scope, trusted_networks: list[Any]) -> str:
    """The peer address, or the nearest untrusted hop of X-Forwarded-For when the peer is a trusted proxy."""
    client = scope.get("client")
    peer: str = client[0] if client else "unknown"
    if not trusted_networks or not is_trusted(peer, trusted_networks):
        return peer
    return end_user_address(peer, ",".join(_headers(scope, b"x-forwarded-for")), trusted_networks)


def _headers(scope: Scope, name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in scope.get("headers", []) if key == name]


def _body_limit(scope: Scope) -> int | None:
    settings = getattr(getattr(scope.get("app"), "state", None), "settings", None)
    if settings is None:
        return None
    return int(max(settings.max_upload_bytes, settings.hardpy_max_report_mb * 1024 * 1024)) + BODY_OVERHEAD_BYTES


class RequestContextMiddleware:
    """Assigns X-Request-ID and the client IP before anything else runs, and caps request bodies."""

    def __init__(self, app: ASGIApp, trusted_networks: list[Any]):
        self.app = app
        self.trusted_networks = trusted_networks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next(iter(_headers(scope, b"x-request-id")), None)
        request_id = incoming if incoming and _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope["tmf_client_ip"] = resolve_client_ip(scope, self.trusted_networks)
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, _limited(receive, scope), send_with_id)


def _limited(receive: Receive, scope: Scope) -> Receive:
    """A receive that refuses bodies over the limit, before they fill the disk."""
    limit = _body_limit(scope)
    if limit is None:
        return receive
    declared = next(iter(_headers(scope, b"content-length")), None)
    seen = 0

    async def receive_limited() -> Message:
        nonlocal seen
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise HTTPException(413)
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413)
        return message

    return receive_limited
