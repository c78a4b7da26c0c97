"""The demo data's vectorised judging agrees with every case of the shared table (tests/judging_cases.py)."""

from __future__ import annotations

import numpy as np

from tests.judging_cases import CASES
from tiemeasureflow.demodata.batch import VERDICTS, judge_matrix
from tiemeasureflow.demodata.catalog import Char
from tiemeasureflow.demodata.simulate import CharModel
from tiemeasureflow.measurements.judging import ToleranceLimits


def _model(index: int, limits) -> CharModel:
    return CharModel(index, index, 1, ToleranceLimits(**limits.as_dict()), Char(1, "case", "length", 0.0, 1.0))


def test_the_vectorised_rule_judges_the_table_of_cases():
    # One part, one characteristic per case: every case judged in one call, as a shift is.
    models = [_model(i, case.limits) for i, case in enumerate(CASES)]
    values = np.array([[case.value for case in CASES]])
    verdicts = VERDICTS[judge_matrix(values, models)[0]].tolist()
    assert list(zip([c.id for c in CASES], verdicts, strict=True)) == [(c.id, c.verdict) for c in CASES]


def test_the_vectorised_rule_judges_many_parts_of_one_characteristic_alike():
    # Many parts of each characteristic: the rows of one column share the column's limits.
    for limits in dict.fromkeys(case.limits for case in CASES):
        rows = [case for case in CASES if case.limits == limits]
        codes = judge_matrix(np.array([[case.value] for case in rows]), [_model(0, limits)])
        assert VERDICTS[codes[:, 0]].tolist() == [case.verdict for case in rows]
