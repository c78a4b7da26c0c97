"""CSV (streamed) and XLSX (write-only) exports of the filtered measurements, in id order."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..db import unit_of_work
from ..models import Measurement, Recipe, RecipeVersion, Subtask, Task, User
from ..settings.service import get_setting
from .csv_format import CSV_COLUMNS, TEXT_COLUMNS, CsvEncoder, decimal_columns, format_time
from .query import select_csv_cells, select_measurements, sync_cursor
from .schemas import MeasurementFilters

# Exports read this many rows at a time (about 56 KiB of CSV text); the CSV is sent in chunks of at
# least CHUNK_BYTES: few round trips and thread hand-offs per megabyte, memory flat whatever the count.
ROWS_PER_FETCH = 500
CHUNK_BYTES = 128 * 1024
BOM = "\ufeff".encode()


def csv_format(session: Session) -> tuple[str, str]:
    """(delimiter, decimal separator) from the system settings."""
    return get_setting(session, "csv_delimiter") or ",", get_setting(session, "csv_decimal_separator") or "."


def export_filename(session: Session, filters: MeasurementFilters, extension: str) -> str:
    """measurements_<recipe code or all>_<YYYYMMDD>.<ext>, safe in a header."""
    recipe_id = filters.recipe_id
    if recipe_id is None and filters.version_id is not None:
        recipe_id = session.scalar(select(RecipeVersion.recipe_id).where(RecipeVersion.id == filters.version_id))
    if recipe_id is None and filters.subtask_id is not None:
        recipe_id = session.scalar(
            select(RecipeVersion.recipe_id).join(Task, Task.version_id == RecipeVersion.id)
            .join(Subtask, Subtask.task_id == Task.id).where(Subtask.id == filters.subtask_id)
        )
    code = session.scalar(select(Recipe.code).where(Recipe.id == recipe_id)) if recipe_id is not None else None
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", code or "all").strip("._") or "recipe"
    return f"measurements_{safe}_{datetime.now(UTC):%Y%m%d}.{extension}"


def _stream_rows(session: Session, filters: MeasurementFilters):
    """Matching rows in id order, fetched in slices (server-side cursor on PostgreSQL)."""
    stmt = select_measurements(filters).order_by(Measurement.id)
    return session.execute(stmt.execution_options(stream_results=True, yield_per=ROWS_PER_FETCH))


def iter_csv(factory: sessionmaker[Session], filters: MeasurementFilters, bom: bool) -> Iterator[bytes]:
    """The CSV export as chunks of bytes; memory stays flat whatever the row count."""
    with unit_of_work(factory, write=False) as session:
        delimiter, decimal = csv_format(session)
        stmt = select_csv_cells(filters, sync_cursor(session), session.get_bind().dialect.name)
        encoder = CsvEncoder(delimiter)
        header = encoder.encode([list(CSV_COLUMNS)])
        yield (BOM + header) if bom else header
        # Numbers stay numbers: csv.writer writes ints and floats in their shortest exact form itself.
        streamed = stmt.execution_options(stream_results=True, yield_per=ROWS_PER_FETCH)
        result = session.connection().execute(streamed)
        pending, size = [], 0
        for rows in result.partitions():
            pending.append(encoder.encode(rows if decimal == "." else decimal_columns(rows, decimal)))
            size += len(pending[-1])
            if size >= CHUNK_BYTES:
                yield b"".join(pending)
                pending, size = [], 0
        if pending:
            yield b"".join(pending)


def _xlsx_cell(sheet, column: str, value):
    cell = WriteOnlyCell(sheet, value=value)
    if (column in TEXT_COLUMNS or column == "measured_at") and value is not None:
        # Typed as text so a value like "=A1" is shown, never evaluated.
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    elif isinstance(value, float):
        # openpyxl writes floats with 16 significant digits; the shortest round-trip text keeps every bit.
        cell.value = repr(value)
        cell.data_type = "n"
    return cell


def xlsx_file(session: Session, filters: MeasurementFilters) -> Path:
    """A temporary XLSX file of the export; the caller deletes it once sent."""
    handle, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    try:
        write_xlsx(session, filters, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def write_xlsx(session: Session, filters: MeasurementFilters, path: Path) -> None:
    """The same rows and columns as the CSV into an XLSX file (write-only: flat memory)."""
    cursor = sync_cursor(session)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("measurements")
    sheet.append(list(CSV_COLUMNS))
    corrections = []
    for row in _stream_rows(session, filters):
        values = {c: getattr(row, c, None) for c in CSV_COLUMNS}
        # Text, as in the CSV: an Excel date would keep only milliseconds.
        values["measured_at"] = format_time(row.measured_at)
        values["synced_to_csv"] = row.id <= cursor
        sheet.append([_xlsx_cell(sheet, c, values[c]) for c in CSV_COLUMNS])
        if row.supersedes_id is not None:
            corrections.append((row.id, row.supersedes_id, row.measured_by, row.correction_reason))
    if corrections:
        _corrections_sheet(session, workbook, corrections)
    workbook.save(path)


CORRECTION_COLUMNS = ("id", "supersedes_id", "superseded_value", "corrected_by", "correction_reason")


def _corrections_sheet(session: Session, workbook: Workbook, corrections: list[tuple]) -> None:
    """A second sheet: each exported value that replaced another, with the replaced value, who and why."""
    values, names = {}, {}
    for start in range(0, len(corrections), ROWS_PER_FETCH):
        part = corrections[start:start + ROWS_PER_FETCH]
        values.update(session.execute(select(Measurement.id, Measurement.value)
                                      .where(Measurement.id.in_({c[1] for c in part}))).all())
        names.update(session.execute(select(User.id, User.display_name)
                                     .where(User.id.in_({c[2] for c in part if c[2] is not None}))).all())
    sheet = workbook.create_sheet("corrections")
    sheet.append(list(CORRECTION_COLUMNS))
    for new_id, old_id, who, why in corrections:
        sheet.append([new_id, old_id, _xlsx_cell(sheet, "value", values.get(old_id)),
                      _xlsx_cell(sheet, "lot_number", names.get(who)), _xlsx_cell(sheet, "lot_number", why)])
