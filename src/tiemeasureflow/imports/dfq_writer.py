"""Writing measurements as an AQDEF (Q-DAS) DFQ file: part, characteristic and value K-fields.

Values are coded lines, `K0001/i value` followed by the fields of that value (K0004 time, K0006
batch/lot, K0008 operator, K0012 gauge, K0014 part id/serial), with `.` as decimal separator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DfqCharacteristic:
    """One characteristic (K2xxx/i)."""

    label: str
    description: str | None
    nominal: float | None
    ltl: float | None
    utl: float | None
    unit: str


@dataclass(frozen=True)
class DfqValue:
    """One value of characteristic `index` (1-based)."""

    index: int
    value: float
    measured_at: datetime
    lot: str | None
    operator: str | None
    gauge: str | None
    serial: str | None


def _clean(text: str) -> str:
    """A field's text on one line (AQDEF fields end at the line break)."""
    return " ".join(text.split())


def _number(value: float) -> str:
    return repr(float(value))


def document(part_number: str, part_name: str, characteristics: list[DfqCharacteristic],
             values: list[DfqValue]) -> bytes:
    """The DFQ file's bytes (UTF-8, CRLF line ends)."""
    lines = [f"K0100 {len(characteristics)}", f"K1001 {_clean(part_number)}", f"K1002 {_clean(part_name)}"]
    for i, c in enumerate(characteristics, start=1):
        lines += [f"K2001/{i} {_clean(c.label)}", f"K2002/{i} {_clean(c.description or c.label)}",
                  f"K2004/{i} 0"]  # a variable (measured) characteristic
        if c.nominal is not None:
            lines.append(f"K2101/{i} {_number(c.nominal)}")
        if c.ltl is not None:
            lines.append(f"K2110/{i} {_number(c.ltl)}")
        if c.utl is not None:
            lines.append(f"K2111/{i} {_number(c.utl)}")
        lines.append(f"K2142/{i} {_clean(c.unit)}")
    for v in values:
        i = v.index
        lines += [f"K0001/{i} {_number(v.value)}", f"K0004/{i} {v.measured_at:%d.%m.%Y/%H:%M:%S}"]
        for key, text in (("K0006", v.lot), ("K0008", v.operator), ("K0012", v.gauge), ("K0014", v.serial)):
            if text:
                lines.append(f"{key}/{i} {_clean(text)}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
