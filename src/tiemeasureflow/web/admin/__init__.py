"""Administration: users, stations and their recipes, shifts, settings and logo, keys, the audit log."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import shifts, stations, system, users  # noqa: E402,F401  (routes register on bp)
