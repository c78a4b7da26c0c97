"""Schema building blocks shared by every domain: strict input, pages, messages."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, GetCoreSchemaHandler
from pydantic_core import core_schema
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from starlette.convertors import IntegerConvertor, register_url_convertor

T = TypeVar("T")

# Largest values of Integer (32-bit) and BigInteger id columns: bounds for id parameters, so an
# id no row can have is a 422 or 404, never a database error.
ID_MAX = 2**31 - 1
BIG_ID_MAX = 2**63 - 1


class SignedIntConvertor(IntegerConvertor):
    """Path integers with an optional minus sign, so `-1` reaches the route's bounds (422) like `0`."""

    regex = "-?[0-9]+"


# The path convertor name: `/{measurement_id:sint}`.
SIGNED_ID = "sint"
register_url_convertor(SIGNED_ID, SignedIntConvertor())

# Core-schema types whose JSON form is a string: parsed from text, never from a number.
_TEXT_TYPES = frozenset({"datetime", "date", "time", "timedelta", "uuid", "decimal", "enum"})
_NOT_SCHEMAS = frozenset({"cls", "metadata", "default", "members", "serialization", "ref", "config"})
NO_NUL_PATTERN = r"^[^\x00]*$"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _from_text(kind: str, target: Any, value: Any) -> Any:
    # A JSON number or boolean is never a date, a UUID or a decimal.
    if isinstance(value, (bool, int, float)):
        raise ValueError(f"expected a string holding a {kind}")
    if kind in ("datetime", "date") and isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError(f"expected an ISO 8601 {kind}")
    if kind == "enum" and isinstance(value, str):
        return target(value)
    return value


def _as_utc(value: datetime) -> datetime:
    # Naive times are taken as UTC; anything the UTC conversion cannot hold is refused, not a 500.
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:
        raise ValueError("datetime out of range") from None


def _text_parsed(node: Any, resolve: Any, seen: set[int]) -> None:
    """Rewrite a core schema in place: text-encoded types parse text, never numbers; strings refuse NUL."""
    if isinstance(node, list):
        for item in node:
            _text_parsed(item, resolve, seen)
        return
    if not isinstance(node, dict) or id(node) in seen:
        return
    seen.add(id(node))
    if node.get("type") == "definition-ref":
        _text_parsed(resolve(node), resolve, seen)
        return
    for key, value in node.items():
        if key not in _NOT_SCHEMAS:
            _text_parsed(value, resolve, seen)
    kind = node.get("type")
    if kind == "str" and "pattern" not in node:
        # No text column takes NUL (PostgreSQL refuses it); refused as a 422, and said so in OpenAPI.
        node["pattern"] = NO_NUL_PATTERN
    if kind not in _TEXT_TYPES or node.get("metadata", {}).get("tmf_from_text"):
        return
    inner = {**{k: v for k, v in node.items() if k != "ref"}, "strict": False,
             "metadata": {**node.get("metadata", {}), "tmf_from_text": True}}
    wrapped: core_schema.CoreSchema = core_schema.no_info_before_validator_function(
        partial(_from_text, kind, node.get("cls")), inner)
    if kind == "datetime":
        wrapped = core_schema.no_info_after_validator_function(_as_utc, wrapped)
    ref = node.get("ref")
    node.clear()
    node.update(wrapped, **({"ref": ref} if ref else {}))


class StrictInput(BaseModel):
    """Base of every write payload: unknown fields refused, no coercion, JSON semantics.

    Numbers and booleans are strict (`false` is not 0, `"1.5"` is not 1.5); types that JSON
    carries as strings (datetimes, dates, UUIDs, decimals, enums) are parsed from strings only;
    datetimes come out timezone-aware UTC (naive ones are taken as UTC); no string holds NUL.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        schema = handler(source)
        _text_parsed(schema, handler.resolve_ref_schema, set())
        return schema


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("expected an ISO 8601 datetime")
    return value


# A datetime query parameter: ISO 8601 text only (never a Unix timestamp), returned as aware UTC.
UtcDateTime = Annotated[datetime, BeforeValidator(_iso_datetime), AfterValidator(_as_utc)]


class OrmOutput(BaseModel):
    """Base of responses read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


class Message(BaseModel):
    """A plain confirmation."""

    message: str


class Page(BaseModel, Generic[T]):
    """The reference's page envelope."""

    items: list[T]
    total: int
    page: int
    per_page: int
    pages: int


def paginate(session: Session, stmt: Select[Any], page: int, per_page: int) -> tuple[list[Any], int, int]:
    """Run one page of a select; returns (rows, total, pages)."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return rows, total, max(1, math.ceil(total / per_page)) if total else 0
