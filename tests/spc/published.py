"""Published SPC data sets and their figures (data/README: NIST, Montgomery & Runger, qcc, ASTM E2587).

Publishers compute with table-rounded constants (d2(2) = 1.128, D4(2) = 3.267, d2(4) = 2.059).
With `constants="table"` the figures must come out to every digit stated; with the exact
constants they must agree to within one unit of the 4th significant digit, which is how far
table rounding moves them.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

DATA = Path(__file__).parent / "data"


def column(name: str, field: str) -> list[float]:
    """One column of a data file as floats, in file order."""
    with open(DATA / name, newline="") as handle:
        return [float(row[field]) for row in csv.DictReader(handle)]


def rows(name: str) -> list[dict[str, str]]:
    """A data file as dicts of strings (digits as printed)."""
    with open(DATA / name, newline="") as handle:
        return list(csv.DictReader(handle))


NIST_VALUES = column("nist_flowrate_individuals.csv", "flowrate")
NIST_DATA = {"mean": (50.81, 2), "mr_bar": (1.8778, 4)}
NIST_LIMITS = {"ucl": (55.8041, 4), "lcl": (45.8159, 4), "mr_ucl": (6.1347, 4)}

MONTGOMERY_VALUES = column("montgomery_runger_table16_3_concentration.csv", "concentration")
# The book rounds the mean and MR-bar to these digits before computing limits; limits match to 0.05.
MONTGOMERY = {"mean": (99.1, 1), "mr_bar": (2.59, 2)}
MONTGOMERY_LIMITS = {"ucl": 105.99, "lcl": 92.21}
MONTGOMERY_TOLERANCE = 0.05

QCC_VALUES = [float(r[f"x{i}"]) for r in rows("qcc_test_capability_grouped.csv") for i in range(1, 5)]
QCC_SUBGROUP = 4
QCC_LSL, QCC_USL, QCC_TARGET = 9.9, 10.1, 10.0
# Figures that use sigma within (through d2(4)) and those that use only the sample sd.
QCC_WITHIN = {"cp": (1.372667, 6), "cpl": (1.441300, 6), "cpu": (1.304033, 6), "cpk": (1.304033, 6),
              "cpm": (1.344463, 6), "sigma_within": (0.0242836, 7)}
QCC_OVERALL = {"pp": (1.612598, 6), "ppl": (1.693228, 6), "ppu": (1.531968, 6), "ppk": (1.531968, 6),
               "sigma_overall": (0.0206706, 7)}
QCC_ONLY_USL = {"cpk": (1.304033, 6), "cpu": (1.304033, 6), "ppk": (1.531968, 6)}
QCC_ONLY_LSL = {"cpk": (1.441300, 6), "cpl": (1.441300, 6), "ppk": (1.693228, 6)}


def as_stated(actual: float, published: float, decimals: int) -> bool:
    """The value rounds to the published figure at the digits it was printed with."""
    return actual is not None and round(actual, decimals) == round(published, decimals)


def within_fourth_digit(actual: float, published: float) -> bool:
    """|actual - published| is at most one unit of the published figure's 4th significant digit."""
    unit = 10.0 ** (math.floor(math.log10(abs(published))) - 3)
    return actual is not None and abs(actual - published) <= unit


def check(values: dict, expected: dict, to_fourth_digit: bool) -> list[str]:
    """Names whose value misses its figure: as stated, or (to_fourth_digit) within its 4th significant digit."""
    # The looser match is for figures the source computed with rounded table constants: our exact
    # constants reproduce those only to about four digits.
    misses = []
    for name, (published, decimals) in expected.items():
        good = within_fourth_digit(values[name], published) if to_fourth_digit else as_stated(values[name], published, decimals)
        if not good:
            misses.append(f"{name}: {values[name]!r} vs published {published}")
    return misses
