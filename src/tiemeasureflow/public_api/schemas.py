"""Public API responses, with StandCloud's field names."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..kit.vocabulary import RUN_SOURCES

PublicStatus = Literal["pass", "fail", "aborted"]
# The icons StandCloud's examples carry beside the status (aborted has no example; a stop sign marks it).
STATUS_ICONS: dict[str, str] = {"pass": "\u2705", "fail": "\u274c", "aborted": "\u23f9\ufe0f"}

RUN_EXAMPLE: dict[str, Any] = {
    "test_run_id": "0b8f2c1e-4d5a-4f7e-9b1c-2a3d4e5f6a7b",
    "test_plan_name": "Shaft 42 v3",
    "serial_number": "SN-000123",
    "part_number": "SHAFT-42",
    "status": "pass",
    "status_icon": "\u2705",
    "marginal": False,
    "number_of_attempt": 1,
    "start_time": "2026-03-02T08:15:00Z",
    "stop_time": "2026-03-02T08:27:34Z",
    "duration": "PT12M34S",
    "duration_seconds": 754.0,
    "test_stand_name": "Line A gauge bench",
    "test_stand_hw_id": "ST-LINEA-A",
    "test_stand_info": {"location": "Hall 2"},
    "dut_info": {"lot_number": "LOT-2026-03"},
    "test_run_artifact": {},
    "source": "station",
}


class TestRun(BaseModel):
    """One run: measured at a station or uploaded by a HardPy stand."""

    __test__ = False
    model_config = ConfigDict(json_schema_extra={"examples": [RUN_EXAMPLE]})

    test_run_id: uuid.UUID
    test_plan_name: str | None
    serial_number: str
    part_number: str
    status: PublicStatus
    status_icon: str
    marginal: bool
    number_of_attempt: int
    start_time: datetime
    stop_time: datetime | None
    duration: str | None
    duration_seconds: float | None
    test_stand_name: str | None
    test_stand_hw_id: str | None
    test_stand_info: dict[str, Any]
    dut_info: dict[str, Any]
    test_run_artifact: dict[str, Any]
    source: Literal[RUN_SOURCES]  # type: ignore[valid-type]


DUT_EXAMPLE: dict[str, Any] = {
    **{k: v for k, v in RUN_EXAMPLE.items() if k != "stop_time"},
    "number_of_attempt": 2,
    "finish_time": "2026-03-02T08:27:34Z",
    "attempt_count": 2,
}


class TestedDut(BaseModel):
    """A device (part number + serial): its last run, and how many runs it has had."""

    __test__ = False
    model_config = ConfigDict(json_schema_extra={"examples": [DUT_EXAMPLE]})

    test_run_id: uuid.UUID
    test_plan_name: str | None
    serial_number: str
    part_number: str
    status: PublicStatus
    status_icon: str
    marginal: bool
    number_of_attempt: int
    attempt_count: int
    start_time: datetime
    finish_time: datetime | None
    duration: str | None
    duration_seconds: float | None
    test_stand_name: str | None
    test_stand_hw_id: str | None
    test_stand_info: dict[str, Any]
    dut_info: dict[str, Any]
    test_run_artifact: dict[str, Any]
    source: Literal[RUN_SOURCES]  # type: ignore[valid-type]


class CaseMeasurement(BaseModel):
    """A measurement of a failed case, in HardPy's shape; station values add nominal, warning limits, deviation."""

    model_config = ConfigDict(extra="allow")

    type: Literal["numeric", "string"]
    name: str | None
    value: float | str | None
    unit: str | None = None
    operation: str | None = None
    comparison_value: float | str | None = None
    lower_limit: float | None = None
    upper_limit: float | None = None
    result: bool | None = None


CASE_EXAMPLE: dict[str, Any] = {
    "case_id": "characteristic-17",
    "name": "Outer diameter",
    "module": "Turning",
    "status": "fail",
    "start_time": "2026-03-02T08:21:10Z",
    "stop_time": "2026-03-02T08:21:10Z",
    "assertion_msg": "Outer diameter (balloon 3): 10.25 mm is above the upper tolerance limit 10.2 mm "
                     "(nominal 10, deviation +0.25 mm)",
    "msg": None,
    "measurements": [{
        "type": "numeric", "name": "Outer diameter", "value": 10.25, "unit": "mm", "operation": "gele",
        "comparison_value": None, "lower_limit": 9.8, "upper_limit": 10.2, "result": False,
        "nominal": 10.0, "lower_warning_limit": 9.9, "upper_warning_limit": 10.1, "deviation": 0.25,
    }],
    "attempt": 1,
    "group": "main",
    "artifact": {},
}


class FailedCase(BaseModel):
    """A failed step of a run: a characteristic out of tolerance, or a failed HardPy case."""

    model_config = ConfigDict(json_schema_extra={"examples": [CASE_EXAMPLE]})

    case_id: str
    name: str | None
    module: str | None
    status: Literal["fail"]
    start_time: datetime | None
    stop_time: datetime | None
    assertion_msg: str | None
    msg: dict[str, Any] | None
    measurements: list[CaseMeasurement]
    attempt: int
    group: str | None
    artifact: dict[str, Any]


class Healthy(BaseModel):
    """The empty object HardPy expects from a health check."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})


class ReportAccepted(BaseModel):
    """The run a report became (the same one when the report was uploaded before)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"test_run_id": RUN_EXAMPLE["test_run_id"]}]})

    test_run_id: uuid.UUID
