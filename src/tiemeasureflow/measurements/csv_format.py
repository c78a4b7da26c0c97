"""Measurement rows as CSV cells: the reference's columns, exact numbers, neutralised text."""

from __future__ import annotations

import csv
import io
from datetime import datetime

# The reference's CSV columns, in its order.
CSV_COLUMNS = (
    "id", "subtask_id", "version_id", "measured_by", "value", "pass_fail", "deviation",
    "lot_number", "serial_number", "input_method", "measured_at", "synced_to_csv",
)
# A spreadsheet reads a cell starting with one of these as a formula (or strips it).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = frozenset({"pass_fail", "lot_number", "serial_number", "input_method"})


def neutralise(text: str | None) -> str:
    """Text safe to open in a spreadsheet: a leading formula character gets an apostrophe before it."""
    if text is None:
        return ""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def format_number(value: float | int | None, decimal: str) -> str:
    """A number as text that reads back to the same double (shortest round-trip form)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    text = repr(float(value))
    return text.replace(".", decimal) if decimal != "." else text


# Where value and deviation sit in a row of CSV_COLUMNS.
FLOAT_POSITIONS = (CSV_COLUMNS.index("value"), CSV_COLUMNS.index("deviation"))


def decimal_columns(rows: list[tuple], decimal: str) -> list[tuple]:
    """Rows of CSV cells with value and deviation written with another decimal separator."""
    columns = list(zip(*rows, strict=True))
    for position in FLOAT_POSITIONS:
        columns[position] = [None if v is None else repr(v).replace(".", decimal) for v in columns[position]]
    return list(zip(*columns, strict=True))


def format_time(moment: datetime) -> str:
    """UTC ISO 8601 with Z."""
    return moment.isoformat().replace("+00:00", "Z")


def csv_cells(row, synced: bool, decimal: str, one_line: bool = False) -> list[str]:
    """One measurement row as the CSV cells of CSV_COLUMNS."""
    cells = []
    for column in CSV_COLUMNS:
        if column == "synced_to_csv":
            cells.append("true" if synced else "false")
        elif column == "measured_at":
            cells.append(format_time(row.measured_at))
        elif column in TEXT_COLUMNS:
            text = neutralise(getattr(row, column))
            # The sync file keeps one record per line so a torn last line can be found and cut.
            cells.append(text.replace("\r", " ").replace("\n", " ") if one_line else text)
        else:
            cells.append(format_number(getattr(row, column), decimal))
    return cells


class CsvEncoder:
    """Turns rows of cells into bytes with one delimiter, quoting only where needed."""

    def __init__(self, delimiter: str):
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter, lineterminator="\r\n")

    def encode(self, rows: list[list[str]]) -> bytes:
        """The rows as UTF-8 bytes."""
        self._writer.writerows(rows)
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text.encode("utf-8")
