"""What the per-part inspection report draws: plain values, gathered by `part_source`, free of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .data import ReportContext


@dataclass
class PartCorrection:
    """A value replaced in the run: the old value, who replaced it, when and why."""

    superseded_value: float
    value: float
    by: str | None
    at: datetime
    reason: str | None


@dataclass
class PartRow:
    """One characteristic of the run's version (or one HardPy test case), in balloon order."""

    balloon: str
    description: str
    unit: str
    nominal: float | None
    ltl: float | None
    utl: float | None
    value: float | None
    deviation: float | None
    result: str | None  # pass / warning / fail, None when not measured
    gauge: str | None
    measured_at: datetime | None
    corrections: list[PartCorrection] = field(default_factory=list)
    text_limits: str | None = None  # a tolerance as written on the drawing, or a HardPy case's limits


@dataclass
class DrawingPage:
    """A drawing (or one page of a PDF drawing) with its balloons: label, x and y as fractions, result."""

    title: str
    path: str  # relative to the upload folder
    balloons: list[tuple[str, float, float, str | None]]


@dataclass
class PartReport:
    """Everything on the per-part inspection report."""

    context: ReportContext
    zone: str  # the plant's time zone, in which every time is printed
    run_id: str
    source: str
    part_number: str
    plan: str  # recipe code and name, or the HardPy test plan
    version: int | None
    serial: str
    lot: str | None
    attempt: int
    status: str
    operator: str | None
    station: str | None
    started_at: datetime
    finished_at: datetime | None
    rows: list[PartRow]
    drawings: list[DrawingPage]
    released: str | None = None
