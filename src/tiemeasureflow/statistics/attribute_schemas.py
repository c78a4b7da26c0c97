"""Responses of the attribute charts p, np, c and u."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

AttributeKind = Literal["p", "np", "c", "u"]
AttributeGrouping = Literal["lot", "day", "shift", "run_count"]


class AttributePoint(BaseModel):
    """One subgroup of runs (parts): its size, count, plotted value and its own limits."""

    x: int = Field(description="Position among the subgroups (0 = the one with the oldest first value)")
    key: str = Field(description="Lot number, local date, local date and shift name, or first-last run number")
    n: int = Field(description="Runs (parts) in the subgroup")
    count: int = Field(description="p/np: runs with a failed value; c/u: failed values (nonconformities)")
    value: float = Field(description="p: count/n; np and c: count; u: count/n")
    center: float = Field(description="The point's centre (np: n p-bar; otherwise the centre line)")
    ucl: float
    lcl: float
    first_at: datetime = Field(description="Time of the subgroup's first value")
    signal: bool = Field(description="Beyond one of its limits")


class AttributeChartData(BaseModel):
    """An attribute chart with a limit pair per point (variable subgroup sizes)."""

    chart: AttributeKind
    subgroup_by: AttributeGrouping
    points: list[AttributePoint]
    center_line: float | None = Field(description="p-bar, c-bar or u-bar; np: n p-bar when every n is equal")
    out_of_control_indices: list[int] = Field(description="x of the points beyond a limit")
    units: int = Field(description="Runs (parts) in the selection")
    nonconforming: int = Field(description="Runs with at least one failed value")
    nonconformities: int = Field(description="Failed values")
    subtask_id: int | None = Field(description="The characteristic counted, or null for every one of the recipe")
    notes: list[str]
