"""Runs as the public API shows them: one projection for station runs and HardPy runs alike."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from ..models import HardpyReport, RecipeVersion, Run, Station
from .schemas import STATUS_ICONS

# A warning run is a pass with `marginal: true`; in_progress runs are not shown at all.
PUBLIC_STATUS = {"pass": "pass", "warning": "pass", "fail": "fail", "aborted": "aborted"}
VISIBLE_STATUSES = tuple(PUBLIC_STATUS)
IN_PROGRESS = "in_progress"
STATUSES_FOR_FILTER = {"pass": ("pass", "warning"), "fail": ("fail",), "aborted": ("aborted",)}


@dataclass
class Context:
    """What a page of runs needs besides the run rows, loaded in one query per table."""

    versions: dict[int, RecipeVersion] = field(default_factory=dict)
    stations: dict[int, Station] = field(default_factory=dict)
    reports: dict[uuid.UUID, HardpyReport] = field(default_factory=dict)


def load_context(session: Session, runs: list[Run]) -> Context:
    """Recipe versions, stations and HardPy report headers of a page of runs."""
    ctx = Context()
    version_ids = {r.version_id for r in runs if r.version_id is not None}
    station_ids = {r.station_id for r in runs if r.station_id is not None}
    hardpy_ids = [r.id for r in runs if r.source == "hardpy"]
    if version_ids:
        ctx.versions = {v.id: v for v in session.scalars(select(RecipeVersion).where(RecipeVersion.id.in_(version_ids)))}
    if station_ids:
        ctx.stations = {s.id: s for s in session.scalars(select(Station).where(Station.id.in_(station_ids)))}
    if hardpy_ids:
        # The original report can be megabytes: lists never load it.
        stmt = select(HardpyReport).options(defer(HardpyReport.report)).where(HardpyReport.run_id.in_(hardpy_ids))
        ctx.reports = {r.run_id: r for r in session.scalars(stmt)}
    return ctx


def iso_duration(seconds: float) -> str:
    """An ISO 8601 duration such as PT12M34S (milliseconds kept when present)."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, fraction = divmod(rest, 1000)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if rest or not (hours or minutes):
        text += f"{whole}" + (f".{fraction:03d}".rstrip("0") if fraction else "") + "S"
    return text


def _duration(start: datetime, stop: datetime | None) -> tuple[str | None, float | None]:
    if stop is None or stop < start:
        return None, None
    seconds = (stop - start).total_seconds()
    return iso_duration(seconds), round(seconds, 3)


def run_fields(run: Run, ctx: Context) -> dict[str, Any]:
    """The fields every public view of a run shares."""
    duration, duration_seconds = _duration(run.started_at, run.finished_at)
    fields: dict[str, Any] = {
        "test_run_id": run.id,
        "serial_number": run.serial_number,
        "part_number": run.part_number,
        "status": PUBLIC_STATUS.get(run.status, "aborted"),
        "status_icon": STATUS_ICONS[PUBLIC_STATUS.get(run.status, "aborted")],
        "marginal": run.status == "warning",
        "number_of_attempt": run.attempt,
        "start_time": run.started_at,
        "duration": duration,
        "duration_seconds": duration_seconds,
        "source": run.source,
    }
    lot = {"lot_number": run.lot_number} if run.lot_number else {}
    report = ctx.reports.get(run.id) if run.source == "hardpy" else None
    if report is not None:
        fields.update(
            test_plan_name=report.test_plan_name, test_stand_name=report.stand_name,
            test_stand_hw_id=report.stand_hw_id, test_stand_info=dict(report.stand_info or {}),
            dut_info={**(report.dut_info or {}), **lot}, test_run_artifact=dict(report.artifact or {}),
        )
        return fields
    version = ctx.versions.get(run.version_id) if run.version_id is not None else None
    station = ctx.stations.get(run.station_id) if run.station_id is not None else None
    fields.update(
        test_plan_name=f"{version.name} v{version.version_number}" if version else None,
        test_stand_name=station.name if station else None,
        test_stand_hw_id=station.code if station else None,
        test_stand_info={"location": station.location} if station else {},
        dut_info=lot,
        test_run_artifact={},
    )
    return fields


def run_view(run: Run, ctx: Context) -> dict[str, Any]:
    """A run as GET /test_run shows it."""
    return {**run_fields(run, ctx), "stop_time": run.finished_at}


def dut_view(run: Run, attempt_count: int, ctx: Context) -> dict[str, Any]:
    """A device's last run as GET /tested_dut shows it."""
    return {**run_fields(run, ctx), "finish_time": run.finished_at, "attempt_count": attempt_count}

