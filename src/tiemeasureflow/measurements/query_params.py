"""The measurement list's and exports' filters as query parameters (the DFQ export takes the same)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query

from ..kit.schemas import ID_MAX, NO_NUL_PATTERN
from .schemas import IdQuery, Judgment, MeasurementFilters, TextQuery, datetime_query


def measurement_filters(
    recipe_id: IdQuery = None, version_id: IdQuery = None, subtask_id: IdQuery = None,
    characteristic_id: IdQuery = None, run_id: uuid.UUID | None = None, measured_by: IdQuery = None,
    lot_number: TextQuery = None, serial_number: TextQuery = None,
    date_from: datetime_query("measured_at >= this (ISO 8601; UTC when naive)") = None,
    date_to: datetime_query("measured_at <= this (ISO 8601; UTC when naive)") = None,
    pass_fail: Judgment | None = None,
    include_superseded: Annotated[bool, Query(description="Also superseded values (the history)")] = False,
    gauge_code: Annotated[str | None, Query(max_length=100, pattern=r"^[A-Za-z0-9._-]+$",
                                            description="Only values taken with this gauge")] = None,
    station_code: Annotated[str | None, Query(max_length=100, pattern=NO_NUL_PATTERN,
                                              description="Only values of runs at this station")] = None,
    shift_id: Annotated[int | None, Query(ge=1, le=ID_MAX, description="Only values taken in this shift "
                                                                         "(local time of the plant)")] = None,
) -> MeasurementFilters:
    """The list and export filters."""
    return MeasurementFilters(recipe_id, version_id, subtask_id, characteristic_id, run_id, measured_by,
                              lot_number, serial_number, date_from, date_to, pass_fail, include_superseded,
                              gauge_code, station_code, shift_id)


FiltersDep = Annotated[MeasurementFilters, Depends(measurement_filters)]
