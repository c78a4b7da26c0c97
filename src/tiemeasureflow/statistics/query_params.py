"""The statistics routes' query parameters and filter dependencies (the reports take the same)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from ..kit.schemas import UtcDateTime
from . import shortrun
from .capability_schemas import Distribution
from .schemas import ConstantsSource
from .scope import StatisticsFilters

DateFrom = Annotated[UtcDateTime | None, Query(description="measured_at >= this (ISO 8601; UTC when no zone)")]
DateTo = Annotated[UtcDateTime | None, Query(description="measured_at <= this (ISO 8601; UTC when no zone)")]
StationId = Annotated[int | None, Query(description="Only measurements taken at this station")]
StationCode = Annotated[str | None, Query(description="Only measurements taken at the station with this code")]
ShiftId = Annotated[int | None, Query(description="Only measurements taken in this shift (local time of day)")]
GaugeCode = Annotated[str | None, Query(max_length=100, pattern=r"^[A-Za-z0-9._-]+$",
                                        description="Only measurements taken with this gauge")]
DistributionQuery = Annotated[Distribution, Query(
    description="normal (normal theory), a fitted distribution or transformation (ISO 22514-2 percentile "
                "method), or auto: normal unless Anderson-Darling rejects it, else the best-fitting candidate")]
FamilyQuery = Annotated[list[int] | None, Query(
    max_length=shortrun.MAX_MEMBERS - 1,
    description="dnom/zmr: further subtask ids (any recipe) charted with subtask_id as one family")]
Constants = Annotated[ConstantsSource, Query(
    description="exact: computed from d2, d3, c4; table: ASTM E2587 table values (to match a hand calculation)")]


def summary_filters(
    recipe_id: int, subtask_id: int | None = None, version_id: int | None = None, date_from: DateFrom = None,
    date_to: DateTo = None, operator_id: int | None = None, lot_number: str | None = None,
    serial_number: str | None = None, station_id: StationId = None, station_code: StationCode = None,
    shift_id: ShiftId = None,
    gauge_code: GaugeCode = None,
) -> StatisticsFilters:
    """The reference's filters plus the station and the shift."""
    return StatisticsFilters(recipe_id, subtask_id, version_id, date_from, date_to, operator_id, lot_number,
                             serial_number, station_id, station_code, shift_id, gauge_code=gauge_code)


def characteristic_filters(
    recipe_id: int,
    subtask_id: Annotated[int, Query(description="Stands for its characteristic, across versions")],
    version_id: Annotated[int | None, Query(description="Only this version (default: every version)")] = None,
    date_from: DateFrom = None, date_to: DateTo = None, operator_id: int | None = None,
    lot_number: str | None = None, serial_number: str | None = None, station_id: StationId = None,
    station_code: StationCode = None, shift_id: ShiftId = None, gauge_code: GaugeCode = None,
) -> StatisticsFilters:
    """The reference's filters of one characteristic plus the station and the shift."""
    return StatisticsFilters(recipe_id, subtask_id, version_id, date_from, date_to, operator_id, lot_number,
                             serial_number, station_id, station_code, shift_id, gauge_code=gauge_code)


SummaryFilters = Annotated[StatisticsFilters, Depends(summary_filters)]
CharacteristicFilters = Annotated[StatisticsFilters, Depends(characteristic_filters)]
