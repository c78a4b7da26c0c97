"""Answers about HardPy measurements as characteristics: the station characteristics' shapes, HardPy's labels."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from .capability_schemas import CapabilityAnswerFields, HistogramAnswerFields
from .schemas import (  # noqa: F401 (forward references of the models below)
    CapabilityFields,
    ChartPoint,
    ConfidenceInterval,
    ControlChartFields,
    HistogramFields,
    NormalityTest,
    Ppm,
    Stage,
)


class HardpyCharacteristic(BaseModel):
    """A numeric measurement of a HardPy case, charted across the runs of a part number."""

    part_number: str
    key: str = Field(description="`module::case::name` (`module::case::#position` for an unnamed measurement): "
                                 "the `measurement` parameter of the chart routes")
    module_id: str
    module_name: str | None
    case_id: str
    case_name: str | None
    name: str | None = Field(description="The measurement's name (null when HardPy's test gave none)")
    position: int | None = Field(description="Its place in the case, for an unnamed measurement")
    unit: str | None = Field(description="Of the newest value")
    operation: str | None = Field(description="HardPy's comparison of the newest value (gele, ge, le, eq...)")
    lsl: float | None = Field(description="The newest value's lower_limit (a ge/gt comparison's value)")
    usl: float | None = Field(description="The newest value's upper_limit (a le/lt comparison's value)")
    count: int = Field(description="Numeric values uploaded")
    runs: int = Field(description="Runs that measured it")


class HardpySpec(BaseModel):
    """The limits the selection is judged against: those of its newest value."""

    part_number: str
    key: str
    module_id: str
    module_name: str | None
    case_id: str
    case_name: str | None
    name: str | None
    unit: str
    nominal: float | None = Field(description="The comparison value of an `eq` measurement, else null")
    lsl: float | None = Field(description="lower_limit (a ge/gt comparison's value)")
    usl: float | None = Field(description="upper_limit (a le/lt comparison's value)")
    lwl: None = None
    uwl: None = None
    label: str | None = Field(description="The measurement's name, for the chart's title")
    description: str | None = Field(description="`module name / case name`")


class HardpySelection(BaseModel):
    """What the answer was computed from."""

    part_number: str
    key: str
    n: int = Field(description="Numeric values matching the filters")
    runs: int


class HardpyChartPoint(ChartPoint):
    """A point of the I-MR chart: one value, its run, device and stand."""

    run_id: uuid.UUID
    stand_name: str | None
    result: bool | None = Field(description="HardPy's own judgment of the value")


class HardpyControlChart(ControlChartFields[HardpyChartPoint, Literal["imr"], HardpySpec, HardpySelection]):
    """The station characteristics' control chart answer (I-MR) for a HardPy measurement."""


class HardpyCapabilityData(CapabilityFields[HardpySpec, HardpySelection]):
    """The capability answer before its intervals and distribution are added."""


class HardpyCapability(CapabilityAnswerFields[HardpySpec, HardpySelection]):
    """The station characteristics' capability answer for a HardPy measurement."""


class HardpyHistogramData(HistogramFields[HardpySpec, HardpySelection]):
    """The histogram before the chosen distribution is added."""


class HardpyHistogram(HistogramAnswerFields[HardpySpec, HardpySelection]):
    """The station characteristics' histogram answer for a HardPy measurement."""


for _model in (HardpyControlChart, HardpyCapabilityData, HardpyCapability, HardpyHistogramData, HardpyHistogram):
    _model.model_rebuild()
