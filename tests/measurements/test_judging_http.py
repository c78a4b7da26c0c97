"""The server judges every case of the shared table (tests/judging_cases.py) as stored over HTTP."""

from __future__ import annotations

from tests.judging_cases import CASES, LIMIT_SETS
from tests.measurements.helpers import add, call, start_run


def test_the_server_judges_the_table_of_cases(client, plans, operator):
    plan = plans.recipe(subtasks=[limits.as_dict() for limits in LIMIT_SETS])
    station = plans.station()
    subtask = dict(zip(LIMIT_SETS, plan.subtask_ids, strict=True))
    run = start_run(client, operator, plan, station)
    answered, sent = [], set()
    for case in CASES:
        target = subtask[case.limits]
        extra = {"reason": "Next case of the table"} if target in sent else {}
        stored = add(client, operator, run["id"], target, case.value, gross_error_confirmed=True, **extra)
        sent.add(target)
        assert stored["value"] == case.value
        answered.append((case.id, stored["pass_fail"]))
    assert answered == [(case.id, case.verdict) for case in CASES]
    # Read back: the run's history keeps each value with the verdict it was given.
    history = call(client, operator, "GET", f"/runs/{run['id']}?include_history=true", 200).json()["history"]
    assert [(h["value"], h["pass_fail"]) for h in history] == [(case.value, case.verdict) for case in CASES]
