"""/api/statistics/hardpy: SPC of the numeric measurements of HardPy cases, by part number (Metrologist)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from ..auth.deps import ReadSessionDep, require_roles
from ..kit.schemas import NO_NUL_PATTERN, UtcDateTime
from . import hardpy_service
from .capability_schemas import Distribution
from .chart_options import check_constants
from .hardpy_schemas import HardpyCapability, HardpyCharacteristic, HardpyControlChart, HardpyHistogram
from .hardpy_series import Filters, Key, characteristics
from .schemas import ConstantsSource, Estimator, RuleSet

router = APIRouter(prefix="/statistics/hardpy", tags=["statistics"],
                   dependencies=[Depends(require_roles("Metrologist"))])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Metrologist role required"},
    404: {"description": "No numeric HardPy measurement with this key for this part number"},
    422: {"description": "Invalid parameters"},
}
# No stored text holds NUL (PostgreSQL refuses it): such a filter is refused as invalid, as a body's text is.
Text = Annotated[str | None, Query(max_length=255, pattern=NO_NUL_PATTERN)]


def hardpy_filters(
    part_number: Annotated[str, Query(min_length=1, max_length=255, pattern=NO_NUL_PATTERN, description="The DUT's part_number")],
    date_from: Annotated[UtcDateTime | None, Query(description="Cases started at or after this")] = None,
    date_to: Annotated[UtcDateTime | None, Query(description="Cases started at or before this")] = None,
    serial_number: Text = None, lot_number: Annotated[str | None, Query(
        max_length=255, pattern=NO_NUL_PATTERN, description="The report's batch_serial_number")] = None,
    stand: Annotated[str | None, Query(max_length=255, pattern=NO_NUL_PATTERN, description="Only runs of the stand with this name")] = None,
) -> Filters:
    """Which of the part number's runs count."""
    return Filters(part_number, date_from, date_to, serial_number, lot_number, stand)


def measurement_key(measurement: Annotated[str, Query(
        min_length=5, max_length=800, pattern=r"^[^:\x00]+::[^:\x00]+::[^\x00]+$",
        description="`module::case::name` as the characteristics list gives it (`module::case::#n` for the "
                    "unnamed measurement at place n of the case)")]) -> Key:
    """The measurement to chart."""
    return Key.parse(measurement)


HardpyFilters = Annotated[Filters, Depends(hardpy_filters)]
MeasurementKey = Annotated[Key, Depends(measurement_key)]
DistributionQuery = Annotated[Distribution, Query(description="As for a station characteristic's capability")]
Constants = Annotated[ConstantsSource, Query(description="exact: from d2, d3, c4; table: ASTM E2587 table values")]


@router.get("/characteristics", response_model=list[HardpyCharacteristic], responses=ERRORS)
def hardpy_characteristics(session: ReadSessionDep, part_number: Annotated[str | None, Query(
        min_length=1, max_length=255, pattern=NO_NUL_PATTERN, description="Default: every part number HardPy stands uploaded")] = None,
) -> list[HardpyCharacteristic]:
    """The numeric measurements of HardPy cases of a part number: key, names, unit, newest limits, count."""
    return characteristics(session, part_number)


@router.get("/control-chart", response_model=HardpyControlChart, responses=ERRORS)
def hardpy_control_chart(
    session: ReadSessionDep, filters: HardpyFilters, key: MeasurementKey,
    rules: Annotated[RuleSet | None, Query(description="Western Electric 1-4 (default) or Nelson 1-8")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Newest points returned")] = 1000,
    constants: Constants = "exact",
) -> HardpyControlChart:
    """I-MR chart of a HardPy measurement with limits and rule violations, as for a station characteristic."""
    return hardpy_service.control_chart(session, filters, key, rules, limit, constants)


@router.get("/capability", response_model=HardpyCapability, responses=ERRORS)
def hardpy_capability(
    session: ReadSessionDep, filters: HardpyFilters, key: MeasurementKey,
    subgroup_size: Annotated[int, Query(ge=1, le=25, description="1: individuals; 2..25: subgroups")] = 1,
    estimator: Annotated[Estimator, Query(description="Sigma within of subgroups")] = "r_bar",
    constants: Constants = "exact", distribution: DistributionQuery = "normal",
    confidence: Annotated[float, Query(ge=0.5, le=0.999, description="Of every interval (two-sided)")] = 0.95,
) -> HardpyCapability:
    """Capability indices of a HardPy measurement against its lower and upper limits."""
    check_constants("capability", subgroup_size, constants)
    return hardpy_service.capability(session, filters, key, subgroup_size, estimator, constants, distribution,
                                     confidence)


@router.get("/histogram", response_model=HardpyHistogram, responses=ERRORS)
def hardpy_histogram(session: ReadSessionDep, filters: HardpyFilters, key: MeasurementKey,
                     n_bins: Annotated[int, Query(ge=5, le=100)] = 20,
                     distribution: DistributionQuery = "normal") -> HardpyHistogram:
    """Histogram of a HardPy measurement with the fitted curve and its limits."""
    return hardpy_service.histogram(session, filters, key, n_bins, distribution)
