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
# Minitab's K of each test: sigma multiples for rule 1, point counts for the others.
DEFAULT_K: dict[str, dict[int, float]] = {
    "we": {1: 3, 2: 2, 3: 4, 4: 8},
    "nelson": {1: 3, 2: 9, 3: 6, 4: 14, 5: 2, 6: 4, 7: 15, 8: 8},
}
K_RANGE = {"sigma": (0.5, 6.0), "count": (2, 50)}
TEMPLATES = {
    "we": {
        1: "1 point more than {k} sigma from the centre line (beyond a control limit)",
        2: "{k} out of {k1} points in a row more than 2 sigma from the centre line (same side)",
        3: "{k} out of {k1} points in a row more than 1 sigma from the centre line (same side)",
        4: "{k} points in a row on the same side of the centre line",
    },
    "nelson": {
        1: "1 point more than {k} sigma from the centre line (beyond a control limit)",
        2: "{k} points in a row on the same side of the centre line",
        3: "{k} points in a row, all increasing or all decreasing",
        4: "{k} points in a row, alternating up and down",
        5: "{k} out of {k1} points in a row more than 2 sigma from the centre line (same side)",
        6: "{k} out of {k1} points in a row more than 1 sigma from the centre line (same side)",
        7: "{k} points in a row within 1 sigma of the centre line (either side)",
        8: "{k} points in a row more than 1 sigma from the centre line (either side)",
    },
}


def describe(rule_set: str, rule: int, k: float | None = None) -> str:
    """A rule's wording with its K."""
    k = DEFAULT_K[rule_set][rule] if k is None else k
    shown = f"{k:g}"
    return TEMPLATES[rule_set][rule].format(k=shown, k1=f"{k + 1:g}")


def check_k(rule_set: str, k_values: dict[int, float]) -> dict[int, float]:
    """The K values completed with the defaults; ValueError for an unknown rule or a K out of range."""
    merged = dict(DEFAULT_K[rule_set])
    for rule, k in k_values.items():
        if rule not in merged:
            raise ValueError(f"rule {rule} is not in rule set {rule_set}")
        low, high = K_RANGE["sigma" if rule == 1 else "count"]
        if not low <= k <= high or (rule != 1 and k != int(k)):
            kind = "a sigma multiple" if rule == 1 else "a whole number of points"
            raise ValueError(f"K of rule {rule} must be {kind} in {low:g}..{high:g}")
        merged[rule] = k
    return merged


RULE_DESCRIPTIONS = {name: {rule: describe(name, rule) for rule in TEMPLATES[name]} for name in RULE_SETS}


@dataclass(frozen=True)
class RuleFlags:
    """flags[r, i] is True when rule `rules[r]` fires at point i."""

    rule_set: str
    rules: tuple[int, ...]
    flags: np.ndarray
    reason: str | None = None

    def out_of_control(self) -> np.ndarray:
        """Indices of the points where any rule fired, ascending."""
        if len(self.rules) == 0:
            return np.empty(0, dtype=np.int64)
        return np.flatnonzero(self.flags.any(axis=0))

    def fired_at(self, index: int) -> list[int]:
        """The rules that fired at one point."""
        return [rule for rule, hit in zip(self.rules, self.flags[:, index], strict=False) if hit]

    def counts(self) -> dict[int, int]:
        """How many points each rule flagged."""
        return {rule: int(row.sum()) for rule, row in zip(self.rules, self.flags, strict=False)}


def evaluate(values: np.ndarray, center: float | None, sigma: float | None, rule_set: str = "we",
             enabled: tuple[int, ...] | None = None, k_values: dict[int, float] | None = None) -> RuleFlags:
    """Apply the enabled rules of one set (all by default) with Minitab's K values (defaults unless given)."""
    if rule_set not in RULE_SETS:
        raise ValueError(f"unknown rule set {rule_set!r}")
    x = np.asarray(values, dtype=float)
    k = check_k(rule_set, k_values or {})
    rules = tuple(sorted(enabled)) if enabled is not None else tuple(TEMPLATES[rule_set])
    for rule in rules:
        if rule not in k:
            raise ValueError(f"rule {rule} is not in rule set {rule_set}")
    if center is None or sigma is None or not sigma > 0:
        reason = "the run rules need a centre line and a sigma greater than 0"
        return RuleFlags(rule_set, rules, np.zeros((len(rules), len(x)), dtype=bool), reason)
    tests = _we_tests if rule_set == "we" else _nelson_tests
    if len(x) and rules:
        flags = np.vstack([tests[rule](x, center, sigma, k[rule]) for rule in rules])
    else:
        flags = np.zeros((len(rules), len(x)), dtype=bool)
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


_we_tests = {
    1: lambda x, c, s, k: _beyond(x, c, s, k),
    2: lambda x, c, s, k: _k_of_m_beyond(x, c, s, 2.0, int(k), int(k) + 1),
    3: lambda x, c, s, k: _k_of_m_beyond(x, c, s, 1.0, int(k), int(k) + 1),
    4: lambda x, c, s, k: _same_side(x, c, int(k)),
}
_nelson_tests = {
    1: lambda x, c, s, k: _beyond(x, c, s, k),
    2: lambda x, c, s, k: _same_side(x, c, int(k)),
    3: lambda x, c, s, k: _trend(x, int(k)),
    4: lambda x, c, s, k: _alternating(x, int(k)),
    5: lambda x, c, s, k: _k_of_m_beyond(x, c, s, 2.0, int(k), int(k) + 1),
    6: lambda x, c, s, k: _k_of_m_beyond(x, c, s, 1.0, int(k), int(k) + 1),
    7: lambda x, c, s, k: _run_length(np.abs(x - c) <= s) >= int(k),
    8: lambda x, c, s, k: _run_length(np.abs(x - c) > s) >= int(k),
}


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
