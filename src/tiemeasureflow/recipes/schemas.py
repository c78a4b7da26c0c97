"""Recipe, version, task and subtask payloads and responses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_serializer

from ..kit.schemas import OrmOutput, StrictInput
from . import catalog

# Integer primary keys are 32-bit on PostgreSQL.
MAX_ID = 2**31 - 1
MAX_MARKER = 99_999


def _whole_number(value):
    # JSON does not tell 3 from 3.0 and JSON Schema calls both integers; anything else stays strict.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Text without NUL characters (PostgreSQL cannot store them); said in the schema, so clients know.
NO_NUL = r"^[^\x00]*$"
CODE_PATTERN = r"^[A-Za-z0-9._-]{1,100}$"
Code = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=CODE_PATTERN)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=NO_NUL)]
LongText = Annotated[str, StringConstraints(max_length=10_000, pattern=NO_NUL)]
Notes = Annotated[str, StringConstraints(max_length=2_000, pattern=NO_NUL)]
FilePath = Annotated[str, StringConstraints(min_length=1, max_length=1024, pattern=NO_NUL)]
Limit = Annotated[float, Field(allow_inf_nan=False)]
GrossErrorFactor = Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False, description=(
    "Tolerance widths beyond a tolerance limit from which the station asks the operator to confirm "
    "a value (null: the default, 2)"))]
Marker = Annotated[int, Field(ge=1, le=MAX_MARKER), BeforeValidator(_whole_number)]
Unit = Annotated[Literal[catalog.ACCEPTED_UNITS], AfterValidator(catalog.canonical_unit)]  # type: ignore[valid-type]
MeasurementType = Literal[catalog.MEASUREMENT_TYPES]  # type: ignore[valid-type]
FileType = Literal[catalog.FILE_TYPES]  # type: ignore[valid-type]
FileId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_whole_number)]
TaskId = Annotated[int, BeforeValidator(_whole_number)]
ToleranceText = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=NO_NUL)]
TOLERANCE_HELP = ("The tolerance as written on the drawing ('25 ±0.05', '25 +0.02/-0.05', 'max 0.05', '25 h7', "
                  "'25 H7'): sets nominal, ltl and utl (which are then not sent) and is kept for display")


def _without_first_page(dumped: dict) -> dict:
    """A balloon's fields without page when it is 1."""
    if dumped.get("page") == 1:
        dumped.pop("page")
    return dumped


class Balloon(StrictInput):
    """A numbered balloon on the task's drawing; x and y are fractions of its width and height."""

    marker_number: Marker
    x: float = Field(ge=0.0, le=1.0, allow_inf_nan=False)
    y: float = Field(ge=0.0, le=1.0, allow_inf_nan=False)
    page: Annotated[int, BeforeValidator(_whole_number)] = Field(
        1, ge=1, le=1_000, description="Page of a PDF drawing (1 for an image)")

    @model_serializer(mode="wrap")
    def _first_page_implied(self, handler):
        # Page 1 is implied: a balloon stays as the reference stores and echoes it.
        return _without_first_page(handler(self))


Annotations = Annotated[list[Balloon], Field(max_length=1_000, description="Balloons; each marker_number once")]

# Fields that may be omitted from an update but not set to null are typed without None and
# default to None: null is then refused by validation, and the schema says so.

# --- Recipes -----------------------------------------------------------------------------------


class RecipeListParams(BaseModel):
    """Query of the recipe list; unknown parameters are refused like unknown fields."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(20, ge=1, le=100)
    search: str | None = Field(None, max_length=200, description="Part of the code or name, any case")


class RecipeCreate(StrictInput):
    """A new recipe and the notes of its first version."""

    code: Code
    name: Name
    description: LongText | None = None
    change_notes: Notes | None = None


class RecipeUpdate(StrictInput):
    """New name and/or description; change_notes describe the version the edit lands in."""

    name: Name = None  # type: ignore[assignment]
    description: LongText | None = None
    change_notes: Notes | None = None


# --- Subtasks ----------------------------------------------------------------------------------


class SubtaskCreate(StrictInput):
    """One characteristic: what to measure, its unit and limits (any limit may be absent).

    The unit must suit the measurement type and the limits satisfy ltl <= lwl <= nominal <= uwl <= utl;
    both are checked with the task it goes to (422).
    """

    marker_number: Marker
    description: LongText | None = None
    measurement_type: MeasurementType
    nominal: Limit | None = None
    utl: Limit | None = None
    uwl: Limit | None = None
    lwl: Limit | None = None
    ltl: Limit | None = None
    unit: Unit = Field(None, description="One that suits measurement_type; defaults to its usual unit")  # type: ignore[assignment]
    tolerance_text: ToleranceText | None = Field(None, description=TOLERANCE_HELP)
    gross_error_factor: GrossErrorFactor | None = None
    # Reaction to alarms: class (critical stops the station), reaction plan, Cpk target (default 1.33).
    characteristic_class: Literal["critical", "major", "minor"] | None = None
    reaction_plan: str | None = Field(None, max_length=10000)
    cpk_target: float | None = Field(None, gt=0, le=100)


class SubtaskUpdate(StrictInput):
    """Changes to a subtask; limits may be cleared with null. The result is validated as a whole."""

    marker_number: Marker = None  # type: ignore[assignment]
    description: LongText | None = None
    measurement_type: MeasurementType = None  # type: ignore[assignment]
    nominal: Limit | None = None
    utl: Limit | None = None
    uwl: Limit | None = None
    lwl: Limit | None = None
    ltl: Limit | None = None
    unit: Unit = None  # type: ignore[assignment]
    tolerance_text: ToleranceText | None = Field(None, description=TOLERANCE_HELP)
    gross_error_factor: GrossErrorFactor | None = None
    # Reaction to alarms: class (critical stops the station), reaction plan, Cpk target (default 1.33).
    characteristic_class: Literal["critical", "major", "minor"] | None = None
    reaction_plan: str | None = Field(None, max_length=10000)
    cpk_target: float | None = Field(None, gt=0, le=100)


class SubtaskResponse(OrmOutput):
    """A subtask as it is in its version; copies share characteristic_id."""

    id: int
    task_id: int
    characteristic_id: int
    marker_number: int
    description: str | None
    measurement_type: str
    nominal: float | None
    utl: float | None
    uwl: float | None
    lwl: float | None
    ltl: float | None
    unit: str
    label: str = Field(description="Balloon label, unique within the version (1..N in task and balloon order)")
    tolerance_text: str | None = Field(None, description="The tolerance as entered (e.g. '25 h7'), if any")
    gross_error_factor: float | None = None
    characteristic_class: str | None = None
    reaction_plan: str | None = None
    cpk_target: float | None = None


# --- Tasks -------------------------------------------------------------------------------------


class TaskCreate(StrictInput):
    """A task appended to the current version, with its subtasks."""

    title: Name
    directive: LongText | None = None
    description: LongText | None = None
    file_type: FileType | None = None
    file_id: FileId | None = Field(None, description="An uploaded file (its id)")
    file_path: FilePath | None = Field(None, description="An uploaded file (its path), instead of file_id")
    annotations_json: Annotations | None = None
    subtasks: list[SubtaskCreate] = Field(default_factory=list, max_length=500)


class TaskUpdate(StrictInput):
    """Changes to a task (not its subtasks); null clears an optional field."""

    title: Name = None  # type: ignore[assignment]
    directive: LongText | None = None
    description: LongText | None = None
    file_type: FileType | None = None
    file_id: FileId | None = None
    file_path: FilePath | None = None
    annotations_json: Annotations | None = None


class BalloonResponse(BaseModel):
    """A balloon on the drawing (page: of a PDF drawing, 1 for images)."""

    marker_number: int
    x: float
    y: float
    page: int = Field(1, description="Page of a PDF drawing; omitted for page 1")

    @model_serializer(mode="wrap")
    def _first_page_implied(self, handler):
        return _without_first_page(handler(self))


class TaskResponse(OrmOutput):
    """A task with its subtasks by marker number; file_path is servable at GET /api/files/{file_path}."""

    id: int
    version_id: int
    order_index: int
    title: str
    directive: str | None
    description: str | None
    file_type: str | None
    file_id: int | None
    file_path: str | None
    annotations_json: list[BalloonResponse] | None
    subtasks: list[SubtaskResponse]
    file_pages: list[str] = Field(description="A PDF drawing's pages as PNG images (GET /api/files/{path}); [] otherwise")


class ReorderRequest(StrictInput):
    """Every task id of the current version, in the new order."""

    # The schema states what a valid list is; the service answers a violation with the reference's 400.
    task_ids: list[TaskId] = Field(max_length=1_000, json_schema_extra={"minItems": 1, "uniqueItems": True})


# --- Versions and recipes ----------------------------------------------------------------------

MEANINGS = ("Authored", "Reviewed", "Approved")


class Signature(BaseModel):
    """Who signed a release, when (UTC) and what the signature means."""

    name: str
    user_id: int | None
    signed_at: datetime
    meaning: str


class ReleaseRequest(StrictInput):
    """Release a draft: what changed and why, and the signer's password and meaning."""

    change_notes: Annotated[str, StringConstraints(min_length=1, max_length=2_000, pattern=NO_NUL)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1_000, pattern=NO_NUL)]
    meaning: Literal[MEANINGS] = Field(description="What the signature means")  # type: ignore[valid-type]


class VersionResponse(OrmOutput):
    """A version with its tasks in order."""

    id: int
    recipe_id: int
    version_number: int
    change_notes: str | None
    created_at: datetime
    created_by: int | None
    tasks: list[TaskResponse]
    status: Literal["draft", "released"] = Field(description="A draft is prepared beside the current version")
    change_summary: str | None = Field(description="Automatic summary of what changed since the version before")
    signature: Signature | None = Field(description="The electronic signature of the release, if signed")


class VersionListItem(VersionResponse):
    """A version in the recipe's version list, with how often it was measured."""

    measurement_count: int = Field(description="Measurements taken on this version, corrections included "
                                               "(as GET .../versions/{n}/measurement-count answers)")


class RecipeResponse(OrmOutput):
    """A recipe with its current version."""

    id: int
    code: str
    name: str
    description: str | None
    active: bool
    created_at: datetime
    updated_at: datetime
    created_by: int | None
    current_version: VersionResponse | None


class MeasurementCount(BaseModel):
    """How many measurements a version has (any at all freezes it)."""

    recipe_id: int
    version_number: int
    measurement_count: int

