"""Yield and Pareto responses."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

YieldGrouping = Literal["day", "station", "recipe"]


class YieldGroup(BaseModel):
    """Devices (part number + serial) whose first run started in the period, and how they fared."""

    key: str = Field(description="The UTC day (YYYY-MM-DD), station id or recipe id; 'all' for the total")
    label: str | None = Field(description="Station or recipe code")
    devices: int = Field(description="Devices whose first run falls in the group")
    decided: int = Field(description="Devices whose first run is finished (devices - pending)")
    pending: int = Field(description="Devices whose first run is still in progress")
    first_pass: int = Field(description="Devices whose first run passed (pass or warning)")
    final_pass: int = Field(description="Devices whose latest finished run passed")
    runs: int = Field(description="Runs of these devices up to the end of the period")
    first_pass_yield: float | None = Field(description="100 * first_pass / decided; null when nothing is decided")
    final_yield: float | None = Field(description="100 * final_pass / decided; null when nothing is decided")


class YieldData(BaseModel):
    """First-pass and final yield, in total and per group."""

    group_by: YieldGrouping
    date_from: datetime | None
    date_to: datetime | None
    total: YieldGroup
    groups: list[YieldGroup]


class ParetoItem(BaseModel):
    """One characteristic's failing and warning measurements."""

    rank: int
    characteristic_id: int
    subtask_id: int = Field(description="The characteristic's subtask in its newest version")
    recipe_id: int
    recipe_code: str
    marker_number: int
    label: str | None = Field(None, description="Balloon label in the characteristic's newest version")
    description: str | None
    unit: str
    fail_count: int
    warning_count: int
    count: int = Field(description="The ranked count: fail_count + warning_count (or one of them when filtered)")
    measured: int = Field(description="Current measurements of the characteristic in the selection")
    rate_percentage: float = Field(description="100 * count / measured")
    percentage: float = Field(description="Share of all ranked counts")
    cumulative_percentage: float


class ParetoData(BaseModel):
    """Characteristics ranked by failing and warning measurements, most first."""

    judgments: list[Literal["fail", "warning"]]
    total: int = Field(description="Sum of the ranked counts over every characteristic")
    characteristics: int = Field(description="Characteristics with at least one ranked measurement")
    items: list[ParetoItem]
