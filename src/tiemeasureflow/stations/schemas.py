"""Station payloads and responses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from ..kit.schemas import OrmOutput, StrictInput

# Codes travel in URLs (/stations/by-code/{code}/recipes) and in STATION_CODE: no spaces or slashes.
CODE_PATTERN = r"^[A-Za-z0-9._-]+$"
# Ids are 32-bit integers: larger ones cannot exist (and SQLite cannot even bind some of them).
MAX_ID = 2**31 - 1


def _storable(value: str) -> str:
    # Neither database stores NUL or unpaired surrogates: refuse them here rather than fail at the INSERT.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def _without_default(schema: dict[str, Any]) -> None:
    # Optional on update but never null: the "default": null pydantic would advertise is not a value to send.
    schema.pop("default", None)


def _integral(value: Any) -> Any:
    # JSON has one number type: 2.0 is the integer 2 (booleans and strings stay refused).
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Name = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(_storable)]
Location = Annotated[str, Field(max_length=255), AfterValidator(_storable)]
Notes = Annotated[str, Field(max_length=10_000), AfterValidator(_storable)]


class StationResponse(OrmOutput):
    """A station as the API shows it."""

    id: int
    code: str
    name: str
    location: str | None
    notes: str | None
    active: bool
    created_by: int | None
    created_at: datetime


class StationCreate(StrictInput):
    """A new station."""

    code: str = Field(min_length=1, max_length=100, pattern=CODE_PATTERN, examples=["ST-LINEA-A"])
    name: Name
    location: Location | None = None
    notes: Notes | None = None
    active: bool = True


class StationUpdate(StrictInput):
    """Changes to a station; the code is immutable and not part of this schema.

    name and active take values only (null is refused); location and notes may be cleared with null.
    """

    name: Name = Field(None, json_schema_extra=_without_default)
    location: Location | None = None
    notes: Notes | None = None
    active: bool = Field(None, json_schema_extra=_without_default)

    @model_validator(mode="before")
    @classmethod
    def _code_is_immutable(cls, data: Any) -> Any:
        # Said plainly, rather than as a generic "extra field" error.
        if isinstance(data, dict) and "code" in data:
            raise PydanticCustomError("code_immutable", "Station codes are immutable and cannot be changed")
        return data


class AssignmentCreate(StrictInput):
    """A recipe to offer at a station."""

    recipe_id: Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_integral)]


class AssignmentResponse(OrmOutput):
    """A station-recipe assignment."""

    id: int
    station_id: int
    recipe_id: int
    assigned_by: int | None
    assigned_at: datetime


class AssignedRecipe(OrmOutput):
    """The projection of an assigned recipe shown to admins and stations."""

    id: int
    code: str
    name: str
    active: bool


class StationListItem(StationResponse):
    """A station in the list, with the recipes assigned to it."""

    assigned_recipes: list[AssignedRecipe] = Field(
        description="The recipes assigned to the station, active or not, by code "
                    "(as GET /api/stations/{station_id}/recipes answers)")


class ErrorBody(BaseModel):
    """The error shape of every failure."""

    detail: str
