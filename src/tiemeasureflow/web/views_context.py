"""What every template gets: the user, theme, station, navigation and a few helpers."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..kit.vocabulary import RunStatus
from .context import ROLE_MAKER, ROLE_METROLOGIST, ROLE_OPERATOR, current_user, has_role, station_code
from .i18n import select_theme
from .measurement_types import type_label

# (endpoint, label, role, blueprint) - shown to users holding the role.
NAV_ITEMS = (
    ("measure.select", _l("Measure"), ROLE_OPERATOR, "measure"),
    ("recipes.index", _l("Recipes"), ROLE_MAKER, "recipes"),
    ("reaction.attention", _l("Attention"), ROLE_METROLOGIST, "reaction"),
    ("spc.dashboard", _l("SPC"), ROLE_METROLOGIST, "spc"),
    ("msa.index", _l("Gauge studies"), ROLE_METROLOGIST, "msa"),
    ("msa.index", _l("Gauge studies"), ROLE_OPERATOR, "msa"),
    ("fai.index", _l("First articles"), ROLE_METROLOGIST, "fai"),
    ("fai.index", _l("First articles"), ROLE_MAKER, "fai"),
    ("admin.users", _l("Admin"), "admin", "admin"),
)

# The label of every run status and judgment (a judgment is a finished run's status too).
STATUS_LABELS = {
    RunStatus.PASS: _l("Pass"), RunStatus.WARNING: _l("Warning"), RunStatus.FAIL: _l("Fail"),
    RunStatus.IN_PROGRESS: _l("In progress"), RunStatus.ABORTED: _l("Aborted"),
}


def _navigation(user: dict[str, Any] | None) -> list[dict[str, Any]]:
    active = request.blueprint
    shown = {}  # one entry per page, even when several of the user's roles open it
    for endpoint, label, role, blueprint in NAV_ITEMS:
        if has_role(user, role) and endpoint not in shown:
            shown[endpoint] = {"url": url_for(endpoint), "label": label, "active": active == blueprint}
    return list(shown.values())


def _safe_user() -> dict[str, Any] | None:
    # The error page of a failing API must still render its header.
    try:
        return current_user()
    except Exception:  # noqa: BLE001
        return None


def _has_logo() -> bool:
    from .auth import current_logo

    try:
        return current_logo() is not None
    except Exception:  # noqa: BLE001 - the header must render even when the API misbehaves
        return False


def to_json(value: Any) -> Markup:
    """Embed data for a page script, safe inside <script type="application/json">."""
    text = json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def init_app(app: Flask) -> None:
    """Register the context processor and helpers."""
    app.jinja_env.filters["tojson_script"] = to_json
    app.jinja_env.filters["mtype"] = type_label
    app.jinja_env.globals["has_role"] = has_role
    app.jinja_env.globals["status_labels"] = STATUS_LABELS

    @app.context_processor
    def inject() -> dict[str, Any]:
        user = _safe_user()
        return {
            "user": user,
            "theme": select_theme(),
            "lang": str(get_locale() or "it"),
            "station_code": station_code(),
            "nav": _navigation(user),
            "has_logo": _has_logo(),
        }
