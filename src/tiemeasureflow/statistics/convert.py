"""numpy results to JSON-safe Python values: NaN and infinities become None."""

from __future__ import annotations

import math

import numpy as np


def finite(value) -> float | None:
    """A plain float, or None for None, NaN and infinities."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def finite_list(array) -> list[float | None]:
    """Every element through `finite`."""
    return [finite(v) for v in np.asarray(array, dtype=float)]
