"""The reference layout's XLSX rows composed by the database: SpreadsheetML text around the two doubles.

Integers, texts, times and flags become finished `<c>` cells in SQL (exact there on both
databases); only `value` and `deviation` come back as doubles, because SQLite's text form of a
REAL keeps 15 digits and the export keeps the exact double (Python's shortest round-trip form).
A row then costs one format operation in Python instead of a call per cell.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, func, literal

from ..kit import watermark
from ..models import Measurement
from .queries import iso_time, select_measurements
from .schemas import MeasurementFilters
from .xlsx_stream import text_cell, value_cell

EMPTY = "<c/>"
# Characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE), as the bytes they are in UTF-8: no
# byte of a longer character is below 0x80, so deleting these bytes from the encoded text drops exactly them.
ILLEGAL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def _text(value: str) -> ColumnElement:
    return literal(value, String)


def xml_text(expr, dialect: str) -> ColumnElement:
    """Text escaped for XML character data (&, <, >)."""
    position = func.strpos if dialect == "postgresql" else func.instr
    # Few texts hold one of the three: a search for them costs less than three copies of every text.
    plain = and_(*(position(expr, c) == 0 for c in "&<>"))
    escaped = func.replace(func.replace(func.replace(expr, "&", "&amp;"), "<", "&lt;"), ">", "&gt;", type_=String)
    return case((plain, expr), else_=escaped)


def number_cell(column) -> ColumnElement:
    """An integer column as a numeric cell (empty when null)."""
    return case((column.is_(None), _text(EMPTY)),
                else_=_text("<c><v>") + cast(column, String) + _text("</v></c>"))


def string_cell(expr, dialect: str) -> ColumnElement:
    """A text as an inline string cell (empty when null), so `=A1` stays text."""
    return case((expr.is_(None), _text(EMPTY)), else_=_text('<c t="inlineStr"><is><t xml:space="preserve">')
                + xml_text(expr, dialect) + _text("</t></is></c>"))


def select_xlsx_cells(filters: MeasurementFilters, synced_up_to: watermark.Position, dialect: str) -> Select:
    """(cells before value, value, cells between, deviation, cells after, supersedes_id) per row, in id order.

    Texts are not neutralised as in the CSV: an inline string cell is never evaluated.
    """
    m = Measurement
    # Keys and the judgment are never null and never need escaping: plain concatenation, no CASE.
    before = (_text("<row><c><v>") + cast(m.id, String) + _text("</v></c><c><v>") + cast(m.subtask_id, String)
              + _text("</v></c><c><v>") + cast(m.version_id, String) + _text("</v></c>") + number_cell(m.measured_by))
    between = _text('<c t="inlineStr"><is><t>') + m.pass_fail + _text("</t></is></c>")
    after = (string_cell(m.lot_number, dialect) + string_cell(m.serial_number, dialect)
             + string_cell(m.input_method, dialect)
             # Text, as in the CSV: an Excel date would keep only milliseconds.
             + _text('<c t="inlineStr"><is><t>') + iso_time(dialect) + _text("</t></is></c>")
             + case((watermark.up_to(m, synced_up_to), _text('<c t="b"><v>1</v></c></row>')),
                    else_=_text('<c t="b"><v>0</v></c></row>')))
    stmt = select_measurements(filters).with_only_columns(before, m.value, between, m.deviation, after, m.supersedes_id)
    return stmt.order_by(m.id)


def header_row(columns) -> str:
    """The header row of named columns."""
    return "<row>" + "".join(text_cell(c) for c in columns) + "</row>"


def xml_rows(partitions, corrections: list[int]) -> Iterator[bytes]:
    """Each slice of database rows as the UTF-8 bytes of its `<row>`s; ids of rows that correct another go to `corrections`."""
    for rows in partitions:
        parts = []
        for before, value, between, deviation, after, supersedes in rows:
            dev = EMPTY if deviation is None else f"<c><v>{deviation!r}</v></c>"
            parts.append(f"{before}<c><v>{value!r}</v></c>{between}{dev}{after}")
            if supersedes is not None:
                corrections.append(supersedes)
        # Characters XML cannot hold are dropped (as openpyxl does): one C pass over the slice's bytes.
        yield "".join(parts).encode().translate(None, ILLEGAL_BYTES)


def readable_xml(columns, slices) -> Iterator[str]:
    """A header and readable rows (readable.readable_rows) as `<row>`s; texts inline strings, numbers numbers."""
    yield header_row(columns)
    for rows in slices:
        parts = []
        for row in rows:
            cells = "".join(value_cell(v) if v is None or not isinstance(v, str) else text_cell(v) for v in row)
            parts.append(f"<row>{cells}</row>")
        yield "".join(parts)
