"""Plant settings, the logo, shifts and the audit trail."""

from __future__ import annotations

from typing import Any, TypedDict

import httpx

from .routes import JsonObject, route

SETTINGS = route("GET", "/api/settings/")
UPDATE_SETTINGS = route("PUT", "/api/settings/")
LOGO = route("GET", "/api/settings/logo")
UPLOAD_LOGO = route("POST", "/api/settings/logo")
SHIFTS = route("GET", "/api/shifts")
ADD_SHIFT = route("POST", "/api/shifts")
DELETE_SHIFT = route("DELETE", "/api/shifts/{shift_id}")
AUDIT = route("GET", "/api/audit")


class Settings(TypedDict, total=False):
    """The admin's settings as text values (those the pages read named here)."""

    plant_timezone: str
    correction_reasons: str
    station_hold_on_warning: str


class Shift(TypedDict):
    """A named shift of the plant's day."""

    id: int
    name: str
    starts: str
    ends: str


def settings() -> Settings:
    """Every setting."""
    return SETTINGS.call()


def update_settings(changes: dict[str, Any]) -> Settings:
    """Change some settings."""
    return UPDATE_SETTINGS.call(json=changes)


def logo() -> httpx.Response:
    """The company logo image."""
    return LOGO.raw()


def upload_logo(name: str, stream: Any, mimetype: str) -> None:
    """Store a new company logo."""
    UPLOAD_LOGO.call(send={"files": {"file": (name, stream, mimetype)}})


def shifts() -> list[Shift]:
    """The plant's shifts."""
    return SHIFTS.call()


def add_shift(fields: dict[str, Any]) -> Shift:
    """Add a shift."""
    return ADD_SHIFT.call(json=fields)


def delete_shift(shift_id: int) -> None:
    """Remove a shift."""
    DELETE_SHIFT.call(shift_id=shift_id)


def audit_page(filters: dict[str, Any]) -> JsonObject:
    """One page of the audit trail."""
    return AUDIT.call(params=filters)
