"""The readable export layout: names instead of ids, limits beside the value, local and UTC time.

One query joins each value to its recipe, version, characteristic, operator and station; the
deviation is rounded to the decimals its inputs were written with (value and nominal), so
25.01 - 25 reads 0.01 rather than the double 0.00999999999999801.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from ..models import Measurement, Recipe, RecipeVersion, Run, Station, Subtask, Task, User
from ..settings.service import get_setting
from .csv_format import FORMULA_PREFIXES, format_time
from .queries import select_measurements
from .schemas import MeasurementFilters, MeasurementListItem, MeasurementResponse

READABLE_COLUMNS = (
    "id", "recipe_code", "recipe_name", "version_number", "balloon", "characteristic", "unit", "nominal",
    "lower_limit", "upper_limit", "value", "deviation", "verdict", "operator", "station_code", "gauge_code",
    "lot_number", "serial_number", "measured_at_local", "measured_at_utc", "superseded_value", "correction_reason",
)
# Positions of the cells that hold numbers (written with the configured decimal separator in a CSV).
FLOAT_COLUMNS = frozenset({"nominal", "lower_limit", "upper_limit", "value", "deviation", "superseded_value"})
INT_COLUMNS = frozenset({"id", "version_number"})
# A deviation keeps at most this many decimals (a nanometre in millimetres).
MAX_DECIMALS = 6


def with_names(stmt: Select) -> Select:
    """A selection of measurements joined to the plan, the operator and the station (outer where optional)."""
    m = Measurement
    return (stmt.join_from(m, Subtask, Subtask.id == m.subtask_id).join(Task, Task.id == Subtask.task_id)
            .join(RecipeVersion, RecipeVersion.id == m.version_id).join(Recipe, Recipe.id == RecipeVersion.recipe_id)
            .outerjoin(User, User.id == m.measured_by).outerjoin(Run, Run.id == m.run_id)
            .outerjoin(Station, Station.id == Run.station_id))


def select_readable(filters: MeasurementFilters) -> Select:
    """The readable layout's rows (raw values, in READABLE_COLUMNS order but one time) in id order."""
    m, earlier = Measurement, aliased(Measurement, name="earlier")
    stmt = select_measurements(filters).with_only_columns(
        m.id, Recipe.code, Recipe.name, RecipeVersion.version_number, Subtask.label,
        func.coalesce(Subtask.description, Task.title), Subtask.unit, Subtask.nominal, Subtask.ltl, Subtask.utl,
        m.value, m.deviation, m.pass_fail, User.display_name, Station.code, m.gauge_code, m.lot_number,
        m.serial_number, m.measured_at, earlier.value, m.correction_reason,
    )
    return with_names(stmt).outerjoin(earlier, earlier.id == m.supersedes_id).order_by(m.id)


def with_names_of(session: Session, items: list[MeasurementResponse]) -> list[MeasurementListItem]:
    """Listed measurements with recipe, version, balloon, characteristic, operator and station names (one query)."""
    m = Measurement
    stmt = with_names(select(m.id, Recipe.code, RecipeVersion.version_number, Subtask.label,
                             func.coalesce(Subtask.description, Task.title), Subtask.unit, User.display_name,
                             Station.code).select_from(m)).where(m.id.in_([i.id for i in items]))
    names = {row[0]: row[1:] for row in session.execute(stmt)} if items else {}
    keys = ("recipe_code", "version_number", "label", "characteristic", "unit", "operator", "station_code")
    return [MeasurementListItem(**item.model_dump(), **dict(zip(keys, names.get(item.id, ()), strict=False)))
            for item in items]


@lru_cache(maxsize=4096)
def decimals(number: float) -> int:
    """Decimal places of a double's shortest text form (25.01 -> 2, 1e-07 -> 7, 25.0 -> 0)."""
    exponent = Decimal(repr(number)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def rounded_deviation(deviation: float | None, value: float, nominal: float | None) -> float | None:
    """The deviation to the decimals of its value and nominal (at most MAX_DECIMALS)."""
    if deviation is None:
        return None
    places = min(MAX_DECIMALS, max(decimals(value), decimals(nominal) if nominal is not None else 0))
    return round(deviation, places) + 0.0  # + 0.0: no "-0.0" for a value on nominal


def plant_zone(session: Session) -> ZoneInfo:
    """The plant's time zone (setting plant_timezone)."""
    return ZoneInfo(get_setting(session, "plant_timezone") or "UTC")


def readable_rows(partitions, zone: ZoneInfo) -> Iterator[list[tuple]]:
    """Each slice of database rows as cells of READABLE_COLUMNS (numbers stay numbers)."""
    for rows in partitions:
        out = []
        for row in rows:
            (ident, code, name, version, label, characteristic, unit, nominal, ltl, utl, value, deviation,
             verdict, operator, station, gauge, lot, serial, measured_at, superseded, reason) = row
            out.append((ident, code, name, version, label, characteristic, unit, nominal, ltl, utl, value,
                        rounded_deviation(deviation, value, nominal), verdict, operator, station, gauge, lot,
                        serial, f"{measured_at.astimezone(zone):%Y-%m-%d %H:%M:%S}", format_time(measured_at), superseded,
                        reason))
        yield out


TEXT_POSITIONS = tuple(i for i, c in enumerate(READABLE_COLUMNS)
                       if c not in FLOAT_COLUMNS and c not in INT_COLUMNS and not c.startswith("measured_at"))
FLOAT_POSITIONS = tuple(READABLE_COLUMNS.index(c) for c in sorted(FLOAT_COLUMNS))


def csv_cells(rows: list[tuple], decimal: str) -> list[list]:
    """Readable rows as CSV cells: texts neutralised for spreadsheets, the decimal separator applied."""
    out = []
    for row in rows:
        cells = list(row)
        for i in TEXT_POSITIONS:
            text = cells[i]
            if text is not None and text.startswith(FORMULA_PREFIXES):
                cells[i] = "'" + text
        if decimal != ".":
            for i in FLOAT_POSITIONS:
                if cells[i] is not None:
                    cells[i] = repr(cells[i]).replace(".", decimal)
        out.append(cells)
    return out
