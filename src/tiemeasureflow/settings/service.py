"""Settings rules: known keys validated, custom keys stored as strings, audited."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..identity.principal import Actor
from ..kit.errors import Unprocessable
from ..models import Setting
from .schemas import DECIMAL_SEPARATORS, DELIMITERS, KEY_PATTERN, MAX_CUSTOM_KEYS, MAX_VALUE_LENGTH, READ_ONLY_KEYS

DEFAULTS: dict[str, str | None] = {
    "csv_delimiter": ",",
    "csv_decimal_separator": ".",
    "company_name": "",
    "company_logo_path": None,
    "plant_timezone": "UTC",
}
# Station keys with rules but no stored default (absent: the station's own defaults):
# correction_reasons (the reasons offered when a value is replaced, one per line) and
# station_hold_on_warning ("true": a warning, like a fail, waits for the operator's Enter).
_KEY = re.compile(KEY_PATTERN)


def all_settings(session: Session) -> dict[str, str | None]:
    """Defaults overlaid with every stored setting."""
    values = dict(DEFAULTS)
    values.update({row.key: row.value for row in session.scalars(select(Setting))})
    return values


def get_setting(session: Session, key: str) -> str | None:
    """One setting's value, or its default."""
    row = session.get(Setting, key)
    return row.value if row is not None else DEFAULTS.get(key)


def validate_changes(current: dict[str, str | None], changes: dict[str, Any]) -> None:
    """Refuse (422) badly named keys, non-string values and bad known values; see SETTINGS_UPDATE_SCHEMA."""
    if not changes:
        raise Unprocessable("No settings given")
    for key, value in changes.items():
        if not _KEY.match(key):
            raise Unprocessable(f"Invalid setting name {key[:80]!r}: letters, digits and _ only, up to 64")
        if key in READ_ONLY_KEYS:
            raise Unprocessable(f"{key} is set by uploading a logo")
        if not isinstance(value, str):
            raise Unprocessable(f"Setting {key} must be a string")
        if len(value) > MAX_VALUE_LENGTH:
            raise Unprocessable(f"Setting {key} is longer than {MAX_VALUE_LENGTH} characters")
        if "\x00" in value:
            raise Unprocessable(f"Setting {key} contains a NUL character")
    if changes.get("station_hold_on_warning", "false") not in ("true", "false"):
        raise Unprocessable("station_hold_on_warning must be 'true' or 'false'")
    if "plant_timezone" in changes:
        _check_timezone(changes["plant_timezone"])
    delimiter, separator = changes.get("csv_delimiter"), changes.get("csv_decimal_separator")
    if delimiter is not None and delimiter not in DELIMITERS:
        raise Unprocessable("csv_delimiter must be one of ',', ';', tab or '|'")
    if separator is not None and separator not in DECIMAL_SEPARATORS:
        raise Unprocessable("csv_decimal_separator must be '.' or ','")
    if delimiter == "," and separator != ".":
        raise Unprocessable("csv_delimiter ',' must be sent together with csv_decimal_separator '.'")
    if separator == "," and delimiter in (None, ","):
        raise Unprocessable("csv_decimal_separator ',' must be sent together with a csv_delimiter other than ','")
    merged = {**current, **changes}
    if merged["csv_decimal_separator"] == merged["csv_delimiter"]:
        raise Unprocessable("csv_decimal_separator must differ from csv_delimiter")
    if sum(key not in DEFAULTS for key in merged) > MAX_CUSTOM_KEYS:
        raise Unprocessable(f"At most {MAX_CUSTOM_KEYS} custom settings")


def _check_timezone(name: str) -> None:
    """Shifts are read in the plant time zone: it must be an IANA name."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Unprocessable("plant_timezone must be an IANA time zone such as Europe/Berlin") from None


def update_settings(session: Session, changes: dict[str, Any], actor: Actor) -> list[str]:
    """Validate and store the changes; returns the keys written."""
    current = all_settings(session)
    validate_changes(current, changes)
    changed = {key: value for key, value in changes.items() if current.get(key) != value or key not in current}
    for key, value in changed.items():
        put_setting(session, key, value, actor)
    if changed:  # writing a value a setting already has is no event
        record(session, actor, "update", "settings", None,
               old={k: current.get(k) for k in changed}, new=changed)
    return list(changes)


def put_setting(session: Session, key: str, value: str, actor: Actor | None) -> None:
    """Insert or replace one stored setting (no validation, no audit)."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value, updated_by=actor.user_id if actor else None))
    else:
        row.value = value
        row.updated_by = actor.user_id if actor else None
    session.flush()
