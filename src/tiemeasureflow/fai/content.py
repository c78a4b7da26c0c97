"""An FAI's forms as data: Form 1 header, Form 2 entries, Form 3 rows with results (one source for API, PDF, XLSX)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import FirstArticle, Gauge, Measurement, Recipe, RecipeVersion, Run
from ..settings.service import get_setting
from . import scope as words

FORM2_FIELDS = ("material_or_process", "specification", "code", "supplier", "customer_approval",
                "certificate_number", "functional_test", "acceptance_report", "comments")


@dataclass
class Form3Row:
    """One characteristic: Form 3 fields 5-12 and what decides them."""

    characteristic_id: int
    subtask_id: int
    number: str  # field 5, the balloon label
    location: str  # field 6
    designator: str  # field 7
    requirement: str  # field 8
    results: str  # field 9
    tooling: str  # field 10
    nc_number: str  # field 11, nonconforming rows only
    comment: str  # field 12
    description: str | None = None
    unit: str = ""
    value: float | None = None
    verdict: str | None = None  # pass / warning / fail of the accepted value; None: no result yet
    run_id: str | None = None


@dataclass
class FaiContent:
    """Everything the forms print."""

    part_number: str
    part_name: str
    serial_number: str
    report_number: str
    drawing_number: str
    drawing_revision: str
    organisation: str
    kind: str
    reason: str
    baseline_revision: str
    manufacturing_reference: str
    po_number: str
    comments: str
    form2: list[dict[str, str]]
    rows: list[Form3Row]
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Labels of characteristics in scope without an accepted result."""
        return [r.number for r in self.rows if r.verdict is None]

    @property
    def unnumbered(self) -> list[str]:
        """Labels of nonconforming characteristics without a nonconformance number."""
        return [r.number for r in self.rows if r.verdict == "fail" and not r.nc_number]

    def digest(self) -> str:
        """SHA-256 of the forms' content (what a signature signs)."""
        text = json.dumps(asdict(self), sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def linked_runs(session: Session, fai: FirstArticle) -> list[Run]:
    """The runs an FAI rests on: frozen at completion; while open, every run of the serial on the version."""
    if fai.status == "complete":
        ids = [link.run_id for link in fai.runs]
        query = select(Run).where(Run.id.in_(ids))
    else:
        query = select(Run).where(Run.version_id == fai.version_id, Run.serial_number == fai.serial_number,
                                  Run.status != "aborted")
    return list(session.scalars(query.order_by(Run.started_at, Run.id)))


def accepted_values(session: Session, runs: list[Run]) -> dict[int, Measurement]:
    """characteristic_id -> its accepted value: the newest value of the newest run, corrections applied."""
    if not runs:
        return {}
    order = {run.id: i for i, run in enumerate(runs)}
    rows = list(session.scalars(select(Measurement).where(Measurement.run_id.in_(list(order)))))
    superseded = {m.supersedes_id for m in rows if m.supersedes_id is not None}
    best: dict[int, Measurement] = {}
    for m in sorted((m for m in rows if m.id not in superseded), key=lambda m: (order[m.run_id], m.measured_at, m.id)):
        best[m.characteristic_id] = m
    return best


def _value(value: float, unit: str) -> str:
    return f"{value!r} {unit}".strip()


def _tooling(gauges: dict[str, str], code: str | None) -> str:
    if not code:
        return ""
    name = gauges.get(code)
    return f"{code} {name}" if name else code


def build(session: Session, fai: FirstArticle) -> FaiContent:
    """The FAI's forms from the plan, the accepted values, the gauge register and the user's entries."""
    version = session.get(RecipeVersion, fai.version_id)
    recipe = session.get(Recipe, fai.recipe_id)
    baseline = session.get(RecipeVersion, fai.baseline_version_id) if fai.baseline_version_id else None
    runs = linked_runs(session, fai)
    values = accepted_values(session, runs)
    codes = {m.gauge_code for m in values.values() if m.gauge_code}
    gauges = dict(session.execute(select(Gauge.code, Gauge.name).where(Gauge.code.in_(codes))).all()) if codes else {}
    notes = {n.characteristic_id: n for n in fai.notes}
    classes = words.designators(get_setting(session, "fai_designators"))
    rows = []
    for task, sub in words.scope_rows(version, fai.scope_json):
        m, note = values.get(sub.characteristic_id), notes.get(sub.characteristic_id)
        verdict = m.pass_fail if m is not None else None
        rows.append(Form3Row(
            characteristic_id=sub.characteristic_id, subtask_id=sub.id, number=sub.label or str(sub.marker_number),
            location=words.reference_location(task, sub),
            designator=classes.get(sub.characteristic_class or "", sub.characteristic_class or ""),
            requirement=words.requirement(sub), results=_value(m.value, sub.unit) if m is not None else "",
            tooling=_tooling(gauges, m.gauge_code if m is not None else None),
            nc_number=(note.nc_number or "") if note is not None and verdict == "fail" else "",
            comment=(note.comment or "") if note is not None else "", description=sub.description, unit=sub.unit,
            value=m.value if m is not None else None, verdict=verdict, run_id=str(m.run_id) if m is not None else None))
    return FaiContent(
        part_number=recipe.code, part_name=version.name, serial_number=fai.serial_number,
        report_number=fai.report_number, drawing_number=recipe.code, drawing_revision=str(version.version_number),
        organisation=get_setting(session, "company_name") or "", kind=fai.kind, reason=fai.reason or "",
        baseline_revision=str(baseline.version_number) if baseline is not None else "",
        manufacturing_reference=fai.manufacturing_reference or "", po_number=fai.po_number or "",
        comments=fai.comments or "",
        form2=[{f: getattr(r, f) or "" for f in FORM2_FIELDS} | {"id": r.id} for r in fai.form2_rows],
        rows=rows,
        runs=[{"id": str(r.id), "status": r.status, "started_at": r.started_at, "attempt": r.attempt} for r in runs])
