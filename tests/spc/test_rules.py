"""Run rules: for each rule a sequence that fires it (and only it) and a near miss that does not.

Points are in sigma units around a centre line at 0 (sigma 1), so 2.5 is 2.5 sigma above.
"""

from __future__ import annotations

import numpy as np
import pytest

from tiemeasureflow import spc

# Fifteen points within 1 sigma that neither alternate, trend, nor stay 9 on one side.
QUIET = [0.5, 0.6, -0.5, -0.6] * 4
ALTERNATING = [0.5, -0.5] * 7

# rule set -> rule -> (sequence that fires it, index it fires at, near miss)
CASES = {
    "we": {
        1: ([0.0, 0.2, 3.5], 2, [0.0, 0.2, 3.0]),                     # exactly 3 sigma is not beyond
        2: ([2.5, 0.0, 2.5], 2, [2.5, 0.0, 0.0, 2.5]),                # 2 of 4 is not 2 of 3
        3: ([1.5, 1.5, 0.0, 1.5, 1.5], 4, [1.5, 1.5, 0.0, 0.0, 1.5, 1.5]),
        4: ([0.5] * 8, 7, [0.5] * 7 + [-0.5]),
    },
    "nelson": {
        1: ([0.0, -0.2, -3.5], 2, [0.0, -0.2, -2.99]),
        2: ([-0.5] * 9, 8, [-0.5] * 8 + [0.5]),
        3: ([-0.5, -0.4, -0.3, -0.2, -0.1, 0.05], 5, [-0.5, -0.4, -0.3, -0.2, -0.1, -0.1]),  # a tie ends a trend
        4: (ALTERNATING, 13, ALTERNATING[:13]),
        5: ([-2.5, -2.5], 1, [-2.5, 2.5, 0.0, -2.5]),                 # opposite sides do not add up
        6: ([-1.5, -1.5, -1.5, 0.0, -1.5], 4, [-1.5, -1.5, 1.5, 0.0, -1.5]),
        7: (QUIET[:15], 14, QUIET[:14] + [1.5]),
        8: ([1.5, -1.5] * 4, 7, [1.5, -1.5] * 3 + [1.5, 0.5]),
    },
}
ALL_CASES = [(rule_set, rule) for rule_set, rules in CASES.items() for rule in rules]


def fired(values, rule_set: str) -> dict[int, list[int]]:
    flags = spc.evaluate(np.array(values), 0.0, 1.0, rule_set)
    return {int(i): flags.fired_at(int(i)) for i in flags.out_of_control()}


@pytest.mark.parametrize("rule_set,rule", ALL_CASES, ids=[f"{s}{r}" for s, r in ALL_CASES])
def test_the_sequence_fires_the_rule_at_the_completing_point(rule_set, rule):
    sequence, at, _ = CASES[rule_set][rule]
    assert fired(sequence, rule_set) == {at: [rule]}


@pytest.mark.parametrize("rule_set,rule", ALL_CASES, ids=[f"{s}{r}" for s, r in ALL_CASES])
def test_the_near_miss_fires_nothing(rule_set, rule):
    _, _, near_miss = CASES[rule_set][rule]
    assert fired(near_miss, rule_set) == {}


@pytest.mark.parametrize("rule_set,rule,length", [("we", 4, 8), ("nelson", 2, 9)])
def test_a_point_on_the_centre_line_breaks_a_same_side_run(rule_set, rule, length):
    half = length // 2
    broken = [0.5] * half + [0.0] + [0.5] * (length - half)
    assert fired(broken, rule_set) == {}
    assert fired([0.5] * half + [0.1] + [0.5] * (length - half), rule_set) != {}


def test_a_run_that_goes_on_keeps_firing():
    assert fired([0.5] * 11, "nelson") == {8: [2], 9: [2], 10: [2]}


def test_a_point_can_fire_several_rules_and_says_which():
    sequence = [0.5] * 7 + [3.5]
    assert fired(sequence, "we") == {7: [1, 4]}


def test_the_rule_set_has_its_descriptions_and_counts():
    flags = spc.evaluate(np.array([0.5] * 10), 0.0, 1.0, "we")
    assert flags.rules == (1, 2, 3, 4)
    assert flags.counts() == {1: 0, 2: 0, 3: 0, 4: 3}
    assert set(spc.RULE_DESCRIPTIONS["nelson"]) == set(range(1, 9))


@pytest.mark.parametrize("sigma", [0.0, None])
def test_no_rules_without_a_positive_sigma(sigma):
    flags = spc.evaluate(np.array([1.0, 1.0, 1.0]), 1.0, sigma, "nelson")
    assert flags.out_of_control().size == 0
    assert "sigma" in flags.reason


def test_short_and_empty_series_are_fine():
    for values in ([], [5.0], [5.0, -5.0]):
        spc.evaluate(np.array(values), 0.0, 1.0, "nelson")
    assert fired([5.0], "we") == {0: [1]}


def test_beyond_limits_is_strict_and_ignores_missing_values():
    flags = spc.beyond_limits(np.array([np.nan, 1.0, 3.0, 3.1, -0.1]), 0.0, 3.0)
    assert flags.tolist() == [False, False, False, True, True]


def test_an_unknown_rule_set_is_refused():
    with pytest.raises(ValueError):
        spc.evaluate(np.array([1.0]), 0.0, 1.0, "minitab")
