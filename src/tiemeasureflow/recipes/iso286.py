"""ISO 286-1/-2 limits of sizes up to 500 mm: standard tolerance grades and fundamental deviations (pure).

Values are in micrometres. A size range is "over the previous bound, up to and including this one".
Shafts are lower-case letters, holes upper-case; holes derive from shafts by the ISO 286-1 rules.
"""

from __future__ import annotations

from bisect import bisect_left

BOUNDS = (3, 6, 10, 18, 30, 50, 80, 120, 180, 250, 315, 400, 500)
# Finer ranges, where some fundamental deviations change inside a main range.
FINE_BOUNDS = (3, 6, 10, 18, 30, 40, 50, 65, 80, 100, 120, 140, 160, 180, 200, 225, 250, 280, 315, 355, 400, 450, 500)

IT: dict[int, tuple[float, ...]] = {
    1: (0.8, 1, 1, 1.2, 1.5, 1.5, 2, 2.5, 3.5, 4.5, 6, 7, 8),
    2: (1.2, 1.5, 1.5, 2, 2.5, 2.5, 3, 4, 5, 7, 8, 9, 10),
    3: (2, 2.5, 2.5, 3, 4, 4, 5, 6, 8, 10, 12, 13, 15),
    4: (3, 4, 4, 5, 6, 7, 8, 10, 12, 14, 16, 18, 20),
    5: (4, 5, 6, 8, 9, 11, 13, 15, 18, 20, 23, 25, 27),
    6: (6, 8, 9, 11, 13, 16, 19, 22, 25, 29, 32, 36, 40),
    7: (10, 12, 15, 18, 21, 25, 30, 35, 40, 46, 52, 57, 63),
    8: (14, 18, 22, 27, 33, 39, 46, 54, 63, 72, 81, 89, 97),
    9: (25, 30, 36, 43, 52, 62, 74, 87, 100, 115, 130, 140, 155),
    10: (40, 48, 58, 70, 84, 100, 120, 140, 160, 185, 210, 230, 250),
    11: (60, 75, 90, 110, 130, 160, 190, 220, 250, 290, 320, 360, 400),
}
# IT12..IT16 are ten times IT7..IT11 (the R5 series continues).
IT.update({grade: tuple(10 * v for v in IT[grade - 5]) for grade in range(12, 17)})

# Shafts a..h: upper deviation es (main ranges unless marked fine).
UPPER = {
    "d": (-20, -30, -40, -50, -65, -80, -100, -120, -145, -170, -190, -210, -230),
    "e": (-14, -20, -25, -32, -40, -50, -60, -72, -85, -100, -110, -125, -135),
    "f": (-6, -10, -13, -16, -20, -25, -30, -36, -43, -50, -56, -62, -68),
    "g": (-2, -4, -5, -6, -7, -9, -10, -12, -14, -15, -17, -18, -20),
    "h": (0,) * 13,
}
UPPER_FINE = {
    "c": (-60, -70, -80, -95, -110, -120, -130, -140, -150, -170, -180, -200, -210, -230, -240, -260, -280, -300,
          -330, -360, -400, -440, -480),
}
# Shafts k..s: lower deviation ei. k applies to grades 4..7; outside them it is 0.
LOWER = {
    "k": (0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5),
    "m": (2, 4, 6, 7, 8, 9, 11, 13, 15, 17, 20, 21, 23),
    "n": (4, 8, 10, 12, 15, 17, 20, 23, 27, 31, 34, 37, 40),
    "p": (6, 12, 15, 18, 22, 26, 32, 37, 43, 50, 56, 62, 68),
}
LOWER_FINE = {
    "r": (10, 15, 19, 23, 28, 34, 34, 41, 43, 51, 54, 63, 65, 68, 77, 80, 84, 94, 98, 108, 114, 126, 132),
    "s": (14, 19, 23, 28, 35, 43, 43, 53, 59, 71, 79, 92, 100, 108, 122, 130, 140, 158, 170, 190, 208, 232, 252),
}
SHAFTS = ("c", *UPPER, "js", *LOWER, *LOWER_FINE)
GRADES = tuple(IT)


class FitError(ValueError):
    """A designation these tables cannot give limits for."""


def _index(size: float, bounds: tuple[int, ...]) -> int:
    if not 0 < size <= bounds[-1]:
        raise FitError(f"ISO 286 sizes here go from above 0 up to {bounds[-1]} mm")
    return bisect_left(bounds, size)


def tolerance(grade: int, size: float) -> float:
    """The standard tolerance ITgrade for a nominal size (mm), in micrometres."""
    if grade not in IT:
        raise FitError(f"IT{grade} is not a supported grade (IT1..IT16)")
    return IT[grade][_index(size, BOUNDS)]


def _shaft_deviation(letter: str, grade: int, size: float) -> tuple[str, float]:
    """('es' or 'ei', value) of a shaft letter."""
    if letter in UPPER:
        return "es", UPPER[letter][_index(size, BOUNDS)]
    if letter in UPPER_FINE:
        return "es", UPPER_FINE[letter][_index(size, FINE_BOUNDS)]
    if letter == "k":
        return "ei", LOWER["k"][_index(size, BOUNDS)] if 4 <= grade <= 7 else 0
    if letter in LOWER:
        return "ei", LOWER[letter][_index(size, BOUNDS)]
    if letter in LOWER_FINE:
        return "ei", LOWER_FINE[letter][_index(size, FINE_BOUNDS)]
    raise FitError(f"tolerance position {letter!r} is not supported ({', '.join(SHAFTS)})")


def _js(grade: int, size: float) -> tuple[float, float]:
    it = tolerance(grade, size)
    half = (it - 1) / 2 if 7 <= grade <= 11 and it % 2 == 1 else it / 2
    return -half, half


def shaft_limits(letter: str, grade: int, size: float) -> tuple[float, float]:
    """(lower, upper) deviation of a shaft, micrometres."""
    if letter == "js":
        return _js(grade, size)
    it = tolerance(grade, size)
    kind, value = _shaft_deviation(letter, grade, size)
    return (value - it, value) if kind == "es" else (value, value + it)


def hole_limits(letter: str, grade: int, size: float) -> tuple[float, float]:
    """(lower, upper) deviation of a hole, micrometres (ISO 286-1 rules from the shaft deviations)."""
    shaft = letter.lower()
    if shaft == "js":
        return _js(grade, size)
    it = tolerance(grade, size)
    kind, value = _shaft_deviation("k" if shaft == "k" else shaft, 4 if shaft == "k" else grade, size)
    if kind == "es":  # A..H: EI = -es
        return -value, -value + it
    delta = 0.0 if size <= 3 or grade < 3 else it - tolerance(grade - 1, size)
    if shaft == "k":
        upper = -value + delta if grade <= 8 else 0.0
    elif shaft == "m":
        upper = -value + delta if grade <= 8 else -value
    elif shaft == "n":
        upper = -value + delta if grade <= 8 else (0.0 if size > 3 else -value)
    else:  # P and beyond
        upper = -value + delta if grade <= 7 else -value
    return upper - it, upper


def limits(size: float, designation: str) -> tuple[float, float]:
    """(lower, upper) deviation in micrometres of a designation such as 'h7', 'H7', 'js6'."""
    letters = designation.rstrip("0123456789")
    digits = designation[len(letters):]
    if not letters or not digits or len(digits) > 2:
        raise FitError(f"{designation!r} is not an ISO 286 tolerance class such as h7 or H7")
    grade = int(digits)
    if letters.islower():
        return shaft_limits(letters, grade, size)
    if letters.isupper():
        return hole_limits(letters.lower(), grade, size)
    raise FitError(f"{designation!r}: a shaft is written in lower case (h7), a hole in upper case (H7)")
