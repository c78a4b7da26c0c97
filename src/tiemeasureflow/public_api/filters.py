"""Query filters of the public lists: the documented ones, and any other parameter as a dut_info key."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from pydantic import BeforeValidator

from ..kit.errors import Unprocessable
from ..kit.vocabulary import RUN_SOURCES
from .schemas import PublicStatus

PAGING_PARAMS = frozenset({"limit", "offset", "cursor", "order"})
RUN_PARAMS = frozenset({
    "part_number", "serial_number", "status", "test_stand_name", "test_stand_hw_id", "lot_number",
    "start_time_from", "start_time_to", "source",
})
MAX_DUT_INFO_FILTERS = 10
MAX_KEY_LENGTH = 255
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class RunFilters:
    """Filters shared by test_run and tested_dut (applied to the run, or to the device's last run)."""

    part_number: str | None = None
    serial_number: str | None = None
    status: str | None = None
    test_stand_name: str | None = None
    test_stand_hw_id: str | None = None
    lot_number: str | None = None
    start_time_from: datetime | None = None
    start_time_to: datetime | None = None
    number_of_attempt: int | None = None
    attempt_count: int | None = None
    source: str | None = None
    dut_info: dict[str, list[str]] = field(default_factory=dict)

    def scope(self) -> str:
        """A digest of the filters: a cursor's total is reused only under the same ones."""
        values = {**asdict(self), "dut_info": sorted((k, sorted(v)) for k, v in self.dut_info.items())}
        return hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:16]


def _utc(value: datetime | None) -> datetime | None:
    # A time without an offset is read as UTC, the API's only time zone.
    if value is None:
        return None
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:
        raise Unprocessable("Time out of range") from None


def _iso_text(value: Any) -> Any:
    # Query text only: "0.5" or "1700000000" is not a time here, whatever pydantic would make of it.
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError("expected an ISO 8601 date-time such as 2026-03-01T00:00:00Z")
    return value


def _lower_text(value: Any) -> Any:
    # StandCloud's examples write statuses both as `pass` and as `FAIL`.
    return value.lower() if isinstance(value, str) else value


def _dut_info(request: Request, documented: frozenset[str]) -> dict[str, list[str]]:
    extra: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key in documented:
            continue
        if len(key) > MAX_KEY_LENGTH or len(value) > MAX_KEY_LENGTH:
            raise Unprocessable(f"dut_info filter '{key[:40]}': keys and values are limited to 255 characters")
        extra.setdefault(key, []).append(value)
    if len(extra) > MAX_DUT_INFO_FILTERS:
        raise Unprocessable(f"At most {MAX_DUT_INFO_FILTERS} dut_info keys can be filtered on at once")
    return extra


PartNumber = Annotated[str | None, Query(max_length=255, description="Part number (a station run's recipe code, "
                                        "a HardPy DUT's part number)", examples=["SHAFT-42"])]
SerialNumber = Annotated[str | None, Query(max_length=255, description="The device's serial number",
                                          examples=["SN-000123"])]
Status = Annotated[PublicStatus | None, BeforeValidator(_lower_text),
                   Query(description="`pass` (includes marginal passes), `fail` or `aborted`, in any case "
                                     "(`PASS`, `Fail`)")]
StandName = Annotated[str | None, Query(max_length=255, description="Station name, or a HardPy stand's name")]
StandHwId = Annotated[str | None, Query(max_length=255, description="Station code, or a HardPy stand's hw_id")]
LotNumber = Annotated[str | None, Query(max_length=255, description="Lot number (HardPy: the batch serial number)")]
StartFrom = Annotated[datetime | None, BeforeValidator(_iso_text), Query(description="Started at or after this time (ISO 8601; no offset "
                                             "means UTC)", examples=["2026-03-01T00:00:00Z"])]
StartTo = Annotated[datetime | None, BeforeValidator(_iso_text), Query(description="Started before this time (exclusive)",
                                           examples=["2026-04-01T00:00:00Z"])]
AttemptNumber = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="The run's attempt number for its "
                                            "device (1 = its first run)")]
Source = Annotated[Literal[RUN_SOURCES] | None,  # type: ignore[valid-type]
                  Query(description="Where the run came from: a station, a HardPy report, a QIF or DFQ import")]
AttemptCount = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="How many runs the device has had")]


def run_list_filters(
    request: Request, part_number: PartNumber = None, serial_number: SerialNumber = None, status: Status = None,
    test_stand_name: StandName = None, test_stand_hw_id: StandHwId = None, lot_number: LotNumber = None,
    number_of_attempt: AttemptNumber = None,
    start_time_from: StartFrom = None, start_time_to: StartTo = None, source: Source = None,
) -> RunFilters:
    """Filters of GET /test_run."""
    return RunFilters(
        part_number=part_number, serial_number=serial_number, status=status, test_stand_name=test_stand_name,
        test_stand_hw_id=test_stand_hw_id, lot_number=lot_number, number_of_attempt=number_of_attempt,
        start_time_from=_utc(start_time_from), start_time_to=_utc(start_time_to), source=source,
        dut_info=_dut_info(request, PAGING_PARAMS | RUN_PARAMS | {"number_of_attempt"}),
    )


def dut_list_filters(
    request: Request, part_number: PartNumber = None, serial_number: SerialNumber = None, status: Status = None,
    test_stand_name: StandName = None, test_stand_hw_id: StandHwId = None, lot_number: LotNumber = None,
    attempt_count: AttemptCount = None,
    start_time_from: StartFrom = None, start_time_to: StartTo = None, source: Source = None,
) -> RunFilters:
    """Filters of GET /tested_dut; all but attempt_count apply to the device's last run."""
    return RunFilters(
        part_number=part_number, serial_number=serial_number, status=status, test_stand_name=test_stand_name,
        test_stand_hw_id=test_stand_hw_id, lot_number=lot_number, attempt_count=attempt_count,
        start_time_from=_utc(start_time_from), start_time_to=_utc(start_time_to), source=source,
        dut_info=_dut_info(request, PAGING_PARAMS | RUN_PARAMS | {"attempt_count"}),
    )
