"""MSA study payloads and responses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from ..gauges.schemas import CODE_PATTERN
from ..kit.schemas import ID_MAX, StrictInput

StudyKind = Literal["grr_crossed", "type1", "linearity"]
MAX_READINGS = 2000


def _integral(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


Id = Annotated[int, Field(ge=1, le=ID_MAX), BeforeValidator(_integral)]
Count = Annotated[int, Field(ge=1, le=100), BeforeValidator(_integral)]
Finite = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False, le=1e12)]
Label = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")]
PartLabel = Annotated[int, Field(ge=-ID_MAX, le=ID_MAX), BeforeValidator(_integral)] | Label


class StudyValue(StrictInput):
    """One reading: part/appraiser/trial for a gauge R&R, reference for linearity, trial alone for type 1."""

    value: Finite
    part: PartLabel | None = None
    appraiser: Label | None = None
    trial: Count | None = None
    reference: Finite | None = None


class StudyPlan(StrictInput):
    """What appraisers will measure at the station; the study generates a randomised order from it."""

    parts: list[PartLabel] = Field(default_factory=list, max_length=50)
    appraisers: list[Label] = Field(default_factory=list, max_length=15)
    trials: Count = 1
    references: list[Finite] = Field(default_factory=list, max_length=50)


class StudyCreate(StrictInput):
    """A study with all its readings (answered with the results), or a plan to collect them at the station."""

    model_config = ConfigDict(json_schema_extra={
        "oneOf": [{"required": ["values"]}, {"required": ["plan"]}],
        "allOf": [{"if": {"properties": {"kind": {"const": "type1"}}, "required": ["kind"]},
                   "then": {"required": ["reference", "tolerance"]}}]})

    kind: StudyKind
    name: Label
    gauge_code: Annotated[str, Field(min_length=1, max_length=100, pattern=CODE_PATTERN)] | SkipJsonSchema[None] = None
    recipe_id: Id | SkipJsonSchema[None] = None
    subtask_id: Id | SkipJsonSchema[None] = None
    tolerance: Positive | SkipJsonSchema[None] = Field(None, description="USL - LSL (required for a type-1 study)")
    reference: Finite | SkipJsonSchema[None] = Field(None, description="The reference value of a type-1 study's master part")
    process_variation: Positive | SkipJsonSchema[None] = Field(
        None, description="6 sigma of the process, for %linearity and %bias")
    values: Annotated[list[StudyValue], Field(max_length=MAX_READINGS)] | SkipJsonSchema[None] = None
    plan: StudyPlan | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _one_source(self):
        if (self.values is None) == (self.plan is None):
            raise ValueError("give either values or plan")
        if self.kind == "type1" and (self.reference is None or self.tolerance is None):
            raise ValueError("a type-1 study needs reference and tolerance")
        return self


class ReadingCreate(StrictInput):
    """The value of one slot of a study's randomised order."""

    slot: Annotated[int, Field(ge=0, le=MAX_READINGS), BeforeValidator(_integral)]
    value: Finite


class StudySummary(BaseModel):
    """A study in the list."""

    id: int
    kind: str
    name: str
    status: str
    gauge_code: str | None
    recipe_id: int | None
    subtask_id: int | None
    created_at: datetime
    finished_at: datetime | None
    acceptance: str | None = Field(None, description="acceptable, conditional or unacceptable (finished studies)")


class StudyResponse(StudySummary):
    """A study: set-up, readings, the order still to measure and, once finished, its results."""

    tolerance: float | None
    reference: float | None
    process_variation: float | None
    created_by: int | None
    plan: dict[str, Any] | None
    values: list[dict[str, Any]]
    next_slot: int | None = Field(None, description="The next slot to measure while collecting")
    average_range: dict[str, Any] | None = None
    anova: dict[str, Any] | None = None
    charts: dict[str, Any] | None = None
    type1: dict[str, Any] | None = None
    linearity: dict[str, Any] | None = None
