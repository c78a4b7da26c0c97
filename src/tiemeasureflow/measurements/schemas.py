"""Measurement payloads and responses (the reference's shapes, plus run and history fields)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BaseModel, BeforeValidator, Field

from ..kit import vocabulary
from ..kit.schemas import BIG_ID_MAX, ID_MAX, NO_NUL_PATTERN, Page, StrictInput, UtcDateTime
from ..kit.vocabulary import INPUT_METHODS, JUDGMENTS


def _integral(value):
    # JSON has one number type: 7.0 is the integer 7 (but true, "7" and 7.5 are not).
    return int(value) if isinstance(value, float) and value.is_integer() else value


Id = Annotated[int, Field(ge=1, le=ID_MAX), BeforeValidator(_integral)]
IdQuery = Annotated[int | None, Query(ge=1, le=ID_MAX)]
TextQuery = Annotated[str | None, Query(max_length=255, pattern=NO_NUL_PATTERN)]
# Every method but `hardpy`: HardPy values arrive only inside a stand's report.
InputMethod = Literal[tuple(m for m in INPUT_METHODS if m != vocabulary.InputMethod.HARDPY)]  # type: ignore[valid-type]
Judgment = Literal[JUDGMENTS]  # type: ignore[valid-type]
MAX_BATCH_ITEMS = 1000
MeasurementId = Annotated[int, Path(ge=1, le=BIG_ID_MAX)]

# Printable text: no control characters except tab, so every CSV record stays on one line.
_PRINTABLE = r"^[^\x00-\x08\x0a-\x1f\x7f]+$"
SerialNumber = Annotated[str, Field(min_length=1, max_length=255, pattern=_PRINTABLE)]
LotNumber = Annotated[str, Field(min_length=1, max_length=255, pattern=_PRINTABLE)]
# The asset tag of a gauge in the register (see /api/gauges).
GaugeCode = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$",
                                 description="The gauge the value was taken with (its register code)")]


def datetime_query(description: str):
    """An optional ISO 8601 datetime query parameter (never a Unix timestamp), returned as aware UTC."""
    return Annotated[UtcDateTime | None, Query(description=description)]


# Finite doubles only: NaN and infinities are refused (422), as are booleans and strings.
Value = Annotated[float, Field(allow_inf_nan=False)]


class MeasurementCreate(StrictInput):
    """One value of the reference API: a characteristic of a version, for a serial and lot."""

    subtask_id: Id
    version_id: Id
    value: Value
    serial_number: SerialNumber
    lot_number: LotNumber | None = None
    input_method: InputMethod = "manual"
    gauge_code: GaugeCode | None = None


class MeasurementBatch(StrictInput):
    """Several values stored all together or not at all."""

    measurements: list[MeasurementCreate] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


Reason = Annotated[str, Field(min_length=1, max_length=2000, pattern=r"^[^\x00]*[^\s\x00][^\x00]*$")]


class CorrectionCreate(StrictInput):
    """A corrected value for a measurement, and why."""

    value: Value
    reason: Reason
    input_method: InputMethod = "manual"


class MeasurementResponse(BaseModel):
    """A stored measurement: the reference's fields, then its run and its place in the history."""

    id: int
    subtask_id: int
    version_id: int
    measured_by: int | None
    value: float
    pass_fail: Judgment
    deviation: float | None
    lot_number: str | None
    serial_number: str | None
    input_method: str
    measured_at: datetime
    synced_to_csv: bool
    run_id: uuid.UUID
    characteristic_id: int
    supersedes_id: int | None = Field(description="The measurement this one replaces (a re-measure or a correction)")
    superseded_by_id: int | None = Field(None, description="The measurement that replaces this one; null when current")
    correction_reason: str | None = None
    superseded_value: float | None = Field(
        None, description="The value this one replaced (with supersedes_id), so a reader sees what was corrected")
    corrected_by: str | None = Field(
        None, description="Who replaced the earlier value (display name), set with supersedes_id")
    gross_error_confirmed: bool = Field(
        False, description="The operator confirmed this value although it lies far outside the tolerance")
    gauge_code: str | None = None


class MeasurementListItem(MeasurementResponse):
    """A listed measurement with the names a reader needs beside its ids."""

    recipe_code: str | None = None
    version_number: int | None = None
    label: str | None = Field(None, description="The characteristic's balloon label in its version")
    characteristic: str | None = Field(None, description="The characteristic's name (its description, else its task)")
    unit: str | None = None
    operator: str | None = Field(None, description="Display name of who measured it")
    station_code: str | None = Field(None, description="The station of the value's run")


MeasurementListResponse = Page[MeasurementListItem]


@dataclass(frozen=True)
class MeasurementFilters:
    """The filters of the list and the exports; naive datetimes are taken as UTC."""

    recipe_id: int | None = None
    version_id: int | None = None
    subtask_id: int | None = None
    characteristic_id: int | None = None
    run_id: uuid.UUID | None = None
    measured_by: int | None = None
    lot_number: str | None = None
    serial_number: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    pass_fail: str | None = None
    include_superseded: bool = False
    gauge_code: str | None = None
    station_code: str | None = None
    shift_id: int | None = None
    # The shift as a SQL condition on measured_at, resolved from shift_id in the plant time zone (query.with_shift).
    shift: Any = None
