"""Admin › Users: list, create, edit roles and status, deactivate, regenerate a key."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...kit.vocabulary import ROLES
from ..api_client import ApiError
from ..context import current_user, role_required
from ..errors import flash_api_error
from ..gateways import users as gateway
from . import bp


def user_payload(form: Any, creating: bool) -> dict[str, Any]:
    """The API payload from the user form (blank optional fields left out)."""
    data: dict[str, Any] = {
        "display_name": form.get("display_name", "").strip(),
        "roles": [r for r in ROLES if r in form.getlist("roles")],
        "is_admin": form.get("is_admin") == "1",
        "language_pref": form.get("language_pref", "it"),
        "theme_pref": form.get("theme_pref", "light"),
    }
    email = form.get("email", "").strip()
    data["email"] = email or None
    if creating:
        data["username"] = form.get("username", "").strip()
    else:
        data["active"] = form.get("active") == "1"
    if form.get("password"):
        data["password"] = form["password"]
    return data


@bp.get("/users")
@role_required("admin")
def users():
    """Every user with roles and status."""
    return render_template("admin/users.html", users=gateway.users())


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def user_new():
    """Create a user."""
    if request.method == "POST":
        try:
            created = gateway.create(user_payload(request.form, creating=True))
            flash(_("User %(name)s created.", name=created["username"]), "success")
            return redirect(url_for("admin.users"))
        except ApiError as exc:
            status = flash_api_error(exc)
        return render_template("admin/user_form.html", values=_form_values(request.form), creating=True), status
    return render_template("admin/user_form.html", values={"roles": [], "language_pref": "it", "theme_pref": "light",
                                                           "active": True}, creating=True)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user_edit(user_id: int):
    """Edit a user's name, roles, status, preferences or password."""
    if request.method == "POST":
        try:
            gateway.update(user_id, user_payload(request.form, creating=False))
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.users"))
        except ApiError as exc:
            status = flash_api_error(exc)
        values = _form_values(request.form) | {"id": user_id, "username": request.form.get("username_shown", "")}
        return render_template("admin/user_form.html", values=values, creating=False), status
    return render_template("admin/user_form.html", values=gateway.user(user_id), creating=False)


def _form_values(form: Any) -> dict[str, Any]:
    values = {k: form.get(k) for k in ("username", "display_name", "email", "language_pref", "theme_pref")}
    values["roles"] = form.getlist("roles")
    values["is_admin"] = form.get("is_admin") == "1"
    values["active"] = form.get("active") == "1"
    return values


@bp.post("/users/<int:user_id>/deactivate")
@role_required("admin")
def user_deactivate(user_id: int):
    """Deactivate a user; their keys stop working."""
    try:
        gateway.deactivate(user_id)
        flash(_("User deactivated; their keys no longer work."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/regenerate-key")
@role_required("admin")
def user_regenerate_key(user_id: int):
    """Revoke a user's keys and show the new one once."""
    try:
        result = gateway.regenerate_key(user_id)
    except ApiError as exc:
        flash_api_error(exc)
        return redirect(url_for("admin.users"))
    me = current_user() or {}
    return render_template("admin/key_shown.html", key=result["api_key"], message=result.get("message", ""),
                           back=url_for("admin.users"), self_revoked=me.get("id") == user_id)
