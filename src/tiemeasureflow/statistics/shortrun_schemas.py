"""Short-run chart answers (DNOM, Z-MR): the control chart answer with each point's member and raw value."""

from __future__ import annotations

from datetime import datetime  # noqa: F401 (forward reference of ChartPoint)
from typing import Literal

from pydantic import BaseModel, Field

from .schemas import (  # noqa: F401 (forward references)
    ChartPoint,
    ControlChartFields,
    PointMember,
    RuleInfo,
    SecondaryChart,
    Selection,
    SpecLimits,
    Stage,
)


class FamilyMember(BaseModel):
    """A characteristic of the family: its nominal and, for Z-MR, its own sigma."""

    subtask_id: int
    characteristic_id: int
    recipe_id: int
    recipe_code: str
    label: str | None
    description: str | None
    nominal: float | None = Field(description="Nominal of the newest version in the selection (each value "
                                              "takes its own version's)")
    n: int
    sigma: float | None = Field(None, description="Z-MR: MR-bar/d2(2) of the member's own deviations")
    left_out: str | None = Field(None, description="Why the member's values are not on the chart")


class ShortRunPoint(ChartPoint):
    """A deviation (DNOM) or z value (Z-MR) with the measured value and its member."""

    value: float = Field(description="The measured value")
    nominal: float = Field(description="The nominal it is measured from (its own version's)")
    member_subtask_id: int = Field(description="The family member (`family[].subtask_id`) it belongs to")


class ShortRunChartData(ControlChartFields[ShortRunPoint, Literal["dnom", "zmr"], SpecLimits, Selection]):
    """DNOM or Z-MR over a family of characteristics measured in small lots."""

    family: list[FamilyMember]


ShortRunChartData.model_rebuild()
