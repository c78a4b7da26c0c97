"""Concurrent edits of one recipe queue up: one copy per frozen version, never a clash of version numbers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor


def test_concurrent_additions_to_a_measured_version_make_one_copy(api, record_measurement):
    recipe = api.recipe()
    task = api.task(recipe["id"])
    record_measurement(task["subtasks"][0], recipe["current_version"]["id"], 10.0)

    def add(i: int) -> int:
        return api.call("POST", f"/recipes/{recipe['id']}/tasks", json={"title": f"T{i}"}).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(add, range(4)))
    assert statuses == [201] * 4
    versions = api.call("GET", f"/recipes/{recipe['id']}/versions", 200).json()
    assert [len(v["tasks"]) for v in versions] == [1, 5]
    assert sorted(t["order_index"] for t in versions[1]["tasks"]) == [0, 1, 2, 3, 4]


def test_concurrent_edits_aimed_at_one_measured_task_land_once(api, record_measurement):
    recipe = api.recipe()
    task = api.task(recipe["id"])
    record_measurement(task["subtasks"][0], recipe["current_version"]["id"], 10.0)

    def rename(i: int) -> int:
        return api.call("PUT", f"/tasks/{task['id']}", json={"title": f"T{i}"}).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(rename, range(4)))
    # The first edit copies version 1; the others aim at a task that is no longer current.
    assert statuses == [200, 409, 409, 409]
    assert len(api.call("GET", f"/recipes/{recipe['id']}/versions", 200).json()) == 2
