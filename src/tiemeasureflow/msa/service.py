"""Gauge studies: set-up, readings (all at once or slot by slot at the station), results, audit."""

from __future__ import annotations

import math
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..identity.principal import Actor
from ..kit.db import get_or_404
from ..kit.errors import Conflict, NotFound
from ..kit.schemas import paginate
from ..models import Gauge, MsaStudy, Recipe, Subtask, utcnow
from .calc import GaugeStudyError, GrrInputError, grr_crossed, linearity_study, type1_study
from .calc.gauge import TYPE1_MAX, TYPE1_MIN
from .schemas import ReadingCreate, StudyCreate, StudyPlan

RESULT_KEYS = ("average_range", "anova", "charts", "type1", "linearity")


def compute(study: MsaStudy, values: list[dict]) -> dict:
    """The results of the study's kind from its readings; 409 when they cannot make one (unbalanced, too few)."""
    try:
        if study.kind == "grr_crossed":
            missing = [i for i, v in enumerate(values) if None in (v.get("part"), v.get("appraiser"), v.get("trial"))]
            if missing:
                raise GrrInputError(f"value {missing[0]}: a gauge R&R reading needs part, appraiser and trial")
            out = grr_crossed([(v["part"], v["appraiser"], v["trial"], v["value"]) for v in values], study.tolerance)
            return {"average_range": out["average_range"], "anova": out["anova"],
                    "charts": {**out["charts"], "trials": out["trials"]}}
        if study.kind == "type1":
            if study.reference is None or study.tolerance is None:
                raise GaugeStudyError("a type-1 study needs reference and tolerance")
            return {"type1": type1_study([v["value"] for v in values], study.reference, study.tolerance)}
        missing = [i for i, v in enumerate(values) if v.get("reference") is None]
        if missing:
            raise GaugeStudyError(f"value {missing[0]}: a linearity reading needs its reference")
        return {"linearity": linearity_study([(v["reference"], v["value"]) for v in values],
                                             study.process_variation)}
    except (GrrInputError, GaugeStudyError) as exc:
        raise Conflict(str(exc)) from None


def acceptance(study: MsaStudy) -> str | None:
    """The study's verdict: AIAG %GRR for an R&R, Cg/Cgk for type 1, the slope's t-test for linearity."""
    results = study.results or {}
    if "anova" in results:
        return results["anova"]["acceptance"]
    if "type1" in results:
        return "acceptable" if results["type1"]["capable"] else "unacceptable"
    if "linearity" in results:
        return "acceptable" if results["linearity"]["linear"] else "unacceptable"
    return None


def _slots(kind: str, plan: StudyPlan) -> list[dict]:
    """The randomised order of readings a plan asks for (each appraiser's parts shuffled per trial)."""
    rng = random.SystemRandom()
    if kind == "grr_crossed":
        if len(plan.parts) < 2 or not plan.appraisers or plan.trials < 2:
            raise Conflict("a gauge R&R plan needs 2 or more parts, 1 or more appraisers and 2 or more trials")
        if len(set(map(str, plan.parts))) != len(plan.parts) or len(set(plan.appraisers)) != len(plan.appraisers):
            raise Conflict("parts and appraisers must be distinct")
        order = []
        for trial in range(1, plan.trials + 1):
            for appraiser in plan.appraisers:
                parts = list(plan.parts)
                rng.shuffle(parts)
                order += [{"part": p, "appraiser": appraiser, "trial": trial} for p in parts]
        return order
    if kind == "type1":
        if not TYPE1_MIN <= plan.trials <= TYPE1_MAX:
            raise Conflict(f"a type-1 plan needs {TYPE1_MIN}-{TYPE1_MAX} trials")
        return [{"trial": t} for t in range(1, plan.trials + 1)]
    if len(set(plan.references)) < 2 or plan.trials < 2:
        raise Conflict("a linearity plan needs 2 or more distinct references and 2 or more trials")
    order = [{"reference": r, "trial": t} for r in plan.references for t in range(1, plan.trials + 1)]
    rng.shuffle(order)
    return order


def _check_links(session: Session, data: StudyCreate) -> None:
    if data.gauge_code and session.scalar(select(Gauge.id).where(Gauge.code == data.gauge_code)) is None:
        raise NotFound(f"gauge {data.gauge_code} is not in the gauge register")
    if data.recipe_id and session.get(Recipe, data.recipe_id) is None:
        raise NotFound(f"recipe {data.recipe_id} not found")
    if data.subtask_id and session.get(Subtask, data.subtask_id) is None:
        raise NotFound(f"subtask {data.subtask_id} not found")


def _finite(value):
    # JSON (and PostgreSQL's json) has no infinities or NaN: an undefined statistic is null.
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _finish(study: MsaStudy, values: list[dict]) -> None:
    study.results = _finite(compute(study, values))
    study.readings = values
    study.status, study.finished_at = "finished", utcnow()


def create_study(session: Session, data: StudyCreate, actor: Actor) -> MsaStudy:
    """A finished study from its readings, or a collecting one with its randomised order."""
    _check_links(session, data)
    study = MsaStudy(kind=data.kind, name=data.name, gauge_code=data.gauge_code, recipe_id=data.recipe_id,
                     subtask_id=data.subtask_id, tolerance=data.tolerance, reference=data.reference,
                     process_variation=data.process_variation, created_by=actor.user_id, readings=[])
    if data.kind == "type1" and (data.tolerance is None or data.reference is None):
        raise Conflict("a type-1 study needs reference and tolerance")
    if data.values is not None:
        _finish(study, [v.model_dump(exclude_none=True) for v in data.values])
    else:
        order = _slots(data.kind, data.plan)
        study.plan = {**data.plan.model_dump(), "order": order}
        study.readings = [None] * len(order)
        study.status = "collecting"
    session.add(study)
    session.flush()
    record(session, actor, "create", "msa_study", study.id, new={
        "kind": study.kind, "name": study.name, "status": study.status, "gauge_code": study.gauge_code,
        "readings": len(data.values or []), "acceptance": acceptance(study)})
    return study


def get_study(session: Session, study_id: int) -> MsaStudy:
    """One study or 404."""
    study = get_or_404(session, MsaStudy, study_id, "Study not found")
    return study


def add_reading(session: Session, study_id: int, data: ReadingCreate, actor: Actor) -> MsaStudy:
    """Store one slot's value; the last one finishes the study and computes its results."""
    study = session.scalars(select(MsaStudy).where(MsaStudy.id == study_id).with_for_update()).first()
    if study is None:
        raise NotFound("Study not found")
    if study.status != "collecting":
        raise Conflict("The study is finished: it takes no more readings")
    order, readings = study.plan["order"], list(study.readings)
    if data.slot >= len(order):
        raise Conflict(f"slot must be below {len(order)}")
    if readings[data.slot] is not None:
        raise Conflict(f"Slot {data.slot} was measured already")
    readings[data.slot] = data.value + 0.0
    study.readings = readings
    if all(r is not None for r in readings):
        _finish(study, [{**slot, "value": value} for slot, value in zip(order, readings, strict=True)])
    session.flush()
    record(session, actor, "add_reading", "msa_study", study.id,
           new={"slot": data.slot, **order[data.slot], "value": data.value, "status": study.status})
    return study


def list_studies(session: Session, kind: str | None, gauge_code: str | None, page: int, per_page: int) -> dict:
    """Studies newest first."""
    stmt = select(MsaStudy).order_by(MsaStudy.id.desc())
    if kind:
        stmt = stmt.where(MsaStudy.kind == kind)
    if gauge_code:
        stmt = stmt.where(MsaStudy.gauge_code == gauge_code)
    rows, total, pages = paginate(session, stmt, page, per_page)
    return {"items": [summary(s) for s in rows], "total": total, "page": page, "per_page": per_page, "pages": pages}


def summary(study: MsaStudy) -> dict:
    """The list's view of a study."""
    return {c: getattr(study, c) for c in ("id", "kind", "name", "status", "gauge_code", "recipe_id", "subtask_id",
                                          "created_at", "finished_at")} | {"acceptance": acceptance(study)}


def detail(study: MsaStudy) -> dict:
    """The full view: set-up, readings, the next slot while collecting, the results at the top level."""
    out = summary(study) | {c: getattr(study, c) for c in ("tolerance", "reference", "process_variation",
                                                          "created_by", "plan")}
    if study.status == "collecting":
        order = study.plan["order"]
        out["values"] = [{**slot, "value": v, "slot": i} for i, (slot, v) in enumerate(zip(order, study.readings, strict=False))]
        out["next_slot"] = next((i for i, v in enumerate(study.readings) if v is None), None)
    else:
        out["values"] = list(study.readings)
    out.update({k: v for k, v in (study.results or {}).items() if k in RESULT_KEYS})
    return out
