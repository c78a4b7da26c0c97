"""Concurrent stations: no lost write, no "database is locked", one winner per state change."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.measurements.helpers import audit_actions, call, count_rows, single

STATIONS = 8
VALUES_PER_STATION = 6


def run_together(count: int, work) -> list:
    """Call work(i) from `count` threads released at the same moment."""
    barrier = threading.Barrier(count)

    def task(i):
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(task, range(count)))


def test_eight_stations_posting_at_once(client, factory, plans):
    plan = plans.recipe()
    station = plans.station()
    users = [factory.user("MeasurementTec") for _ in range(STATIONS)]

    def station_work(i):
        user, statuses = users[i], []
        for n in range(VALUES_PER_STATION):
            body = single(plan, n % 2, 10.0 + n / 100, serial=f"SN-{i}")
            res = client.post("/api/measurements/", json=body, headers=user.headers)
            statuses.append((res.status_code, res.text))
        run = client.post("/api/runs", headers=user.headers, json={
            "recipe_id": plan.recipe_id, "serial_number": f"RUN-{i}", "station_code": station}).json()
        for subtask_id, value in zip(plan.subtask_ids, (10.0, 20.0), strict=True):
            res = client.post(f"/api/runs/{run['id']}/measurements", headers=user.headers,
                              json={"subtask_id": subtask_id, "value": value})
            statuses.append((res.status_code, res.text))
        res = client.post(f"/api/runs/{run['id']}/finish", headers=user.headers)
        statuses.append((res.status_code, res.text))
        return statuses

    results = [s for station_results in run_together(STATIONS, station_work) for s in station_results]
    failures = [r for r in results if r[0] not in (200, 201)]
    assert failures == []
    assert not any("locked" in text for _, text in results)
    assert count_rows(client.app, "measurements") == STATIONS * (VALUES_PER_STATION + 2)
    # Each pair of single values completes (and finishes) an implicit run; plus one explicit run each.
    assert count_rows(client.app, "runs") == STATIONS * (VALUES_PER_STATION // 2 + 1)


def test_two_finishes_of_one_run_have_one_winner(client, plans, operator):
    plan = plans.recipe()
    for attempt in range(3):
        run = call(client, operator, "POST", "/runs", 201, json={
            "recipe_id": plan.recipe_id, "serial_number": f"SN-{attempt}", "station_code": plans.station()}).json()
        for subtask_id, value in zip(plan.subtask_ids, (10.0, 20.0), strict=True):
            call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201,
                 json={"subtask_id": subtask_id, "value": value})
        statuses = run_together(2, lambda _, run=run: client.post(f"/api/runs/{run['id']}/finish",
                                                         headers=operator.headers).status_code)
        assert sorted(statuses) == [200, 409]
        assert audit_actions(client.app, "run").count(("finish", run["id"])) == 1


def test_two_corrections_of_one_value_have_one_winner(client, plans, operator, metrologist):
    plan = plans.recipe()
    made = call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 12.0)).json()
    statuses = run_together(2, lambda i: client.post(
        f"/api/measurements/{made['id']}/corrections", headers=metrologist.headers,
        json={"value": 10.0 + i / 10, "reason": f"fix {i}"}).status_code)
    assert sorted(statuses) == [201, 409]
    assert count_rows(client.app, "measurements") == 2
