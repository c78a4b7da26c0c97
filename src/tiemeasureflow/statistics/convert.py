"""numpy results to JSON-safe Python values: NaN and infinities become None."""

from __future__ import annotations

import math
from typing import SupportsFloat

import numpy as np
import numpy.typing as npt


def finite(value: SupportsFloat | None) -> float | None:
    """A plain float, or None for None, NaN and infinities."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def finite_list(array: npt.ArrayLike) -> list[float | None]:
    """Every element through `finite`."""
    return [finite(v) for v in np.asarray(array, dtype=float)]


def finite_floats(array: npt.ArrayLike) -> list[float]:
    """Every element as a plain float, for arrays that hold finite numbers only (else a ValueError)."""
    numbers = [float(v) for v in np.asarray(array, dtype=float)]
    if not all(math.isfinite(v) for v in numbers):
        raise ValueError("a list of finite numbers holds NaN or an infinity")
    return numbers
