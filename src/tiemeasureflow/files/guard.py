"""The upload route's body guard: stops reading a request once it is past the size limit.

Starlette parses (and spools to disk) a multipart body before the route function runs, so the
limit has to hold at the ASGI level: a declared Content-Length over it is refused before reading,
and the bytes actually received are counted as they arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive

from ..kit.errors import BadRequest
from .storage import FILE_SIZE_EXCEEDED

# Room for the multipart framing and the small form fields around the file itself;
# the file's own size is checked exactly while it is copied.
MULTIPART_ALLOWANCE = 64 * 1024


class _BodyTooLarge(Exception):
    """Raised inside the body parser to stop it reading."""


class _CountingReceive:
    """An ASGI receive that raises once more than `limit` body bytes have arrived."""

    def __init__(self, receive: Receive, limit: int):
        self._receive = receive
        self.limit = limit
        self.received = 0
        self.exceeded = False

    async def __call__(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                raise _BodyTooLarge()
        return message


def _declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


class UploadLimitRoute(APIRoute):
    """A route whose body may not exceed the upload limit (MAX_UPLOAD_SIZE_MB) plus the multipart framing."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded_handler(request: Request) -> Response:
            limit = request.app.state.settings.max_upload_bytes + MULTIPART_ALLOWANCE
            declared = _declared_length(request)
            if declared is not None and declared > limit:
                raise BadRequest(FILE_SIZE_EXCEEDED)
            counting = _CountingReceive(request.receive, limit)
            try:
                return await handler(Request(request.scope, counting))
            except Exception:
                # The parser reports the interruption as its own error; the cause is the size.
                if counting.exceeded:
                    raise BadRequest(FILE_SIZE_EXCEEDED) from None
                raise

        return guarded_handler
