"""JSON bodies with a key given twice (`{"value": 1, "value": 2}`) are refused, not read as the last one.

Python's JSON parser keeps the last of repeated keys silently; a client that sent two values must
learn that neither was taken. Checked once in front of every route, on the buffered body.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_response

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class DuplicateKey(ValueError):
    """A JSON object repeats a key."""


def _unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        repeated = next(k for k, _ in pairs if k in seen or _note(seen, k))
        raise DuplicateKey(repeated)
    return result


def _note(seen: set[str], key: str) -> bool:
    seen.add(key)
    return False


def repeated_key(body: bytes) -> str | None:
    """The first key repeated inside one JSON object of the body, or None (also for text that is not JSON)."""
    try:
        json.loads(body, object_pairs_hook=_unique)
    except DuplicateKey as exc:
        return str(exc)
    except ValueError:
        return None  # not JSON: the route's own validation answers
    return None


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            kind: bytes = value.split(b";", 1)[0].strip().lower()
            return kind == b"application/json" or kind.endswith(b"+json")
    return False


class DuplicateKeyMiddleware:
    """Answers 422 to a JSON body that repeats a key in one object; passes everything else through."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away: nobody to answer
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        key = repeated_key(body) if body else None
        if key is not None:
            detail = [{"loc": ["body"], "msg": f"Duplicate key {key!r} in a JSON object", "type": "json_duplicate_key"}]
            await error_response(422, detail)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
