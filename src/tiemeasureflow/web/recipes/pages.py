"""The maker's screens: recipe list, recipe detail with its tasks, version history."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..api_client import ApiError
from ..context import ROLE_MAKER, role_required
from ..errors import api_error_message, flash_api_error, wants_json
from ..gateways import recipes as gateway
from . import bp

CONFIRM_FIELD = "confirm_new_version"


def load_recipe(recipe_id: int) -> dict[str, Any]:
    """A recipe with the version the maker edits (its open draft, else the current one) and its measurement count."""
    recipe: dict[str, Any] = dict(gateway.recipe(recipe_id))
    version = recipe.get("current_version") or {}
    history = gateway.versions(recipe_id)
    recipe["measurement_count"] = 0
    recipe["released_version"] = version
    recipe["draft"] = next((v for v in history if v["status"] == "draft"), None)
    if recipe["draft"]:
        recipe["current_version"] = recipe["draft"]  # every edit lands in the draft
        recipe["frozen_message"] = ""
        return recipe
    if version:
        listed = next((v for v in history if v["id"] == version["id"]), None)
        recipe["measurement_count"] = listed["measurement_count"] if listed else 0
    recipe["frozen_message"] = version_warning(recipe)
    return recipe


def version_warning(recipe: dict[str, Any]) -> str:
    """The warning shown before an edit that will create a new version ('' when edits apply in place)."""
    version = recipe.get("current_version")
    if not version or not recipe["measurement_count"]:
        return ""
    number = version["version_number"]
    return _("Version %(n)s has %(count)s measurements. Saving this change creates version %(next)s; "
             "version %(n)s stays as it was measured.", n=number, count=recipe["measurement_count"], next=number + 1)


def confirmation_needed(recipe: dict[str, Any]):
    """When the edit would create a new version and the maker has not confirmed: the page that asks."""
    confirmed = request.form.get(CONFIRM_FIELD) == "1" or (request.get_json(silent=True) or {}).get(CONFIRM_FIELD)
    if recipe["measurement_count"] == 0 or confirmed:
        return None
    if wants_json():
        return jsonify(error=_("Confirm the new version first."), needs_confirmation=True), 409
    fields = [(k, v) for k, vs in request.form.lists() for v in vs if k not in ("csrf_token", CONFIRM_FIELD)]
    return render_template("recipes/confirm_version.html", recipe=recipe, fields=fields, action=request.path), 409


@bp.get("/")
@role_required(ROLE_MAKER)
def index():
    """Recipe list and search."""
    args = {"search": request.args.get("search", "").strip(), "page": request.args.get("page", 1, type=int)}
    page = gateway.recipe_page(args["page"], 25, args["search"])
    return render_template("recipes/index.html", page=page, args=args)


@bp.route("/new", methods=["GET", "POST"])
@role_required(ROLE_MAKER)
def new():
    """Create a recipe (its version 1)."""
    values = {k: request.form.get(k, "").strip() for k in ("code", "name", "description", "change_notes")}
    if request.method == "POST":
        payload = {k: v for k, v in values.items() if v or k in ("code", "name")}
        try:
            created = gateway.create(payload)
            flash(_("Recipe %(code)s created. Now add its tasks.", code=created["code"]), "success")
            return redirect(url_for("recipes.detail", recipe_id=created["id"]))
        except ApiError as exc:
            status = flash_api_error(exc)
        return render_template("recipes/new.html", values=values), status
    return render_template("recipes/new.html", values=values)


@bp.get("/<int:recipe_id>")
@role_required(ROLE_MAKER)
def detail(recipe_id: int):
    """A recipe's fields, its tasks in order, and the version it is at."""
    return render_template("recipes/detail.html", recipe=load_recipe(recipe_id))


@bp.post("/<int:recipe_id>")
@role_required(ROLE_MAKER)
def update(recipe_id: int):
    """Save name, description and change notes."""
    recipe = load_recipe(recipe_id)
    if (asked := confirmation_needed(recipe)) is not None:
        return asked
    payload = {"name": request.form.get("name", "").strip(),
               "description": request.form.get("description", "").strip() or None}
    if request.form.get("change_notes", "").strip():
        payload["change_notes"] = request.form["change_notes"].strip()
    try:
        gateway.update(recipe_id, payload)
        flash(_("Recipe saved."), "success")
    except ApiError as exc:
        status = flash_api_error(exc)
        recipe |= {k: request.form.get(k, "") for k in ("name", "description")}
        return render_template("recipes/detail.html", recipe=recipe), status
    return redirect(url_for("recipes.detail", recipe_id=recipe_id))


@bp.post("/<int:recipe_id>/deactivate")
@role_required(ROLE_MAKER)
def deactivate(recipe_id: int):
    """Deactivate a recipe (it disappears from stations; its history stays)."""
    try:
        gateway.deactivate(recipe_id)
        flash(_("Recipe deactivated."), "success")
        return redirect(url_for("recipes.index"))
    except ApiError as exc:
        flash_api_error(exc)
        return redirect(url_for("recipes.detail", recipe_id=recipe_id))


@bp.post("/<int:recipe_id>/tasks")
@role_required(ROLE_MAKER)
def add_task(recipe_id: int):
    """Append a task, then open it to add its drawing and characteristics."""
    recipe = load_recipe(recipe_id)
    if (asked := confirmation_needed(recipe)) is not None:
        return asked
    try:
        task = gateway.add_task(recipe_id, request.form.get("title", "").strip(),
                                request.form.get("directive", "").strip() or None)
    except ApiError as exc:
        flash_api_error(exc)
        return redirect(url_for("recipes.detail", recipe_id=recipe_id))
    return redirect(url_for("recipes.task", recipe_id=recipe_id, task_id=task["id"]))


@bp.post("/<int:recipe_id>/reorder")
@role_required(ROLE_MAKER)
def reorder(recipe_id: int):
    """Save the tasks' new order (from the drag-and-drop list)."""
    recipe = load_recipe(recipe_id)
    if (asked := confirmation_needed(recipe)) is not None:
        return asked
    body = request.get_json(silent=True) or {}
    raw = body.get("task_ids") if body else request.form.getlist("task_ids")
    try:
        task_ids = [int(v) for v in raw or []]
        gateway.reorder_tasks(task_ids)
    except (TypeError, ValueError):
        return _reply_error(recipe_id, ApiError(422, _("Invalid task order.")))
    except ApiError as exc:
        return _reply_error(recipe_id, exc)
    if wants_json():
        return jsonify(ok=True, reload=url_for("recipes.detail", recipe_id=recipe_id))
    flash(_("Task order saved."), "success")
    return redirect(url_for("recipes.detail", recipe_id=recipe_id))


def _reply_error(recipe_id: int, exc: ApiError):
    if wants_json():
        return jsonify(error=api_error_message(exc)), exc.status
    flash_api_error(exc)
    return redirect(url_for("recipes.detail", recipe_id=recipe_id))


@bp.post("/<int:recipe_id>/drafts")
@role_required(ROLE_MAKER)
def open_draft(recipe_id: int):
    """Open the next version as a draft beside production."""
    try:
        draft = gateway.open_draft(recipe_id)
        flash(_("Version %(n)s is a draft: operators keep measuring the released version until you release it.",
                n=draft["version_number"]), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("recipes.detail", recipe_id=recipe_id))


@bp.post("/<int:recipe_id>/versions/<int:number>/release")
@role_required(ROLE_MAKER)
def release(recipe_id: int, number: int):
    """Release the draft with change notes and an electronic signature."""
    payload = {"change_notes": request.form.get("change_notes", "").strip(),
               "password": request.form.get("password", ""), "meaning": request.form.get("meaning", "")}
    try:
        gateway.release(recipe_id, number, payload["change_notes"], payload["password"], payload["meaning"])
    except ApiError as exc:
        status = flash_api_error(exc)
        return render_template("recipes/detail.html", recipe=load_recipe(recipe_id), release_notes=payload["change_notes"],
                               release_open=True), status
    flash(_("Version %(n)s released and signed; operators now measure it.", n=number), "success")
    return redirect(url_for("recipes.version", recipe_id=recipe_id, number=number))


@bp.get("/<int:recipe_id>/versions/<int:a>/diff/<int:b>")
@role_required(ROLE_MAKER)
def diff(recipe_id: int, a: int, b: int):
    """What changed between two versions."""
    recipe = gateway.recipe(recipe_id)
    found = gateway.diff(recipe_id, a, b)
    return render_template("recipes/diff.html", recipe=recipe, diff=found)


@bp.get("/<int:recipe_id>/versions")
@role_required(ROLE_MAKER)
def versions(recipe_id: int):
    """Every version with its change notes and measurement count."""
    recipe = gateway.recipe(recipe_id)
    history = gateway.versions(recipe_id)  # each with its measurement count
    history.sort(key=lambda v: v["version_number"], reverse=True)
    return render_template("recipes/versions.html", recipe=recipe, history=history)


@bp.get("/<int:recipe_id>/versions/<int:number>")
@role_required(ROLE_MAKER)
def version(recipe_id: int, number: int):
    """One version as it was (read-only)."""
    recipe = gateway.recipe(recipe_id)
    shown = gateway.version(recipe_id, number)
    return render_template("recipes/version.html", recipe=recipe, version=shown)

