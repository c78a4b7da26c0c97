"""The judging rule's one table of cases: limits and a value -> pass, warning or fail.

The rule lives three times: the server (`measurements.judging.judge`), the demo data's vectorised
copy (`demodata.batch.judge_matrix`) and the station's measuring page (`judge` in
`web/static/js/measure.js`). Every one of them is tested against this table; a new case goes here.
Bounds are inclusive; a missing warning limit falls back to the tolerance limit on its side; a
missing tolerance limit means no bound on its side. Values are finite (NaN is refused at the door).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LIMIT_KEYS = ("nominal", "ltl", "lwl", "uwl", "utl")


@dataclass(frozen=True)
class CaseLimits:
    """A characteristic's nominal and limits as the API carries them (None where absent)."""

    nominal: float | None = None
    ltl: float | None = None
    lwl: float | None = None
    uwl: float | None = None
    utl: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {key: getattr(self, key) for key in LIMIT_KEYS}


@dataclass(frozen=True)
class Case:
    """One row of the table."""

    limits: CaseLimits
    value: float
    verdict: str

    @property
    def id(self) -> str:
        named = {k: v for k, v in self.limits.as_dict().items() if v is not None}
        return f"{self.value!r} {named} -> {self.verdict}"


def above(x: float) -> float:
    """The next double up."""
    return math.nextafter(x, math.inf)


def below(x: float) -> float:
    """The next double down."""
    return math.nextafter(x, -math.inf)


FULL = CaseLimits(nominal=10.0, ltl=9.5, lwl=9.8, uwl=10.2, utl=10.5)
UPPER_ONLY = CaseLimits(nominal=0.0, uwl=0.8, utl=1.0)  # e.g. a roughness: no lower bound
LOWER_ONLY = CaseLimits(nominal=5.0, ltl=4.0, lwl=4.5)
NO_WARNING = CaseLimits(nominal=10.0, ltl=9.5, utl=10.5)
UPPER_WARNING_MISSING = CaseLimits(nominal=10.0, ltl=9.5, lwl=9.8, utl=10.5)
WARNING_NO_TOLERANCE = CaseLimits(nominal=10.0, lwl=9.8, uwl=10.2)
MAX_ONLY = CaseLimits(utl=0.05)  # e.g. a flatness written "max 0.05": no nominal, no warning band
MIN_ONLY = CaseLimits(ltl=3.0)
NEGATIVE = CaseLimits(nominal=-2.0, ltl=-2.1, lwl=-2.05, uwl=-1.95, utl=-1.9)
# 0.1 + 0.2 is 0.30000000000000004, one double above the limit 0.3 as typed.
DECIMAL = CaseLimits(nominal=0.2, ltl=0.1, lwl=0.15, uwl=0.25, utl=0.3)
NOTHING = CaseLimits()
MIXED = CaseLimits(lwl=1.0, utl=2.0)  # one side with only a warning limit, the other with only a tolerance limit


def _cases(limits: CaseLimits, *rows: tuple[float, str]) -> list[Case]:
    return [Case(limits, value, verdict) for value, verdict in rows]


CASES: list[Case] = [
    # every limit of a full band, exactly on it and one double either side
    *_cases(FULL, (10.0, "pass"),
            (9.8, "pass"), (above(9.8), "pass"), (below(9.8), "warning"),
            (10.2, "pass"), (below(10.2), "pass"), (above(10.2), "warning"),
            (9.5, "warning"), (above(9.5), "warning"), (below(9.5), "fail"),
            (10.5, "warning"), (below(10.5), "warning"), (above(10.5), "fail"),
            (-1e300, "fail"), (1e300, "fail")),
    # upper limits only: no lower bound at all
    *_cases(UPPER_ONLY, (-1e300, "pass"), (0.8, "pass"), (above(0.8), "warning"), (1.0, "warning"),
            (above(1.0), "fail")),
    # lower limits only
    *_cases(LOWER_ONLY, (1e300, "pass"), (4.5, "pass"), (below(4.5), "warning"), (4.0, "warning"),
            (below(4.0), "fail")),
    # one-sided tolerances without a nominal or a warning band
    *_cases(MAX_ONLY, (0.05, "pass"), (-7.0, "pass"), (above(0.05), "fail")),
    *_cases(MIN_ONLY, (3.0, "pass"), (1e300, "pass"), (below(3.0), "fail")),
    # no warning band: the warning limits fall back to the tolerance limits
    *_cases(NO_WARNING, (9.5, "pass"), (10.5, "pass"), (below(9.5), "fail"), (above(10.5), "fail")),
    # one warning limit missing: that side passes up to the tolerance limit
    *_cases(UPPER_WARNING_MISSING, (10.5, "pass"), (above(10.5), "fail"), (9.8, "pass"), (9.7, "warning"),
            (9.5, "warning"), (below(9.5), "fail")),
    # warning limits but no tolerance: outside the warning band is a warning, never a failure
    *_cases(WARNING_NO_TOLERANCE, (10.2, "pass"), (above(10.2), "warning"), (1e300, "warning"),
            (-1e300, "warning")),
    # negative limits
    *_cases(NEGATIVE, (-2.0, "pass"), (-1.95, "pass"), (-2.05, "pass"), (-1.9, "warning"), (-2.1, "warning"),
            (above(-1.9), "fail"), (below(-2.1), "fail")),
    # decimal limits: exactly on a limit as typed passes its band, the sum 0.1 + 0.2 does not
    *_cases(DECIMAL, (0.3, "warning"), (0.1 + 0.2, "fail"), (0.25, "pass"), (0.15, "pass"), (0.1, "warning")),
    # no limit at all: everything passes
    *_cases(NOTHING, (0.0, "pass"), (-1e308, "pass"), (1e308, "pass")),
    *_cases(MIXED, (0.5, "warning"), (1.0, "pass"), (2.0, "pass"), (above(2.0), "fail")),
]

LIMIT_SETS: list[CaseLimits] = list(dict.fromkeys(case.limits for case in CASES))
