"""CSV and XLSX exports (both streamed) of the filtered measurements, in id order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..kit.db import unit_of_work
from ..models import Measurement, Recipe, RecipeVersion, Subtask, Task, User
from ..settings.service import get_setting
from . import readable
from .csv_format import CSV_COLUMNS, CsvEncoder, decimal_columns
from .queries import select_csv_cells, sync_cursor
from .readable import READABLE_COLUMNS, plant_zone, readable_rows, select_readable
from .schemas import MeasurementFilters
from .xlsx_cells import header_row, readable_xml, select_xlsx_cells, xml_rows
from .xlsx_stream import stream_xlsx, text_cell, value_cell

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


def _partitions(session: Session, stmt):
    """The statement's rows in slices of ROWS_PER_FETCH (a server-side cursor on PostgreSQL)."""
    streamed = stmt.execution_options(stream_results=True, yield_per=ROWS_PER_FETCH)
    return session.connection().execute(streamed).partitions()


def iter_csv(factory: sessionmaker[Session], filters: MeasurementFilters, bom: bool,
             layout: str = "reference") -> Iterator[bytes]:
    """The CSV export as chunks of bytes; memory stays flat whatever the row count."""
    with unit_of_work(factory, write=False) as session:
        delimiter, decimal = csv_format(session)
        encoder = CsvEncoder(delimiter)
        if layout == "readable":
            columns = READABLE_COLUMNS
            slices = (readable.csv_cells(rows, decimal)
                      for rows in readable_rows(_partitions(session, select_readable(filters)), plant_zone(session)))
        else:
            columns = CSV_COLUMNS
            stmt = select_csv_cells(filters, sync_cursor(session), session.get_bind().dialect.name)
            # Numbers stay numbers: csv.writer writes ints and floats in their shortest exact form itself.
            slices = (rows if decimal == "." else decimal_columns(rows, decimal) for rows in _partitions(session, stmt))
        header = encoder.encode([list(columns)])
        yield (BOM + header) if bom else header
        pending, size = [], 0
        for rows in slices:
            pending.append(encoder.encode(rows))
            size += len(pending[-1])
            if size >= CHUNK_BYTES:
                yield b"".join(pending)
                pending, size = [], 0
        if pending:
            yield b"".join(pending)


def iter_xlsx(factory: sessionmaker[Session], filters: MeasurementFilters,
              layout: str = "reference") -> Iterator[bytes]:
    """The same rows and columns as the CSV as an XLSX workbook, streamed as it is read."""
    with unit_of_work(factory, write=False) as session:
        if layout == "readable":
            # One sheet: each row carries its superseded value and the correction's reason itself.
            slices = readable_rows(_partitions(session, select_readable(filters)), plant_zone(session))
            yield from stream_xlsx([("measurements", readable_xml(READABLE_COLUMNS, slices))])
            return
        corrections: list[int] = []

        def rows() -> Iterator[str]:
            yield header_row(CSV_COLUMNS)
            stmt = select_xlsx_cells(filters, sync_cursor(session), session.get_bind().dialect.name)
            yield from xml_rows(_partitions(session, stmt), corrections)

        yield from stream_xlsx([("measurements", rows()), ("corrections", correction_rows(session, corrections))])


LAYOUTS = ("reference", "readable")
CORRECTION_COLUMNS = ("id", "supersedes_id", "superseded_value", "corrected_by", "correction_reason")


def correction_rows(session: Session, replaced: list[int]) -> Iterator[str]:
    """The corrections sheet: each exported value that replaced another, with the replaced value, who and why."""
    yield header_row(CORRECTION_COLUMNS)
    for start in range(0, len(replaced), ROWS_PER_FETCH):
        ids = replaced[start:start + ROWS_PER_FETCH]
        # The unique index on supersedes_id finds the one value that replaced each.
        part = sorted(session.execute(select(Measurement.id, Measurement.supersedes_id, Measurement.measured_by,
                                             Measurement.correction_reason)
                                      .where(Measurement.supersedes_id.in_(ids))).all())
        values = dict(session.execute(select(Measurement.id, Measurement.value)
                                      .where(Measurement.id.in_(ids))).all())
        names = dict(session.execute(select(User.id, User.display_name)
                                     .where(User.id.in_({c[2] for c in part if c[2] is not None}))).all())
        for new_id, old_id, who, why in part:
            name = names.get(who)
            yield ("<row>" + value_cell(new_id) + value_cell(old_id) + value_cell(values.get(old_id))
                   + (text_cell(name) if name is not None else value_cell(None))
                   + (text_cell(why) if why is not None else value_cell(None)) + "</row>")
