"""The maker's task editor: fields, drawing upload, balloons on the drawing, characteristics.

An edit of a version that has measurements lands in a new version (copy-on-write), where tasks
and subtasks have new ids: every handler follows the ids the API answers with.
"""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...recipes import catalog
from ..api_client import ApiError
from ..context import ROLE_MAKER, role_required
from ..errors import api_error_message, flash_api_error
from ..gateways import files
from ..gateways import recipes as gateway
from . import bp
from .pages import confirmation_needed, load_recipe

LIMIT_FIELDS = ("nominal", "ltl", "lwl", "uwl", "utl")


def find_task(recipe: dict[str, Any], task_id: int) -> dict[str, Any] | None:
    """The task in the recipe's current version, or None."""
    tasks = (recipe.get("current_version") or {}).get("tasks", [])
    return next((t for t in tasks if t["id"] == task_id), None)


def task_url(recipe_id: int, task: dict[str, Any] | None) -> str:
    """Where to go after an edit: the (possibly copied) task, else the recipe."""
    if task is None:
        return url_for("recipes.detail", recipe_id=recipe_id)
    return url_for("recipes.task", recipe_id=recipe_id, task_id=task["id"])


@bp.get("/<int:recipe_id>/tasks/<int:task_id>")
@role_required(ROLE_MAKER)
def task(recipe_id: int, task_id: int):
    """The task editor."""
    recipe = load_recipe(recipe_id)
    found = find_task(recipe, task_id)
    if found is None:
        flash(_("This task is not in the current version any more; here is the recipe as it is now."), "warning")
        return redirect(url_for("recipes.detail", recipe_id=recipe_id))
    labels = {s["marker_number"]: s["label"] for s in found["subtasks"]}
    page_urls = [url_for("auth.file", file_path=p) for p in found.get("file_pages") or []]
    return render_template("recipes/task.html", recipe=recipe, task=found, catalog=catalog,
                           new_subtask=_blank_subtask(found), labels=labels, page_urls=page_urls)


def _blank_subtask(task: dict[str, Any]) -> dict[str, Any]:
    used = [s["marker_number"] for s in task.get("subtasks", [])]
    return {"marker_number": max(used, default=0) + 1, "measurement_type": "length", "unit": "mm"}


@bp.post("/<int:recipe_id>/tasks/<int:task_id>")
@role_required(ROLE_MAKER)
def task_update(recipe_id: int, task_id: int):
    """Save a task's title, directive and description."""
    recipe = load_recipe(recipe_id)
    if (asked := confirmation_needed(recipe)) is not None:
        return asked
    payload = {"title": request.form.get("title", "").strip(),
               "directive": request.form.get("directive", "").strip() or None,
               "description": request.form.get("description", "").strip() or None}
    try:
        saved = gateway.update_task(task_id, payload)
        flash(_("Task saved."), "success")
        return redirect(task_url(recipe_id, saved))
    except ApiError as exc:
        flash_api_error(exc)
        return redirect(url_for("recipes.task", recipe_id=recipe_id, task_id=task_id))


@bp.post("/<int:recipe_id>/tasks/<int:task_id>/delete")
@role_required(ROLE_MAKER)
def task_delete(recipe_id: int, task_id: int):
    """Delete a task and its characteristics."""
    recipe = load_recipe(recipe_id)
    if (asked := confirmation_needed(recipe)) is not None:
        return asked
    try:
        gateway.delete_task(task_id)
        flash(_("Task deleted."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("recipes.detail", recipe_id=recipe_id))


@bp.post("/<int:recipe_id>/tasks/<int:task_id>/drawing")
@role_required(ROLE_MAKER)
def drawing(recipe_id: int, task_id: int):
    """Upload a drawing (image or PDF) and attach it to the task."""
    recipe = load_recipe(recipe_id)
    file_path = request.form.get("file_path", "")
    file_type = request.form.get("file_type", "")
    upload = request.files.get("drawing")
    if upload is not None and upload.filename:
        try:
            stored = files.upload(upload.filename, upload.stream, upload.mimetype, recipe_id)
        except ApiError as exc:
            flash_api_error(exc)
            return redirect(url_for("recipes.task", recipe_id=recipe_id, task_id=task_id))
        file_path, file_type = stored["file_path"], catalog.file_type_of(stored["file_type"]) or "image"
    if not file_path:
        flash(_("Choose a drawing file first."), "error")
        return redirect(url_for("recipes.task", recipe_id=recipe_id, task_id=task_id))
    request.form = request.form.copy()  # the confirmation page replays the stored file, not the upload
    request.form.setlist("file_path", [file_path])
    request.form.setlist("file_type", [file_type])
    if (asked := confirmation_needed(recipe)) is not None:
        return asked
    try:
        saved = gateway.update_task(task_id, {"file_path": file_path, "file_type": file_type})
        flash(_("Drawing attached. Click on it to place the balloons."), "success")
        return redirect(task_url(recipe_id, saved))
    except ApiError as exc:
        flash_api_error(exc)
        return redirect(url_for("recipes.task", recipe_id=recipe_id, task_id=task_id))


@bp.post("/<int:recipe_id>/tasks/<int:task_id>/balloons")
@role_required(ROLE_MAKER)
def balloons(recipe_id: int, task_id: int):
    """Save where the balloons sit on the drawing (fractions of its width and height)."""
    recipe = load_recipe(recipe_id)
    if (asked := confirmation_needed(recipe)) is not None:
        return asked
    body = request.get_json(silent=True) or {}
    try:
        placed = [{"marker_number": int(b["marker_number"]), "x": float(b["x"]), "y": float(b["y"]),
                   "page": int(b.get("page", 1))} for b in body.get("annotations", [])]
        saved = gateway.update_task(task_id, {"annotations_json": placed})
    except (KeyError, TypeError, ValueError):
        return jsonify(error=_("Invalid balloon positions.")), 422
    except ApiError as exc:
        return jsonify(error=api_error_message(exc)), exc.status
    return jsonify(ok=True, task_id=saved["id"], url=task_url(recipe_id, saved),
                   moved=saved["id"] != task_id)


CHARACTERISTIC_CLASSES = ("critical", "major", "minor")


def subtask_payload(form: Any) -> tuple[dict[str, Any], list[str]]:
    """The API payload of a characteristic form, and the fields that are not numbers."""
    payload: dict[str, Any] = {"description": form.get("description", "").strip() or None,
                               "measurement_type": form.get("measurement_type", ""),
                               "unit": form.get("unit", "")}
    bad = []
    try:
        payload["marker_number"] = int(form.get("marker_number", ""))
    except ValueError:
        bad.append("marker_number")
    written = form.get("tolerance_text", "").strip()
    if written:  # the limits follow from the tolerance as written on the drawing
        payload["tolerance_text"] = written
    for name in LIMIT_FIELDS:
        if written and name in ("nominal", "ltl", "utl"):
            continue
        raw = form.get(name, "").strip().replace(",", ".")
        try:
            payload[name] = float(raw) if raw else None
        except ValueError:
            bad.append(name)
    if "characteristic_class" in form:  # the reaction fields travel together in the characteristic's form
        chosen = form.get("characteristic_class", "")
        payload["characteristic_class"] = chosen if chosen in CHARACTERISTIC_CLASSES else None
        payload["reaction_plan"] = form.get("reaction_plan", "").strip() or None
        for name in ("cpk_target", "gross_error_factor"):
            raw = form.get(name, "").strip().replace(",", ".")
            try:
                payload[name] = float(raw) if raw else None
            except ValueError:
                bad.append(name)
    return payload, bad


def _subtask_saved(recipe_id: int, saved: dict[str, Any], fallback_task: int):
    recipe = load_recipe(recipe_id)
    return redirect(task_url(recipe_id, find_task(recipe, saved.get("task_id", fallback_task))))


@bp.post("/<int:recipe_id>/tasks/<int:task_id>/subtasks")
@role_required(ROLE_MAKER)
def subtask_add(recipe_id: int, task_id: int):
    """Add a characteristic to the task."""
    return _save_subtask(recipe_id, task_id, None)


@bp.post("/<int:recipe_id>/tasks/<int:task_id>/subtasks/<int:subtask_id>")
@role_required(ROLE_MAKER)
def subtask_update(recipe_id: int, task_id: int, subtask_id: int):
    """Save a characteristic's description, type, unit and limits."""
    return _save_subtask(recipe_id, task_id, subtask_id)


def _save_subtask(recipe_id: int, task_id: int, subtask_id: int | None):
    recipe = load_recipe(recipe_id)
    if (asked := confirmation_needed(recipe)) is not None:
        return asked
    payload, bad = subtask_payload(request.form)
    if bad:
        flash(_("Not a number: %(fields)s.", fields=", ".join(bad)), "error")
        return redirect(url_for("recipes.task", recipe_id=recipe_id, task_id=task_id))
    try:
        if subtask_id is None:
            saved = gateway.add_subtask(task_id, payload)
            flash(_("Characteristic %(n)s added.", n=saved["marker_number"]), "success")
        else:
            saved = gateway.update_subtask(subtask_id, payload)
            flash(_("Characteristic %(n)s saved.", n=saved["marker_number"]), "success")
    except ApiError as exc:
        flash_api_error(exc)
        return redirect(url_for("recipes.task", recipe_id=recipe_id, task_id=task_id))
    return _subtask_saved(recipe_id, saved, task_id)


@bp.post("/<int:recipe_id>/tasks/<int:task_id>/subtasks/<int:subtask_id>/delete")
@role_required(ROLE_MAKER)
def subtask_delete(recipe_id: int, task_id: int, subtask_id: int):
    """Remove a characteristic."""
    recipe = load_recipe(recipe_id)
    if (asked := confirmation_needed(recipe)) is not None:
        return asked
    position = next((i for i, t in enumerate(recipe["current_version"]["tasks"]) if t["id"] == task_id), None)
    try:
        gateway.delete_subtask(subtask_id)
        flash(_("Characteristic removed."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    # A delete answers nothing: find the task again by its position (a new version renumbers ids).
    tasks = load_recipe(recipe_id)["current_version"]["tasks"]
    return redirect(task_url(recipe_id, tasks[position] if position is not None and position < len(tasks) else None))

