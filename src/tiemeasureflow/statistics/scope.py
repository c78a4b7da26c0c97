"""The selection behind every statistics answer: filters checked against the database.

A subtask stands for its characteristic, so statistics span every version of it; `version_id`
narrows them to one version. Every query of one answer reads the measurements up to the same
highest id, so they agree even while values keep arriving (ids become visible in id order).

Values no stored row can hold (an id outside 1..2^31-1, a text with NUL) are answered without
asking the database: an unknown recipe, subtask, version or station is a 404, an impossible
operator, lot or serial selects nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.orm import Session, aliased

from ..kit.db import get_or_404
from ..kit.errors import NotFound, Unprocessable
from ..kit.schemas import ID_MAX
from ..models import Archive, Measurement, Recipe, RecipeVersion, Run, Setting, Shift, Station, Subtask, Task
from .shift_window import ShiftWindow, condition, window

SUBTASK_NOT_FOUND = "Subtask not found in this recipe"
VERSION_NOT_FOUND = "Version not found in this recipe"


@dataclass(frozen=True)
class StatisticsFilters:
    """The reference's filters plus the station (by id or code)."""

    recipe_id: int | None = None
    subtask_id: int | None = None
    version_id: int | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    operator_id: int | None = None
    lot_number: str | None = None
    serial_number: str | None = None
    station_id: int | None = None
    station_code: str | None = None
    shift_id: int | None = None
    gauge_code: str | None = None


@dataclass(frozen=True)
class Scope:
    """Checked filters: the recipe, the characteristic (when a subtask was named), the station."""

    filters: StatisticsFilters
    recipe_id: int | None
    recipe_code: str | None
    characteristic_id: int | None
    station_id: int | None
    max_id: int
    selects_nothing: bool = False
    shift: ShiftWindow | None = None
    dialect: str = "sqlite"
    # Grows with every archive and restore (rows left or came back below max_id): part of cache keys.
    generation: int = 0

    @property
    def shift_key(self) -> tuple[int, str, str, str] | None:
        """What the shift filter depends on (for caches)."""
        return self.shift.key if self.shift else None


@dataclass(frozen=True)
class CharacteristicScope(Scope):
    """A scope that names a characteristic: where the statistics of one characteristic start."""

    characteristic_id: int

    @property
    def subtask_id(self) -> int:
        """The subtask the filters named: it stands for the characteristic."""
        subtask_id = self.filters.subtask_id
        if subtask_id is None:  # a characteristic is only ever named through a subtask
            raise Unprocessable("subtask_id is required")
        return subtask_id


def as_utc(moment: datetime | None) -> datetime | None:
    """Naive datetimes are taken as UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def storable_id(value: int | None) -> bool:
    """None, or an id some row could have."""
    return value is None or 1 <= value <= ID_MAX


def storable_text(value: str | None) -> bool:
    """None, or a text a column could hold."""
    return value is None or "\x00" not in value


def resolve(session: Session, filters: StatisticsFilters, need_subtask: bool = False) -> Scope:
    """Check every id the filters name (404 when one is not there) and take the id snapshot."""
    for value, message in ((filters.recipe_id, "Recipe not found"), (filters.subtask_id, SUBTASK_NOT_FOUND),
                           (filters.version_id, VERSION_NOT_FOUND), (filters.station_id, "Station not found"),
                           (filters.shift_id, "Shift not found")):
        if not storable_id(value):
            raise NotFound(message)
    recipe = None
    if filters.recipe_id is not None:
        recipe = get_or_404(session, Recipe, filters.recipe_id, "Recipe not found")
    if filters.version_id is not None:
        version = session.get(RecipeVersion, filters.version_id)
        if version is None or (recipe is not None and version.recipe_id != recipe.id):
            raise NotFound(VERSION_NOT_FOUND)
    if need_subtask and filters.subtask_id is None:
        raise Unprocessable("subtask_id is required")
    characteristic_id = None
    if filters.subtask_id is not None:
        characteristic_id = _characteristic_of(session, filters.subtask_id, filters.recipe_id)
    date_from, date_to = as_utc(filters.date_from), as_utc(filters.date_to)
    if date_from is not None and date_to is not None and date_from > date_to:
        raise Unprocessable("date_from is after date_to")
    station_id = _station_id(session, filters.station_id, filters.station_code)
    max_id = session.scalar(select(func.max(Measurement.id))) or 0
    impossible = not storable_id(filters.operator_id) or not (storable_text(filters.lot_number)
                                                               and storable_text(filters.serial_number))
    kind: type[Scope] = Scope if characteristic_id is None else CharacteristicScope
    return kind(filters, recipe.id if recipe else None, recipe.code if recipe else None, characteristic_id,
                station_id, max_id, impossible, _shift(session, filters.shift_id), session.get_bind().dialect.name,
                session.scalar(select(func.count(Archive.id) + func.count(Archive.restored_at))) or 0)


def resolve_characteristic(session: Session, filters: StatisticsFilters) -> CharacteristicScope:
    """`resolve` for the statistics of one characteristic: a selection without `subtask_id` is refused (422)."""
    scope = resolve(session, filters, need_subtask=True)
    if not isinstance(scope, CharacteristicScope):  # resolve refused it already; this narrows the type
        raise Unprocessable("subtask_id is required")
    return scope


def _shift(session: Session, shift_id: int | None) -> ShiftWindow | None:
    """The shift's window over the stored measurement times (404 for an unknown shift)."""
    if shift_id is None:
        return None
    shift = get_or_404(session, Shift, shift_id, "Shift not found")
    first, last = session.execute(select(func.min(Measurement.measured_at), func.max(Measurement.measured_at))).one()
    zone = session.get(Setting, "plant_timezone")
    return window(shift.id, shift.starts, shift.ends, zone.value if zone and zone.value else "UTC", first, last)


def _characteristic_of(session: Session, subtask_id: int, recipe_id: int | None) -> int:
    row = session.execute(
        select(Subtask.characteristic_id, RecipeVersion.recipe_id)
        .join(Task, Task.id == Subtask.task_id).join(RecipeVersion, RecipeVersion.id == Task.version_id)
        .where(Subtask.id == subtask_id)
    ).first()
    if row is None or (recipe_id is not None and row.recipe_id != recipe_id):
        raise NotFound(SUBTASK_NOT_FOUND)
    characteristic_id: int = row.characteristic_id
    return characteristic_id


def _station_id(session: Session, station_id: int | None, code: str | None) -> int | None:
    if station_id is None and code is None:
        return None
    if not storable_text(code):
        raise NotFound("Station not found")
    stmt = select(Station.id)
    if station_id is not None:
        stmt = stmt.where(Station.id == station_id)
    if code is not None:
        stmt = stmt.where(Station.code == code)
    found = session.scalar(stmt)
    if found is None:
        raise NotFound("Station not found")
    return found


def superseded_ids(characteristic_id: int | None, up_to_id: int | None = None) -> Select[tuple[int]]:
    """The ids corrections superseded (one characteristic's, up to a snapshot's id), for `id NOT IN` terms."""
    later = aliased(Measurement)
    superseded = select(later.supersedes_id).where(later.supersedes_id.is_not(None))
    if up_to_id is not None:
        # "+ 0": compare without the primary key, so SQLite reads the few corrections from their own
        # index instead of walking the whole table by id.
        superseded = superseded.where(later.id + 0 <= up_to_id)
    if characteristic_id is not None:
        # A correction is a value of the same characteristic: only its corrections can leave a value
        # out (`ix_measurements_corrections`, which holds their ids), not every correction of the
        # database in each partition.
        superseded = superseded.where(later.characteristic_id == characteristic_id)
    # Read once: as a plain subquery PostgreSQL reads it again for each partition a scan visits.
    once = superseded.cte("superseded").prefix_with("MATERIALIZED", dialect="postgresql")
    return select(once.c.supersedes_id)


def measurement_conditions(scope: Scope) -> list[ColumnElement[bool]]:
    """WHERE terms selecting the current measurements of the scope, up to its id snapshot."""
    f = scope.filters
    if scope.selects_nothing:
        return [false()]
    terms = [Measurement.id <= scope.max_id, Measurement.id.not_in(superseded_ids(scope.characteristic_id, scope.max_id))]
    if scope.characteristic_id is not None:
        terms.append(Measurement.characteristic_id == scope.characteristic_id)
    elif scope.recipe_id is not None:
        versions = select(RecipeVersion.id).where(RecipeVersion.recipe_id == scope.recipe_id)
        terms.append(Measurement.version_id.in_(versions))
    if f.version_id is not None:
        terms.append(Measurement.version_id == f.version_id)
    if f.date_from is not None:
        terms.append(Measurement.measured_at >= as_utc(f.date_from))
    if f.date_to is not None:
        terms.append(Measurement.measured_at <= as_utc(f.date_to))
    if f.operator_id is not None:
        terms.append(Measurement.measured_by == f.operator_id)
    if f.lot_number is not None:
        terms.append(Measurement.lot_number == f.lot_number)
    if f.serial_number is not None:
        terms.append(Measurement.serial_number == f.serial_number)
    if scope.station_id is not None:
        terms.append(Measurement.run_id.in_(select(Run.id).where(Run.station_id == scope.station_id)))
    if scope.shift is not None:
        terms.append(condition(Measurement.measured_at, scope.dialect, scope.shift))
    if f.gauge_code is not None:
        terms.append(Measurement.gauge_code == f.gauge_code)
    return terms
