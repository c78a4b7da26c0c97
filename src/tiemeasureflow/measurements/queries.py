"""Reading measurements as plain rows (no ORM objects): filters, pages, history, the sync cursor."""

from __future__ import annotations

import math
import uuid
from dataclasses import replace
from datetime import UTC, datetime

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, Select, String, case, func, literal, select, type_coerce
from sqlalchemy.orm import Session, aliased

from ..kit import watermark
from ..kit.db import get_or_404
from ..kit.errors import NotFound
from ..models import Measurement, RecipeVersion, Run, Shift, Station, User
from ..models.measurement import CsvSyncCursor
from ..settings.service import get_setting
from ..statistics.shift_window import condition as shift_condition
from ..statistics.shift_window import window
from .csv_format import CSV_COLUMNS, FORMULA_PREFIXES, TEXT_COLUMNS
from .schemas import MeasurementFilters, MeasurementResponse

# The columns every measurement row carries, in the order of MeasurementResponse.
COLUMNS = (
    Measurement.id, Measurement.subtask_id, Measurement.version_id, Measurement.measured_by, Measurement.value,
    Measurement.pass_fail, Measurement.deviation, Measurement.lot_number, Measurement.serial_number,
    Measurement.input_method, Measurement.measured_at, Measurement.run_id, Measurement.characteristic_id,
    Measurement.supersedes_id, Measurement.correction_reason, Measurement.gross_error_confirmed,
    Measurement.gauge_code,
)


def sync_cursor(session: Session) -> watermark.Position:
    """The (xid, id) up to which measurements are in the CSV sync file ((0, 0) when nothing is synced)."""
    row = session.execute(select(CsvSyncCursor.last_xid, CsvSyncCursor.last_id).where(CsvSyncCursor.id == 1)).first()
    return (row.last_xid, row.last_id) if row else watermark.START


def synced(row, cursor: watermark.Position) -> bool:
    """Whether a row (or ORM object) is in the CSV sync file; a value not committed yet is not."""
    xid = row.__dict__.get("xid") if isinstance(row, Measurement) else getattr(row, "xid", None)
    return watermark.covers(cursor, xid, row.id)


def as_utc(moment: datetime | None) -> datetime | None:
    """A query datetime as aware UTC; naive values are taken to be UTC already."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def with_shift(session: Session, filters: MeasurementFilters) -> MeasurementFilters:
    """The filters with shift_id resolved to its local window in the plant time zone (404 when unknown)."""
    if filters.shift_id is None:
        return filters
    shift = get_or_404(session, Shift, filters.shift_id, "Shift not found")
    first, last = session.execute(select(func.min(Measurement.measured_at), func.max(Measurement.measured_at))).one()
    zone = get_setting(session, "plant_timezone") or "UTC"
    local = window(shift.id, shift.starts, shift.ends, zone, first, last)
    return replace(filters, shift=shift_condition(Measurement.measured_at, session.get_bind().dialect.name, local))


def select_measurements(filters: MeasurementFilters) -> Select:
    """Rows (COLUMNS + superseded_by_id) matching the filters; current values only unless asked."""
    later = aliased(Measurement, name="later")
    stmt = select(*COLUMNS, later.id.label("superseded_by_id"), Measurement.xid).outerjoin(later, later.supersedes_id == Measurement.id)
    if not filters.include_superseded:
        stmt = stmt.where(later.id.is_(None))
    if filters.recipe_id is not None:
        versions = select(RecipeVersion.id).where(RecipeVersion.recipe_id == filters.recipe_id)
        stmt = stmt.where(Measurement.version_id.in_(versions))
    for column, value in (
        (Measurement.version_id, filters.version_id), (Measurement.subtask_id, filters.subtask_id),
        (Measurement.characteristic_id, filters.characteristic_id), (Measurement.run_id, filters.run_id),
        (Measurement.measured_by, filters.measured_by), (Measurement.lot_number, filters.lot_number),
        (Measurement.serial_number, filters.serial_number), (Measurement.pass_fail, filters.pass_fail),
        (Measurement.gauge_code, filters.gauge_code),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if filters.station_code is not None:
        stations = select(Run.id).join(Station, Station.id == Run.station_id).where(Station.code == filters.station_code)
        stmt = stmt.where(Measurement.run_id.in_(stations))
    if filters.shift is not None:
        stmt = stmt.where(filters.shift)
    if filters.date_from is not None:
        stmt = stmt.where(Measurement.measured_at >= as_utc(filters.date_from))
    if filters.date_to is not None:
        stmt = stmt.where(Measurement.measured_at <= as_utc(filters.date_to))
    return stmt


def neutralised(column) -> ColumnElement:
    """The text with an apostrophe before a leading formula character (as csv_format.neutralise)."""
    return case((func.substr(column, 1, 1).in_(FORMULA_PREFIXES), literal("'", String) + column), else_=column)


def iso_time(dialect: str) -> ColumnElement:
    """measured_at as csv_format.format_time writes it: ISO 8601 with Z, microseconds only when not zero."""
    if dialect == "postgresql":
        text = func.to_char(Measurement.measured_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    else:
        # SQLite holds the text SQLAlchemy stores: "YYYY-MM-DD HH:MM:SS.ffffff" (naive UTC).
        text = func.replace(type_coerce(Measurement.measured_at, String) + "Z", " ", "T")
    return func.replace(text, ".000000Z", "Z", type_=String)


def select_csv_cells(filters: MeasurementFilters, synced_up_to: watermark.Position, dialect: str) -> Select:
    """The export's rows in id order with the CSV's cells made by the database (numbers left as numbers)."""
    cells = {c.key: c for c in COLUMNS}
    for column in TEXT_COLUMNS:
        cells[column] = neutralised(cells[column])
    cells["measured_at"] = iso_time(dialect)
    cells["synced_to_csv"] = case((watermark.up_to(Measurement, synced_up_to), "true"), else_="false")
    stmt = select_measurements(filters).with_only_columns(*(cells[c] for c in CSV_COLUMNS))
    return stmt.order_by(Measurement.id)


def to_response(row, cursor: watermark.Position) -> MeasurementResponse:
    """One row (or ORM object) as the API shows it; synced_to_csv comes from the cursor."""
    values = {c.key: getattr(row, c.key) for c in COLUMNS}
    values["superseded_by_id"] = getattr(row, "superseded_by_id", None)
    values["synced_to_csv"] = synced(row, cursor)
    return MeasurementResponse(**values)


def fill_superseded(session: Session, items: list[MeasurementResponse]) -> list[MeasurementResponse]:
    """Set superseded_value and corrected_by on the items that replaced a value (two small queries)."""
    corrections = [m for m in items if m.supersedes_id is not None]
    if corrections:
        values = dict(session.execute(select(Measurement.id, Measurement.value)
                                      .where(Measurement.id.in_({m.supersedes_id for m in corrections}))).all())
        names = dict(session.execute(select(User.id, User.display_name)
                                     .where(User.id.in_({m.measured_by for m in corrections}))).all())
        for item in corrections:
            item.superseded_value = values.get(item.supersedes_id)
            item.corrected_by = names.get(item.measured_by)
    return items


def page_of_measurements(session: Session, filters: MeasurementFilters, page: int, per_page: int) -> dict:
    """One page, newest first, in the reference's envelope."""
    stmt = select_measurements(filters)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    newest_first = stmt.order_by(Measurement.measured_at.desc(), Measurement.id.desc())
    rows = session.execute(newest_first.limit(per_page).offset((page - 1) * per_page)).all()
    cursor = sync_cursor(session)
    return {
        "items": fill_superseded(session, [to_response(row, cursor) for row in rows]),
        "total": total, "page": page, "per_page": per_page, "pages": math.ceil(total / per_page),
    }


def run_measurements(session: Session, run_id: uuid.UUID, include_superseded: bool) -> list[MeasurementResponse]:
    """A run's measurements in the order they were taken."""
    stmt = select_measurements(MeasurementFilters(run_id=run_id, include_superseded=include_superseded))
    cursor = sync_cursor(session)
    return fill_superseded(session, [to_response(row, cursor) for row in session.execute(stmt.order_by(Measurement.id))])


def one_measurement(session: Session, measurement_id: int):
    """One measurement row with its superseded_by_id; 404 when unknown."""
    stmt = select_measurements(MeasurementFilters(include_superseded=True)).where(Measurement.id == measurement_id)
    row = session.execute(stmt).first()
    if row is None:
        raise NotFound("Measurement not found")
    return row


_RESPONSES = TypeAdapter(list[MeasurementResponse])


def fresh_responses(session: Session, rows) -> list[MeasurementResponse]:
    """Plain rows this transaction inserted, as API responses, validated in one call.

    None of them is in the CSV sync file (it follows committed rows) or superseded by a committed value yet.
    """
    return fill_superseded(session, _RESPONSES.validate_python(
        [{**vars(row), "superseded_by_id": None, "synced_to_csv": False} for row in rows]))


def responses(session: Session, rows) -> list[MeasurementResponse]:
    """Rows as API responses, with what each supersedes and what superseded it."""
    cursor = sync_cursor(session)
    return fill_superseded(session, [to_response(row, cursor) for row in rows])
