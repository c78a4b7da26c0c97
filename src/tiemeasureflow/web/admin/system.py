"""Admin › Settings (CSV format, company, logo), integration and stand keys, and the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..api_client import ApiError
from ..context import role_required
from ..errors import flash_api_error
from ..gateways import keys as key_gateway
from ..gateways import system, users
from ..i18n import day_bound
from . import bp

DELIMITERS = ((",", ","), (";", ";"), ("\t", "TAB"), ("|", "|"))
AUDIT_FILTERS = ("entity_type", "entity_id", "actor_id", "action", "date_from", "date_to")


@bp.route("/settings", methods=["GET", "POST"])
@role_required("admin")
def settings():
    """CSV delimiter and decimal separator, company name, and the logo."""
    if request.method == "POST":
        changes = {k: request.form[k] for k in ("csv_delimiter", "csv_decimal_separator", "company_name")
                   if k in request.form}
        try:
            system.update_settings(changes)
            flash(_("Settings saved."), "success")
            return redirect(url_for("admin.settings"))
        except ApiError as exc:
            status = flash_api_error(exc)
        values = dict(system.settings()) | changes
        return render_template("admin/settings.html", values=values, delimiters=DELIMITERS), status
    return render_template("admin/settings.html", values=system.settings(), delimiters=DELIMITERS)


@bp.post("/settings/logo")
@role_required("admin")
def settings_logo():
    """Upload the company logo shown in every page's header."""
    upload = request.files.get("logo")
    if upload is None or not upload.filename:
        flash(_("Choose an image file first."), "error")
        return redirect(url_for("admin.settings"))
    try:
        system.upload_logo(upload.filename, upload.stream, upload.mimetype)
        from flask import current_app

        current_app.extensions.pop("tmf_logo", None)  # the header shows the new logo at once
        flash(_("Logo uploaded."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("admin.settings"))


def key_page() -> dict:
    """One page of keys, revoked ones included."""
    return key_gateway.integration_keys(request.args.get("page", 1, type=int), 50)


@bp.get("/keys")
@role_required("admin")
def keys():
    """Integration (public API) and stand (HardPy) keys."""
    return render_template("admin/keys.html", page=key_page())


@bp.post("/keys")
@role_required("admin")
def key_create():
    """Create a key and show it once."""
    payload = {"kind": request.form.get("kind", ""), "name": request.form.get("name", "").strip()}
    try:
        created = key_gateway.create_integration_key(payload)
    except ApiError as exc:
        status = flash_api_error(exc)
        return render_template("admin/keys.html", page=key_page(), values=payload), status
    return render_template("admin/key_shown.html", key=created["api_key"], back=url_for("admin.keys"),
                           message=_("%(kind)s key \"%(name)s\" created.", kind=created.get("kind", payload["kind"]),
                                     name=created.get("name", payload["name"])))


@bp.post("/keys/<int:key_id>/revoke")
@role_required("admin")
def key_revoke(key_id: int):
    """Revoke a key: it stops working at once."""
    try:
        key_gateway.revoke_integration_key(key_id)
        flash(_("Key revoked."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("admin.keys"))


@bp.get("/audit")
@role_required("admin")
def audit():
    """The audit trail, filtered and paged."""
    args = {k: request.args.get(k, "").strip() for k in AUDIT_FILTERS}
    params = dict(args, date_from=day_bound(args["date_from"]), date_to=day_bound(args["date_to"], end=True),
                  page=request.args.get("page", 1, type=int), per_page=50)
    page = system.audit_page(params)
    people = {u["id"]: u for u in users.users()}
    return render_template("admin/audit.html", page=page, args=args, users=people)
