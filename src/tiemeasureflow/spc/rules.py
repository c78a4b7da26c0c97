"""Run rules (tests for special causes), worded and counted as Minitab states them.

A rule flags the point that completes its pattern, and every further point that keeps the
pattern going (the 10th point of 10 on one side fires "9 in a row" again). Patterns "k out of
k+1" look back over the last k+1 points (fewer at the start of the data) and flag a point only
when the point itself is one of the k. A point exactly on the centre line is on neither side,
so it breaks a same-side run; equal neighbours break a trend and an alternation. "More than
k sigma" is strict; "within 1 sigma" includes exactly 1 sigma.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RULE_SETS = ("we", "nelson")
RULE_DESCRIPTIONS = {
    "we": {
        1: "1 point more than 3 sigma from the centre line (beyond a control limit)",
        2: "2 out of 3 points in a row more than 2 sigma from the centre line (same side)",
        3: "4 out of 5 points in a row more than 1 sigma from the centre line (same side)",
        4: "8 points in a row on the same side of the centre line",
    },
    "nelson": {
        1: "1 point more than 3 sigma from the centre line (beyond a control limit)",
        2: "9 points in a row on the same side of the centre line",
        3: "6 points in a row, all increasing or all decreasing",
        4: "14 points in a row, alternating up and down",
        5: "2 out of 3 points in a row more than 2 sigma from the centre line (same side)",
        6: "4 out of 5 points in a row more than 1 sigma from the centre line (same side)",
        7: "15 points in a row within 1 sigma of the centre line (either side)",
        8: "8 points in a row more than 1 sigma from the centre line (either side)",
    },
}


@dataclass(frozen=True)
class RuleFlags:
    """flags[r, i] is True when rule `rules[r]` fires at point i."""

    rule_set: str
    rules: tuple[int, ...]
    flags: np.ndarray
    reason: str | None = None

    def out_of_control(self) -> np.ndarray:
        """Indices of the points where any rule fired, ascending."""
        return np.flatnonzero(self.flags.any(axis=0))

    def fired_at(self, index: int) -> list[int]:
        """The rules that fired at one point."""
        return [rule for rule, hit in zip(self.rules, self.flags[:, index]) if hit]

    def counts(self) -> dict[int, int]:
        """How many points each rule flagged."""
        return {rule: int(row.sum()) for rule, row in zip(self.rules, self.flags)}


def evaluate(values: np.ndarray, center: float | None, sigma: float | None, rule_set: str = "we") -> RuleFlags:
    """Apply one rule set to points with the given centre line and sigma of the plotted statistic."""
    if rule_set not in RULE_SETS:
        raise ValueError(f"unknown rule set {rule_set!r}")
    x = np.asarray(values, dtype=float)
    rules = tuple(RULE_DESCRIPTIONS[rule_set])
    if center is None or sigma is None or not sigma > 0:
        reason = "the run rules need a centre line and a sigma greater than 0"
        return RuleFlags(rule_set, rules, np.zeros((len(rules), len(x)), dtype=bool), reason)
    tests = _we_tests if rule_set == "we" else _nelson_tests
    flags = np.vstack(tests(x, center, sigma)) if len(x) else np.zeros((len(rules), 0), dtype=bool)
    return RuleFlags(rule_set, rules, flags)


def beyond_limits(values: np.ndarray, lcl: float | None, ucl: float | None) -> np.ndarray:
    """Points strictly outside the control limits (the only rule applied to MR, R and S charts)."""
    x = np.asarray(values, dtype=float)
    flags = np.zeros(len(x), dtype=bool)
    with np.errstate(invalid="ignore"):
        if ucl is not None:
            flags |= x > ucl
        if lcl is not None:
            flags |= x < lcl
    return flags


def _we_tests(x: np.ndarray, c: float, s: float) -> list[np.ndarray]:
    return [_beyond(x, c, s, 3.0), _k_of_m_beyond(x, c, s, 2.0, 2, 3), _k_of_m_beyond(x, c, s, 1.0, 4, 5),
            _same_side(x, c, 8)]


def _nelson_tests(x: np.ndarray, c: float, s: float) -> list[np.ndarray]:
    distance = np.abs(x - c)
    return [
        _beyond(x, c, s, 3.0),
        _same_side(x, c, 9),
        _trend(x, 6),
        _alternating(x, 14),
        _k_of_m_beyond(x, c, s, 2.0, 2, 3),
        _k_of_m_beyond(x, c, s, 1.0, 4, 5),
        _run_length(distance <= s) >= 15,
        _run_length(distance > s) >= 8,
    ]


def _run_length(cond: np.ndarray) -> np.ndarray:
    """Length of the run of True ending at each index (0 where False)."""
    position = np.arange(1, len(cond) + 1, dtype=np.int32 if len(cond) < 2**31 else np.int64)
    # The latest position where cond was False, at or before each index (0 before the first one).
    last_break = np.maximum.accumulate(np.where(cond, 0, position))
    return position - last_break


def _window_count(cond: np.ndarray, m: int) -> np.ndarray:
    """How many of the last m points (fewer at the start) satisfy cond."""
    cumulative = np.concatenate(([0], np.cumsum(cond)))
    index = np.arange(len(cond))
    return cumulative[index + 1] - cumulative[np.maximum(index + 1 - m, 0)]


def _beyond(x: np.ndarray, c: float, s: float, k: float) -> np.ndarray:
    return (x > c + k * s) | (x < c - k * s)


def _k_of_m_beyond(x: np.ndarray, c: float, s: float, k: float, hits: int, m: int) -> np.ndarray:
    above = x > c + k * s
    below = x < c - k * s
    return (above & (_window_count(above, m) >= hits)) | (below & (_window_count(below, m) >= hits))


def _same_side(x: np.ndarray, c: float, length: int) -> np.ndarray:
    return (_run_length(x > c) >= length) | (_run_length(x < c) >= length)


def _trend(x: np.ndarray, points: int) -> np.ndarray:
    step = np.sign(np.diff(x))
    steps = points - 1
    flags = np.zeros(len(x), dtype=bool)
    flags[1:] = (_run_length(step > 0) >= steps) | (_run_length(step < 0) >= steps)
    return flags


def _alternating(x: np.ndarray, points: int) -> np.ndarray:
    step = np.sign(np.diff(x))
    # alternation[j] compares step j with step j + 1; a run of L alternations spans L + 2 points.
    alternation = step[:-1] * step[1:] < 0
    flags = np.zeros(len(x), dtype=bool)
    flags[2:] = _run_length(alternation) >= points - 2
    return flags
