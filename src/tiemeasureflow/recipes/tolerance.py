"""Tolerances as written on drawings -> nominal and tolerance limits (pure).

Accepted: "25 ±0.05" (or "25 +/-0.05"), "25 +0.02/-0.05", "max 0.05", "min 2", and ISO 286 classes
"25 h7", "25 H7", "Ø10 g6" (sizes in mm). Numbers may use a decimal comma.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from . import iso286

NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
SYMMETRIC = re.compile(rf"^({NUMBER})\s*(?:±|\+/-|\+-)\s*({NUMBER})$")
DEVIATIONS = re.compile(rf"^({NUMBER})(?:\s+|(?=[+-]))({NUMBER})\s*/\s*({NUMBER})$")
ONE_SIDED = re.compile(rf"^(max|min|≤|<=|≥|>=)\.?\s*({NUMBER})$", re.IGNORECASE)
FIT = re.compile(rf"^({NUMBER})\s*([A-Za-z]{{1,2}}\d{{1,2}})$")
UPPER_WORDS = ("max", "≤", "<=")


class ToleranceError(ValueError):
    """Text that is not a tolerance this module understands."""


def _dec(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ToleranceError(f"not a number: {text!r}") from None


def _limits(nominal: Decimal | None, low: Decimal | None, high: Decimal | None) -> dict[str, float | None]:
    as_float = (lambda d: float(d) if d is not None else None)
    return {"nominal": as_float(nominal), "ltl": as_float(low), "utl": as_float(high)}


def parse(text: str, unit: str = "mm") -> dict[str, float | None]:
    """{'nominal', 'ltl', 'utl'} of a tolerance as written; ToleranceError when not understood."""
    clean = text.strip().replace(",", ".").lstrip("Ø⌀∅ ").strip()
    if m := SYMMETRIC.match(clean):
        nominal, tol = _dec(m[1]), abs(_dec(m[2]))
        return _limits(nominal, nominal - tol, nominal + tol)
    if m := DEVIATIONS.match(clean):
        nominal, first, second = _dec(m[1]), _dec(m[2]), _dec(m[3])
        return _limits(nominal, nominal + min(first, second), nominal + max(first, second))
    if m := ONE_SIDED.match(clean):
        value = _dec(m[2])
        return _limits(None, None, value) if m[1].lower() in UPPER_WORDS else _limits(None, value, None)
    if m := FIT.match(clean):
        size = _dec(m[1])
        try:
            low, high = iso286.limits(float(size), m[2])
        except iso286.FitError as exc:
            raise ToleranceError(str(exc)) from None
        scale = {"mm": Decimal("0.001"), "µm": Decimal(1)}.get(unit)
        if scale is None:
            raise ToleranceError(f"ISO 286 classes need a size in mm, not {unit}")
        size_in_unit = size if unit == "mm" else size * 1000
        return _limits(size_in_unit, size_in_unit + Decimal(str(low)) * scale, size_in_unit + Decimal(str(high)) * scale)
    raise ToleranceError(f"{text!r} is not a tolerance such as '25 ±0.05', '25 +0.02/-0.05', 'max 0.05' or '25 h7'")
