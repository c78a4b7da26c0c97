"""A HardPy run report as uploaded by a stand: HardPy's fields, any others kept."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi.exceptions import RequestValidationError
from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ..kit.errors import Conflict, Unprocessable
from ..kit.numbers import WholeNumber, whole

# Every part accepts fields it does not know (newer HardPy versions) and keeps them.
OPEN = ConfigDict(extra="allow", strict=True, allow_inf_nan=False)
# Unix seconds up to the year 3000.
UnixTime = Annotated[float, Field(ge=0, le=32_503_680_000)]
Name = Annotated[str, Field(max_length=255)]
Number = float  # ints arrive as floats; huge ints and NaN are refused
HARDPY_RUN_STATUSES = ("passed", "failed", "error", "stopped", "skipped", "run", "ready")


class ReportMeasurement(BaseModel):
    """A numeric or string measurement (HardPy's NumericMeasurement / StringMeasurement)."""

    model_config = OPEN

    type: Literal["numeric", "string"] | None = None
    name: str | None = None
    value: Number | str
    unit: Annotated[str, Field(max_length=50)] | None = None
    operation: Annotated[str, Field(max_length=10)] | None = None
    comparison_value: Number | str | None = None
    lower_limit: Number | None = None
    upper_limit: Number | None = None
    result: bool | None = None

    @property
    def contradiction(self) -> str | None:
        """Why `type` and `value` disagree (both are schema-valid apart), or None."""
        numeric = isinstance(self.value, (int, float))
        if self.type == "numeric" and not numeric:
            return "a numeric measurement needs a number as value"
        if self.type == "string" and numeric:
            return "a string measurement needs a string as value"
        return None

    @property
    def kind(self) -> str:
        """numeric or string, from `type` or else from the value."""
        return self.type or ("numeric" if isinstance(self.value, (int, float)) else "string")


class ReportCase(BaseModel):
    """One test case of a module."""

    model_config = OPEN

    status: Annotated[str, Field(min_length=1, max_length=20)]
    name: str | None = None
    start_time: UnixTime | None = None
    stop_time: UnixTime | None = None
    assertion_msg: str | None = None
    msg: dict[str, Any] | None = None
    measurements: list[ReportMeasurement] = []
    chart: dict[str, Any] | None = None
    attempt: Annotated[int, Field(ge=0, le=2**31 - 1), BeforeValidator(whole)] = 0
    group: Annotated[str, Field(max_length=20)] | None = None
    artifact: dict[str, Any] = {}


class ReportModule(BaseModel):
    """One test module (a pytest file) and its cases."""

    model_config = OPEN

    status: Annotated[str, Field(min_length=1, max_length=20)]
    name: str | None = None
    start_time: UnixTime | None = None
    stop_time: UnixTime | None = None
    group: Annotated[str, Field(max_length=20)] | None = None
    artifact: dict[str, Any] = {}
    cases: dict[Name, ReportCase] = {}


class ReportDut(BaseModel):
    """The device under test; its serial number is required."""

    model_config = OPEN

    name: str | None = None
    type: str | None = None
    serial_number: Annotated[str, Field(min_length=1, max_length=255)]
    part_number: Name | None = None
    revision: str | None = None
    sub_units: list[dict[str, Any]] = []
    info: dict[Name, Any] = {}


class ReportStand(BaseModel):
    """The test stand that ran the tests."""

    model_config = OPEN

    hw_id: Name | None = None
    name: Name | None = None
    revision: str | None = None
    timezone: str | None = None
    location: str | None = None
    number: WholeNumber | None = None
    drivers: dict[str, Any] = {}
    instruments: list[dict[str, Any]] = []
    info: dict[str, Any] = {}


class HardpyReportIn(BaseModel):
    """HardPy's ResultRunStore as its StandCloudLoader sends it (`id`/`rev`, or `_id`/`_rev`)."""

    model_config = OPEN

    id: Name | None = Field(None, validation_alias=AliasChoices("id", "_id"))
    rev: str | None = Field(None, validation_alias=AliasChoices("rev", "_rev"))
    name: Name | None = None
    status: Literal[HARDPY_RUN_STATUSES]
    start_time: UnixTime | None = None
    stop_time: UnixTime | None = None
    test_stand: ReportStand
    dut: ReportDut
    process: dict[str, Any] | None = None
    modules: dict[Name, ReportModule] = {}
    user: str | None = None
    batch_serial_number: Name | None = None
    caused_dut_failure_id: str | None = None
    error_code: WholeNumber | None = None
    artifact: dict[str, Any] = {}



def _reject_constant(name: str):
    raise ValueError(f"{name} is not a valid JSON number")


def parse_report(body: bytes) -> tuple[HardpyReportIn, dict[str, Any]]:
    """The validated report and the original JSON object; 422 with the reasons otherwise."""
    try:
        original = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Unprocessable(f"The body is not valid JSON: {exc}") from None
    except RecursionError:
        raise Unprocessable("The body is nested too deeply") from None
    if not isinstance(original, dict):
        raise Unprocessable("The body must be one HardPy run report (a JSON object)")
    try:
        report = HardpyReportIn.model_validate(original)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None
    # Both times may be null in the schema, not together: a report that never says when it ran contradicts itself.
    if report.start_time is None and report.stop_time is None:
        raise Conflict("start_time (or at least stop_time) is required: the run has no time")
    for module_name, module in report.modules.items():
        for case_name, case in module.cases.items():
            for position, measurement in enumerate(case.measurements):
                if (reason := measurement.contradiction) is not None:
                    where = f"modules.{module_name}.cases.{case_name}.measurements[{position}]"
                    raise Conflict(f"{where}: {reason}")
    return report, original


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its $defs inlined, for an operation's requestBody."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)
