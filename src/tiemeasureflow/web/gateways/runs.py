"""Runs: a part's measuring session at a station, its values and its report."""

from __future__ import annotations

from typing import Any, TypedDict

import httpx

from .routes import route

OPEN = route("GET", "/api/runs/open")
RUNS = route("GET", "/api/runs")
START = route("POST", "/api/runs")
RUN = route("GET", "/api/runs/{run_id}")
ADD_VALUE = route("POST", "/api/runs/{run_id}/measurements")
FINISH = route("POST", "/api/runs/{run_id}/finish")
ABORT = route("POST", "/api/runs/{run_id}/abort")
REPORT = route("GET", "/api/runs/{run_id}/report.pdf")


class Measurement(TypedDict):
    """One stored value of a run (a correction names the value it supersedes)."""

    id: int
    subtask_id: int
    value: float
    pass_fail: str
    deviation: float | None
    measured_at: str
    supersedes_id: int | None


class Run(TypedDict):
    """A run of one part on one recipe version."""

    id: str
    recipe_id: int
    version_id: int
    version_number: int | None
    serial_number: str
    lot_number: str | None
    station_code: str | None
    status: str
    attempt: int


class RunDetail(Run):
    """A run with the latest value of each measured characteristic."""

    measurements: list[Measurement]


class RunPage(TypedDict):
    """One page of runs, newest first."""

    items: list[Run]
    total: int


def open_runs(station_code: str | None = None, recipe_id: int | None = None) -> list[Run]:
    """The signed-in operator's runs still in progress (at a station, or of a recipe)."""
    return OPEN.call(params={"station_code": station_code, "recipe_id": recipe_id})


def runs_of_part(recipe_id: int, serial_number: str, per_page: int) -> RunPage:
    """The newest runs of one part (recipe and serial)."""
    return RUNS.call(params={"recipe_id": recipe_id, "serial_number": serial_number, "per_page": per_page})


def start(recipe_id: int, serial_number: str, lot_number: str | None, station_code: str) -> Run:
    """Open a run for one part on the recipe's current version."""
    return START.call(json={"recipe_id": recipe_id, "serial_number": serial_number, "lot_number": lot_number,
                            "station_code": station_code})


def run(run_id: str) -> RunDetail:
    """A run with its measurements."""
    return RUN.call(run_id=run_id)


def add_value(run_id: str, body: dict[str, Any], idempotency_key: str | None) -> Measurement:
    """Store one value (once per key, however often it is resent)."""
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return ADD_VALUE.call(run_id=run_id, json=body, send={"headers": headers})


def finish(run_id: str, allow_incomplete: bool) -> Run:
    """Close the run; the API judges the part."""
    return FINISH.call(run_id=run_id, json={"allow_incomplete": allow_incomplete})


def abort(run_id: str, reason: str | None) -> Run:
    """Abandon the run."""
    return ABORT.call(run_id=run_id, json={"reason": reason} if reason else None)


def report_pdf(run_id: str) -> httpx.Response:
    """The run's PDF report."""
    return REPORT.raw(run_id=run_id)
