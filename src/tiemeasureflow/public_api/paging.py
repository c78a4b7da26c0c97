"""Keyset paging for the public lists: opaque cursors on (time, id), and the paging headers."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Query, Request
from sqlalchemy import ColumnElement, and_, or_

from ..kit.errors import AppError
from ..kit.proxies import is_trusted

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
NEXT_CURSOR_HEADER = "X-Next-Cursor"
TOTAL_HEADER = "X-Total-Count"
PAGING_HEADERS = {
    TOTAL_HEADER: {"description": "How many items match the filters over all pages (pages reached by cursor "
                                  "repeat the count taken on the walk's first page)", "schema": {"type": "integer"}},
    NEXT_CURSOR_HEADER: {"description": "Cursor of the next page; absent on the last page", "schema": {"type": "string"}},
    "Link": {"description": 'The next page\'s URL as `<...>; rel="next"`; absent on the last page',
             "schema": {"type": "string"}},
}


class InvalidCursor(AppError):
    """422: a cursor this server did not issue for this list."""

    status_code = 422
    default_detail = "Invalid cursor: pass back the value of X-Next-Cursor unchanged"


@dataclass(frozen=True)
class Position:
    """Where a page starts: after the item with this (time, id); the walk's total under its filters."""

    time: datetime
    id: Any
    total: int | None = None
    scope: str = ""


@dataclass(frozen=True)
class PageRequest:
    """Validated limit, offset, order and decoded cursor."""

    limit: int
    offset: int
    order: Literal["asc", "desc"]
    after: Position | None


def encode_cursor(kind: str, order: str, time: datetime, item_id: Any, total: int, scope: str) -> str:
    """An opaque cursor pointing just past one item of a list, carrying the walk's total and filters."""
    payload = {"k": kind, "o": order, "t": time.isoformat(), "i": str(item_id), "n": total, "s": scope}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(raw: str, kind: str, order: str, id_type: type) -> Position:
    """The position inside a cursor; 422 when it is not one of ours for this list and order."""
    try:
        padded = raw + "=" * (-len(raw) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if payload["k"] != kind or payload["o"] != order:
            raise InvalidCursor("The cursor belongs to another list or sort order")
        time = datetime.fromisoformat(payload["t"])
        if time.tzinfo is None:
            raise ValueError("naive time")
        item_id = uuid.UUID(payload["i"]) if id_type is uuid.UUID else int(payload["i"])
        total, scope = payload.get("n"), payload.get("s", "")
        if not (isinstance(item_id, uuid.UUID) or 0 <= item_id < 2**63) or not isinstance(scope, str) \
                or not (total is None or (type(total) is int and 0 <= total < 2**63)):
            raise ValueError("out of range")
        return Position(time.astimezone(UTC), item_id, total, scope)
    except InvalidCursor:
        raise
    except (ValueError, KeyError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError, AttributeError):
        raise InvalidCursor() from None


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1-1000)", examples=[100])] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip (after the cursor, if any). "
                                 "Deep offsets cost more; use `cursor` to walk far.")] = 0,
    cursor: Annotated[str | None, Query(max_length=512, description="Opaque position from the `X-Next-Cursor` "
                                        "header of the previous page; constant cost at any depth")] = None,
    order: Annotated[Literal["asc", "desc"], Query(description="By start time: `asc` oldest first "
                                                   "(new runs arrive on the last page), `desc` newest first")] = "asc",
) -> dict[str, Any]:
    """The raw paging parameters; the list decodes the cursor against its own key."""
    return {"limit": limit, "offset": offset, "cursor": cursor, "order": order}


def resolve_page(params: dict[str, Any], kind: str, id_type: type) -> PageRequest:
    """Validated paging for one list."""
    after = decode_cursor(params["cursor"], kind, params["order"], id_type) if params["cursor"] else None
    return PageRequest(params["limit"], params["offset"], params["order"], after)


def keyset(time_col, id_col, page: PageRequest) -> tuple[list[ColumnElement], list]:
    """WHERE terms placing rows after the cursor, and the matching ORDER BY."""
    if page.order == "asc":
        order_by = [time_col.asc(), id_col.asc()]
        if page.after is None:
            return [], order_by
        t, i = page.after.time, page.after.id
        # The plain range term lets the (time, id) index start at the cursor.
        return [time_col >= t, or_(time_col > t, and_(time_col == t, id_col > i))], order_by
    order_by = [time_col.desc(), id_col.desc()]
    if page.after is None:
        return [], order_by
    t, i = page.after.time, page.after.id
    return [time_col <= t, or_(time_col < t, and_(time_col == t, id_col < i))], order_by


def paging_headers(request: Request, total: int, next_cursor: str | None, trusted_networks: list) -> dict[str, str]:
    """X-Total-Count, and X-Next-Cursor with a Link to the next page when there is one."""
    headers = {TOTAL_HEADER: str(total)}
    if next_cursor is None:
        return headers
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("cursor", "offset")]
    query.append(("cursor", next_cursor))
    headers[NEXT_CURSOR_HEADER] = next_cursor
    headers["Link"] = f'<{_base_url(request, trusted_networks)}{request.url.path}?{urlencode(query)}>; rel="next"'
    return headers


def _base_url(request: Request, trusted_networks: list) -> str:
    # Behind a trusted TLS proxy the app sees http; the client must get the URL it called.
    scheme = request.url.scheme
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-proto", "")
    if forwarded in ("http", "https") and is_trusted(peer, trusted_networks):
        scheme = forwarded
    return f"{scheme}://{request.url.netloc}"
