"""Gauge studies at the station: the metrologist sets one up, appraisers enter readings, results and charts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .api_client import ApiError
from .context import ROLE_METROLOGIST, ROLE_OPERATOR, role_required
from .errors import flash_api_error
from .gateways import quality
from .measure import parse_value

bp = Blueprint("msa", __name__, url_prefix="/msa")
KINDS = ("grr_crossed", "type1", "linearity")
CHARTS = {"grr_crossed": ("range", "xbar", "interaction", "components"), "type1": ("run",),
          "linearity": ("linearity",)}
READERS = (ROLE_OPERATOR, ROLE_METROLOGIST, "admin")


def _numbers(text: str) -> list[float]:
    """Numbers separated by semicolons or spaces (a decimal comma is allowed)."""
    return [parse_value(part) for part in text.replace(";", " ").split() if part]


def _plan(form) -> dict[str, Any]:
    """The API's study body from the set-up form."""
    kind = form.get("kind", "")
    body: dict[str, Any] = {"kind": kind, "name": form.get("name", "").strip()}
    for field in ("gauge_code",):
        if form.get(field, "").strip():
            body[field] = form[field].strip()
    for field in ("tolerance", "reference"):
        if form.get(field, "").strip():
            body[field] = parse_value(form[field])
    for field in ("recipe_id", "subtask_id"):
        if form.get(field, "").strip():
            body[field] = int(form[field])
    trials = int(form.get("trials") or 0)
    if kind == "grr_crossed":
        parts = int(form.get("parts") or 0)
        appraisers = [a.strip() for a in form.get("appraisers", "").split(",") if a.strip()]
        body["plan"] = {"parts": list(range(1, parts + 1)), "appraisers": appraisers, "trials": trials}
    elif kind == "type1":
        body["plan"] = {"trials": trials}
    else:
        body["plan"] = {"references": _numbers(form.get("references", "")), "trials": trials}
    return body


@bp.get("/")
@role_required(*READERS)
def index():
    """The studies, newest first."""
    page = quality.studies(50)
    return render_template("msa/index.html", studies=page["items"])


@bp.route("/new", methods=["GET", "POST"])
@role_required(ROLE_METROLOGIST, "admin")
def new():
    """Set a study up: kind, gauge, characteristic, parts, appraisers, trials."""
    gauges = quality.gauges()
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            study = quality.create_study(_plan(request.form))
            return redirect(url_for("msa.study", study_id=study["id"]))
        except ValueError:
            flash(_("Not a number: type the value with digits and a decimal point or comma."), "error")
            status = 422
        except ApiError as exc:
            status = flash_api_error(exc)
        return render_template("msa/new.html", gauges=gauges, form=form, kinds=KINDS), status
    return render_template("msa/new.html", gauges=gauges, form=form, kinds=KINDS)


@bp.get("/<int:study_id>")
@role_required(*READERS)
def study(study_id: int):
    """While collecting: the next reading to take; once finished: the results and the charts."""
    data = quality.study(study_id)
    if data["status"] == "collecting":
        done = sum(1 for v in data["values"] if v["value"] is not None)
        slot = data["values"][data["next_slot"]] if data["next_slot"] is not None else None
        return render_template("msa/collect.html", study=data, slot=slot, done=done, total=len(data["values"]))
    return render_template("msa/results.html", study=data, charts=CHARTS[data["kind"]])


@bp.post("/<int:study_id>/readings")
@role_required(*READERS)
def reading(study_id: int):
    """Store the value of one slot (a caliper types the digits and Enter)."""
    try:
        value = parse_value(request.form.get("value", ""))
        quality.add_reading(study_id, int(request.form.get("slot", "")), value)
    except ValueError:
        flash(_("Not a number: type the value with digits and a decimal point or comma."), "error")
    except ApiError as exc:
        flash_api_error(exc)
    return redirect(url_for("msa.study", study_id=study_id))


@bp.get("/<int:study_id>/chart/<name>.png")
@role_required(*READERS)
def chart(study_id: int, name: str):
    """A chart of the study, drawn by the API."""
    upstream = quality.study_chart(study_id, name)
    return Response(upstream.content, mimetype="image/png")


@bp.get("/<int:study_id>/report.pdf")
@role_required(*READERS)
def report(study_id: int):
    """The study's PDF report, from the API."""
    upstream = quality.study_report(study_id)
    return Response(upstream.content, mimetype="application/pdf",
                    headers={"Content-Disposition": upstream.headers.get("content-disposition", "attachment")})
