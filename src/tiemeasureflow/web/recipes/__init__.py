"""Recipes: the list, a recipe's versions and release, its tasks and characteristics."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("recipes", __name__, url_prefix="/recipes")

from . import pages, tasks  # noqa: E402,F401  (routes register on bp)
