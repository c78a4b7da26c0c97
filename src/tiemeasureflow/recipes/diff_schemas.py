"""The version diff's response: characteristics, tasks, drawings and balloons that changed."""

from __future__ import annotations

from pydantic import BaseModel

# --- Version diff ------------------------------------------------------------------------------


class FieldChange(BaseModel):
    """One field's old and new value (limits as numbers)."""

    field: str
    old: float | int | str | None
    new: float | int | str | None


class DiffCharacteristic(BaseModel):
    """A characteristic as it is in one of the compared versions."""

    characteristic_id: int
    label: str | None
    task: str
    marker_number: int
    description: str | None
    measurement_type: str
    unit: str
    nominal: float | None
    ltl: float | None
    lwl: float | None
    uwl: float | None
    utl: float | None
    tolerance_text: str | None


class ChangedCharacteristic(DiffCharacteristic):
    """A characteristic in the newer version with what changed."""

    old_label: str | None
    changes: list[FieldChange]


class CharacteristicDiff(BaseModel):
    """Characteristics added, removed and changed."""

    added: list[DiffCharacteristic]
    removed: list[DiffCharacteristic]
    changed: list[ChangedCharacteristic]


class BalloonPosition(BaseModel):
    """Where a balloon sits."""

    x: float
    y: float
    page: int


class MovedBalloon(BaseModel):
    """A balloon that moved."""

    marker_number: int
    old: BalloonPosition
    new: BalloonPosition


class BalloonDiff(BaseModel):
    """Balloons placed, removed and moved on a task's drawing."""

    placed: list[int]
    removed: list[int]
    moved: list[MovedBalloon]


class DrawingChange(BaseModel):
    """A task's drawing replaced (file paths)."""

    old: str | None
    new: str | None


class ChangedTask(BaseModel):
    """A task present in both versions, with its changes."""

    title: str
    old_title: str
    changes: list[FieldChange]
    drawing: DrawingChange | None
    balloons: BalloonDiff


class TaskDiff(BaseModel):
    """Tasks added, removed (titles) and changed."""

    added: list[str]
    removed: list[str]
    changed: list[ChangedTask]


class VersionDiff(BaseModel):
    """What changed from one version to another, and the same as plain lines."""

    recipe_id: int
    from_version: int
    to_version: int
    recipe: list[FieldChange]
    characteristics: CharacteristicDiff
    tasks: TaskDiff
    summary: list[str]
