"""Gather one run's inspection report: its version's characteristics in balloon order, values and drawings."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config.server import Settings
from ..identity.principal import Principal
from ..kit.db import get_or_404
from ..models import HardpyCase, HardpyReport, Measurement, Recipe, RecipeVersion, Run, Station, Task, User
from ..shifts.service import plant_timezone
from .context import report_context
from .part_data import DrawingPage, PartCorrection, PartReport, PartRow

IMAGE_TYPES = ("image/png", "image/jpeg")


def part_report(session: Session, settings: Settings, principal: Principal, run_id: uuid.UUID) -> PartReport:
    """The report's content for one run (station, import or HardPy), or 404."""
    run = get_or_404(session, Run, run_id, "Run not found")
    users = _names(session)
    station = session.get(Station, run.station_id) if run.station_id is not None else None
    version = session.get(RecipeVersion, run.version_id) if run.version_id is not None else None
    recipe = session.get(Recipe, run.recipe_id) if run.recipe_id is not None else None
    hardpy = session.get(HardpyReport, run.id) if run.source == "hardpy" else None
    if version is not None:
        rows, drawings = _characteristics(session, run, version, users)
    else:
        rows, drawings = _cases(session, run), []
    station_text = f"{station.code} – {station.name}" if station else (hardpy.stand_name if hardpy else None)
    plan = f"{recipe.code} – {recipe.name}" if recipe else (hardpy.test_plan_name if hardpy else None)
    released = None
    if version is not None and version.signed_at is not None:
        released = f"{version.signed_by_name}, {version.signature_meaning}"
    return PartReport(
        context=report_context(session, settings, principal), zone=plant_timezone(session), run_id=str(run.id),
        source=run.source, part_number=run.part_number, plan=plan or run.part_number,
        version=version.version_number if version else None, serial=run.serial_number, lot=run.lot_number,
        attempt=run.attempt, status=run.status, operator=users.get(run.operator_id), station=station_text,
        started_at=run.started_at, finished_at=run.finished_at, rows=rows, drawings=drawings, released=released,
    )


def _names(session: Session) -> dict[int, str]:
    return {uid: display or username for uid, display, username in
            session.execute(select(User.id, User.display_name, User.username))}


def _characteristics(session: Session, run: Run, version: RecipeVersion, users: dict[int, str]
                     ) -> tuple[list[PartRow], list[DrawingPage]]:
    """Every characteristic of the version in balloon order, with the run's current value and its corrections."""
    values = list(session.scalars(select(Measurement).where(Measurement.run_id == run.id)
                                  .order_by(Measurement.measured_at, Measurement.id)))
    by_id = {m.id: m for m in values}
    superseded = {m.supersedes_id for m in values if m.supersedes_id is not None}
    latest: dict[int, Measurement] = {}
    for m in values:  # time order: the last value not replaced by another is the current one
        if m.id not in superseded:
            latest[m.subtask_id] = m
    rows, drawings = [], []
    tasks = session.scalars(select(Task).where(Task.version_id == version.id).order_by(Task.order_index, Task.id))
    for task in tasks:
        results = {}
        for sub in sorted(task.subtasks, key=lambda s: s.marker_number):
            current = latest.get(sub.id)
            label = sub.label or str(sub.marker_number)
            results[sub.marker_number] = (label, current.pass_fail if current else None)
            rows.append(PartRow(
                balloon=label, description=sub.description or task.title, unit=sub.unit or "",
                nominal=sub.nominal, ltl=sub.ltl, utl=sub.utl, text_limits=sub.tolerance_text,
                value=current.value if current else None, deviation=current.deviation if current else None,
                result=current.pass_fail if current else None, gauge=current.gauge_code if current else None,
                measured_at=current.measured_at if current else None,
                corrections=_chain(current, by_id, users),
            ))
        drawings += _drawings(task, results)
    return rows, drawings


def _chain(current: Measurement | None, by_id: dict[int, Measurement], users: dict[int, str]) -> list[PartCorrection]:
    """The corrections that led to the current value, oldest first."""
    chain = []
    while current is not None and current.supersedes_id is not None:
        earlier = by_id.get(current.supersedes_id)
        if earlier is None:
            break
        chain.append(PartCorrection(superseded_value=earlier.value, value=current.value,
                                    by=users.get(current.measured_by), at=current.measured_at,
                                    reason=current.correction_reason))
        current = earlier
    return chain[::-1]


def _drawings(task: Task, results: dict[int, tuple[str, str | None]]) -> list[DrawingPage]:
    """The task's image, or the pages of its PDF drawing that carry balloons (page 1 when none does)."""
    stored = task.file
    if stored is None:
        return []
    balloons = [(b["marker_number"], b["x"], b["y"], b.get("page", 1)) for b in task.annotations_json or []
                if b.get("marker_number") in results]
    if stored.content_type in IMAGE_TYPES:
        return [DrawingPage(task.title, stored.path, [(results[m][0], x, y, results[m][1])
                                                      for m, x, y, _ in balloons])]
    pages = stored.page_paths
    if not pages:
        return []
    used = sorted({page for *_, page in balloons if 1 <= page <= len(pages)}) or [1]
    title = task.title
    return [DrawingPage(f"{title} ({n}/{len(pages)})" if len(pages) > 1 else title, pages[n - 1],
                        [(results[m][0], x, y, results[m][1]) for m, x, y, page in balloons if page == n])
            for n in used]


def _cases(session: Session, run: Run) -> list[PartRow]:
    """A HardPy run's test cases in report order, with their verdicts."""
    cases = session.scalars(select(HardpyCase).where(HardpyCase.run_id == run.id).order_by(HardpyCase.position))
    verdicts = {"passed": "pass", "failed": "fail", "error": "fail"}
    return [PartRow(balloon=str(i), description=c.name or f"{c.module_id}::{c.case_id}", unit="", nominal=None,
                    ltl=None, utl=None, value=None, deviation=None, result=verdicts.get(c.status, c.status),
                    gauge=None, measured_at=c.stop_time or c.start_time, text_limits=c.assertion_msg)
            for i, c in enumerate(cases, start=1)]
