"""Language, theme, time zone and number display for the client's pages."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import get_decimal_symbol
from flask import Flask, request, session
from flask_babel import Babel, format_datetime, get_locale

LANGUAGES = ("it", "en")
THEMES = ("light", "dark")
DEFAULT_LANGUAGE = "it"


def select_locale() -> str:
    """The browser's explicit choice, else the user's preference, else the browser's language."""
    from .context import current_user

    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    user = _safe_user(current_user)
    if user and user.get("language_pref") in LANGUAGES:
        return user["language_pref"]
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def select_theme() -> str:
    """Light or dark, by the same precedence as the language."""
    from .context import current_user

    chosen = session.get("theme")
    if chosen in THEMES:
        return chosen
    user = _safe_user(current_user)
    if user and user.get("theme_pref") in THEMES:
        return user["theme_pref"]
    return "light"


def _safe_user(getter) -> dict[str, Any] | None:
    # Choosing a language must never fail a page (e.g. the error page of an expired session).
    try:
        return getter()
    except Exception:  # noqa: BLE001 - any failure means "no preference known"
        return None


def station_timezone() -> str:
    """The zone times are shown in: TZ when it names one, else the machine's, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text().strip())
    except OSError:
        pass
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return "UTC"


def parse_time(value: Any) -> datetime | None:
    """An API timestamp (ISO 8601, `Z`) as an aware datetime."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def show_time(value: Any, fmt: str = "short") -> str:
    """A timestamp in the station's zone and the page's language."""
    moment = parse_time(value)
    if moment is None:
        return "–"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return format_datetime(moment, fmt)


def show_number(value: Any, signed: bool = False) -> str:
    """A measured value for display, with the language's decimal symbol."""
    if value is None or value == "":
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    # Twelve significant digits: every caliper value exactly, and no float noise in deviations.
    text = f"{number:.12g}"
    if "e" in text:
        text = f"{number:.12f}".rstrip("0").rstrip(".")
    if signed and number > 0:
        text = "+" + text
    return text.replace(".", decimal_symbol())


def show_significant(value: Any, digits: int = 4) -> str:
    """A computed statistic rounded to a few significant digits for reading."""
    if value is None or value == "":
        return "–"
    return show_number(float(f"{float(value):.{digits}g}"))


def show_fixed(value: Any, decimals: int = 2) -> str:
    """A computed statistic with a fixed number of decimals, in the language's decimal symbol."""
    if value is None or value == "":
        return "–"
    return f"{float(value):.{decimals}f}".replace(".", decimal_symbol())


def decimal_symbol() -> str:
    """The page language's decimal symbol (for the page scripts)."""
    return get_decimal_symbol(str(get_locale() or DEFAULT_LANGUAGE))


def init_app(app: Flask) -> None:
    """Attach flask-babel and the display filters."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", station_timezone())
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["time"] = show_time
    app.jinja_env.filters["num"] = show_number
    app.jinja_env.filters["sig"] = show_significant
    app.jinja_env.filters["fixed"] = show_fixed
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["decimal_symbol"] = decimal_symbol


def day_bound(day: str | None, end: bool = False) -> str | None:
    """A date picked on the page (station time) as the UTC instant that starts or ends that day."""
    if not day:
        return None
    try:
        moment = datetime.fromisoformat(day[:10])
    except ValueError:
        return None
    if end:
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999_999)
    local = moment.replace(tzinfo=ZoneInfo(station_timezone()))
    return local.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
