"""Reading an AQDEF (Q-DAS ASCII transfer format) DFQ file, or a DFD description followed by its DFX values.

Lines are `Knnnn value` (part fields) or `Knnnn/i value` (field of characteristic i). Values come
either as coded lines (`K0001/i value`, then `K0004/i`, `K0006/i` ... for that value) or as value
lines: one line per measured part, characteristics separated by 0x0F, each one's fields by DC4
(0x14) in the order value, attribute, date/time, events, batch, nest, operator, machine, process
parameter, gauge. Attribute 255 or 256 marks a value the machine declared invalid: it is skipped.

A file may describe several parts: each `K1001/n` block opens part n, and the characteristics that
follow it (numbered on through the file, K0100 counting them all) belong to it; `K1xxx/0` applies to
every part and `K2xxx/0` to every characteristic of the part it follows. Each part becomes its own
document (the first, with the others in `more`).
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import UTC, datetime

from ..recipes.catalog import canonical_unit
from .document import PLAN, RESULTS, CharacteristicSpec, Document, FormatError, PartResult, Reading

FIELD = re.compile(r"^K(\d{4})(?:/(\d+))?(?:\s(.*))?$")
VALUE_FIELDS = ("K0001", "K0002", "K0004", "K0005", "K0006", "K0007", "K0008", "K0010", "K0011", "K0012")
CHAR_SEPARATOR, FIELD_SEPARATOR = "\x0f", "\x14"
INVALID_ATTRIBUTES = {"255", "256"}
LINEAR = {"mm": "mm", "µm": "µm", "um": "µm", "in": "in", "inch": "in", "°": "°", "deg": "°", "grad": "°"}


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FormatError("the file is neither UTF-8 nor Windows-1252 text")


def _number(text: str, where: str) -> float:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise FormatError(f"{where}: {text.strip()[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise FormatError(f"{where}: {text.strip()[:40]!r} is not a finite number")
    return value


def _time(text: str) -> datetime | None:
    for pattern in ("%d.%m.%Y/%H:%M:%S", "%d.%m.%Y/%H:%M", "%d.%m.%y/%H:%M:%S", "%d.%m.%y/%H:%M"):
        try:
            return datetime.strptime(text.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


class _Values:
    """The values of one characteristic in file order, each with its extra K-fields."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []


def parse(content: bytes) -> Document:
    """The file's parts, characteristics and measured pieces; FormatError for anything that is not AQDEF."""
    text = _decode(content)
    part_fields: dict[int, dict[str, str]] = {}
    common: dict[str, str] = {}
    chars: dict[int, dict[str, str]] = {}
    part_of: dict[int, int] = {}
    char_defaults: dict[int, dict[str, str]] = {}
    values: dict[int, _Values] = {}
    value_lines: list[str] = []
    saw_field, current = False, 1
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if not line.startswith("K"):
            if CHAR_SEPARATOR in line or FIELD_SEPARATOR in line or _is_single_value(line):
                value_lines.append(line)
                continue
            raise FormatError(f"line {number} is neither a K-field nor a value line: {line[:40]!r}")
        found = FIELD.match(line)
        if found is None:
            raise FormatError(f"line {number} is not a K-field: {line[:40]!r}")
        saw_field = True
        key, index, value = "K" + found.group(1), found.group(2), (found.group(3) or "").strip()
        position = None if index is None else int(index)
        if key.startswith("K0"):
            if not position:
                continue  # a value field for every characteristic: not used by the import
            bucket = values.setdefault(position, _Values())
            if key == "K0001":
                bucket.rows.append({"K0001": value})
            elif bucket.rows:
                bucket.rows[-1][key] = value
        elif key.startswith("K1"):
            if position == 0:
                common.setdefault(key, value)
                continue
            current = position or current
            part_fields.setdefault(current, {}).setdefault(key, value)
        elif key.startswith("K2") and position == 0:
            char_defaults.setdefault(current, {})[key] = value
        elif key.startswith("K2") and position is not None:
            chars.setdefault(position, {})[key] = value
            part_of.setdefault(position, current)
    if not saw_field:
        raise FormatError("no K-field found: not an AQDEF file")
    if not chars:
        raise FormatError("the file describes no characteristic (no K2001/K2002 fields)")
    for line in value_lines:
        for i, cell in enumerate(line.split(CHAR_SEPARATOR), start=1):
            fields = cell.split(FIELD_SEPARATOR)
            if i in chars and fields and fields[0].strip():
                values.setdefault(i, _Values()).rows.append(
                    {k: f for k, f in zip(VALUE_FIELDS, fields, strict=False)})
    prefix = hashlib.sha256(content).hexdigest()[:8]  # serials of pieces without K0014
    documents = []
    for part in sorted(set(part_of.values())):
        indexes = sorted(i for i in chars if part_of[i] == part)
        specs = {i: _spec(i, position, char_defaults.get(part, {}) | chars[i])
                 for position, i in enumerate(indexes, start=1)}
        fields = common | part_fields.get(part, {})
        skipped: list[dict] = []
        pieces = _parts(specs, values, prefix if len(documents) == 0 else f"{prefix}-{part}", skipped)
        documents.append(Document(
            format="dfq", kind=RESULTS if pieces else PLAN, identity=None,
            part_number=fields.get("K1001") or fields.get("K1002"), part_name=fields.get("K1002") or fields.get("K1001"),
            characteristics=list(specs.values()), parts=pieces, skipped=skipped))
    first, *more = documents
    first.more = more
    return first


def _is_single_value(line: str) -> bool:
    try:
        float(line.strip().replace(",", "."))
    except ValueError:
        return False
    return True


def _spec(index: int, position: int, fields: dict[str, str]) -> CharacteristicSpec:
    """Characteristic `index` of the file, the `position`-th of its part (its label when K2001 is missing)."""
    label = (fields.get("K2001") or str(position))[:20]
    where = f"characteristic {index}"
    nominal = _number(fields["K2101"], f"{where} K2101") if fields.get("K2101") else None
    ltl = _number(fields["K2110"], f"{where} K2110") if fields.get("K2110") else None
    utl = _number(fields["K2111"], f"{where} K2111") if fields.get("K2111") else None
    if ltl is None and fields.get("K2112") and nominal is not None:
        ltl = nominal + _number(fields["K2112"], f"{where} K2112")
    if utl is None and fields.get("K2113") and nominal is not None:
        utl = nominal + _number(fields["K2113"], f"{where} K2113")
    unit = LINEAR.get(canonical_unit((fields.get("K2142") or "mm").strip()), "mm")
    return CharacteristicSpec(label=label, measurement_type="angle" if unit == "°" else "length", unit=unit,
                              nominal=nominal, ltl=ltl, utl=utl, description=fields.get("K2002") or label)


def _parts(specs: dict[int, CharacteristicSpec], values: dict[int, _Values], prefix: str,
           skipped: list[dict]) -> list[PartResult]:
    """The n-th value of every characteristic belongs to the n-th measured part."""
    count = max((len(v.rows) for i, v in values.items() if i in specs), default=0)
    parts = []
    for position in range(count):
        part = None
        for index, spec in specs.items():
            rows = values.get(index)
            if rows is None or position >= len(rows.rows):
                continue
            row = rows.rows[position]
            if (row.get("K0002") or "").strip() in INVALID_ATTRIBUTES:
                skipped.append({"what": f"value {position + 1} of {spec.label}",
                                "reason": "the file marks the value invalid (attribute 255/256)"})
                continue
            if part is None:
                serial = (row.get("K0014") or "").strip() or f"{prefix}-{position + 1}"
                part = PartResult(serial=serial[:255], lot=(row.get("K0006") or "").strip() or None,
                                  measured_at=_time(row.get("K0004") or ""), operator=row.get("K0008"),
                                  gauge=row.get("K0012"))
            part.readings.append(Reading(spec.label, _number(row["K0001"], f"value {position + 1} of {spec.label}"),
                                         None))
        if part is not None:
            parts.append(part)
    return parts

