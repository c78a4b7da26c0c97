"""First article inspections at the station: list, open, Form 2 rows, nonconformance numbers, signing, downloads."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .api_client import ApiError
from .context import ROLE_MAKER, ROLE_METROLOGIST, role_required
from .errors import flash_api_error
from .gateways import quality, recipes

bp = Blueprint("fai", __name__, url_prefix="/fai")
WRITERS = (ROLE_METROLOGIST, ROLE_MAKER)
FORM2_FIELDS = ("material_or_process", "specification", "code", "supplier", "customer_approval",
                "certificate_number", "functional_test", "acceptance_report", "comments")
MEANINGS = ("Verified", "Reviewed", "Approved")


def _text(name: str) -> str | None:
    value = request.form.get(name, "").strip()
    return value or None


def _recipes() -> list[dict[str, Any]]:
    return recipes.recipe_page(1, 100)["items"]


@bp.get("/")
@role_required(*WRITERS)
def index():
    """Every FAI, newest first, and the form that opens one."""
    status = request.args.get("status") or None
    page = quality.fais(100, status)
    return render_template("fai/index.html", fais=page["items"], recipes=_recipes(), status=status, form={})


@bp.post("/")
@role_required(*WRITERS)
def open_fai():
    """Open an FAI for a recipe version and a serial, full or partial."""
    form = request.form
    try:
        body = {"recipe_id": int(form.get("recipe_id", "0")), "version_number": int(form.get("version_number", "0")),
                "serial_number": form.get("serial_number", "").strip(), "kind": form.get("kind", "full"),
                "reason": _text("reason"), "manufacturing_reference": _text("manufacturing_reference"),
                "po_number": _text("po_number")}
        fai = quality.open_fai({k: v for k, v in body.items() if v is not None})
        return redirect(url_for("fai.detail", fai_id=fai["id"]))
    except ValueError:
        flash(_("Choose a recipe and type the version number."), "error")
        status = 422
    except ApiError as exc:
        status = flash_api_error(exc)
    page = quality.fais(100)
    return render_template("fai/index.html", fais=page["items"], recipes=_recipes(), status=None, form=form), status


@bp.get("/<int:fai_id>")
@role_required(*WRITERS)
def detail(fai_id: int):
    """One FAI: Form 1 facts, Form 3 rows with their results, Form 2 rows, signing."""
    return render_template("fai/detail.html", fai=quality.fai(fai_id), fields=FORM2_FIELDS, meanings=MEANINGS)


@bp.post("/<int:fai_id>/form2")
@role_required(*WRITERS)
def add_form2(fai_id: int):
    """Add a Form 2 row (blank fields are allowed)."""
    try:
        quality.add_form2(fai_id, {f: _text(f) for f in FORM2_FIELDS})
        flash(_("Form 2 row added."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("fai.detail", fai_id=fai_id) + "#form2")


@bp.post("/<int:fai_id>/form2/<int:row_id>/delete")
@role_required(*WRITERS)
def delete_form2(fai_id: int, row_id: int):
    """Remove a Form 2 row."""
    try:
        quality.delete_form2(fai_id, row_id)
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("fai.detail", fai_id=fai_id) + "#form2")


@bp.post("/<int:fai_id>/characteristics/<int:characteristic_id>")
@role_required(*WRITERS)
def note(fai_id: int, characteristic_id: int):
    """Store a characteristic's nonconformance number and comment."""
    try:
        quality.note(fai_id, characteristic_id, _text("nc_number"), _text("comment"))
        flash(_("Saved."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("fai.detail", fai_id=fai_id) + "#form3")


@bp.post("/<int:fai_id>/complete")
@role_required(*WRITERS)
def complete(fai_id: int):
    """Complete the FAI with the signer's password and meaning."""
    try:
        quality.complete(fai_id, request.form.get("password", ""), request.form.get("meaning", ""))
        flash(_("The FAI is complete and signed."), "success")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("fai.detail", fai_id=fai_id))


@bp.get("/<int:fai_id>/report.<any(pdf, xlsx):kind>")
@role_required(*WRITERS)
def report(fai_id: int, kind: str):
    """The AS9102 forms from the API, as PDF or XLSX."""
    upstream = quality.fai_report(fai_id, kind)
    return Response(upstream.content, mimetype=upstream.headers.get("content-type"),
                    headers={"Content-Disposition": upstream.headers.get("content-disposition", "attachment")})
