"""GET /api/runs: every filter, the time range and paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.measurements.helpers import add, call, start_run


@pytest.fixture
def fleet(client, factory, plans, operator):
    """Five runs over two recipes, two stations, two operators and three statuses."""
    colleague = factory.user("MeasurementTec")
    first, second = plans.recipe(), plans.recipe(versions=2)
    here, there = plans.station("ST-HERE"), plans.station("ST-THERE")
    runs = {
        "a": start_run(client, operator, first, here, serial="SN-A", lot="L1"),
        "b": start_run(client, operator, first, there, serial="SN-B", lot="L2"),
        "c": start_run(client, colleague, second, here, serial="SN-C", lot="L1"),
        "d": start_run(client, colleague, second, there, serial="SN-A", lot="L3"),
        "e": start_run(client, operator, first, here, serial="SN-E", lot=None),
    }
    for subtask_id, value in zip(first.subtask_ids, (12.0, 20.0), strict=True):
        add(client, operator, runs["a"]["id"], subtask_id, value)
    call(client, operator, "POST", f"/runs/{runs['a']['id']}/finish", 200)
    call(client, colleague, "POST", f"/runs/{runs['c']['id']}/abort", 200)
    return {"runs": runs, "first": first, "second": second, "operator": operator, "colleague": colleague}


def ids(client, user, query: str) -> set[str]:
    return {r["id"] for r in call(client, user, "GET", f"/runs?{query}", 200).json()["items"]}


def test_filters(client, fleet, metrologist):
    runs, first, second = fleet["runs"], fleet["first"], fleet["second"]
    expect = {
        f"recipe_id={first.recipe_id}": "abe",
        f"version_id={second.version_id}": "cd",
        "station_code=ST-HERE": "ace",
        f"station_id={runs['b']['station_id']}": "bd",
        f"operator_id={fleet['colleague'].id}": "cd",
        "serial_number=SN-A": "ad",
        "lot_number=L1": "ac",
        "status=fail": "a",
        "status=aborted": "c",
        "status=in_progress": "bde",
        f"recipe_id={first.recipe_id}&status=in_progress&serial_number=SN-B": "b",
    }
    for query, letters in expect.items():
        assert ids(client, metrologist, query) == {runs[x]["id"] for x in letters}, query


def test_time_range_newest_first_and_paging(client, fleet, metrologist):
    runs = fleet["runs"]
    everything = call(client, metrologist, "GET", "/runs?per_page=2", 200).json()
    assert (everything["total"], everything["pages"], everything["per_page"]) == (5, 3, 2)
    assert [r["id"] for r in everything["items"]] == [runs["e"]["id"], runs["d"]["id"]]
    last = call(client, metrologist, "GET", "/runs?per_page=2&page=3", 200).json()
    assert [r["id"] for r in last["items"]] == [runs["a"]["id"]]
    later = datetime.now(UTC) + timedelta(hours=1)
    assert ids(client, metrologist, f"date_from={later.isoformat().replace('+00:00', 'Z')}") == set()
    naive_past = (datetime.now(UTC) - timedelta(hours=1)).replace(tzinfo=None).isoformat()
    assert len(ids(client, metrologist, f"date_from={naive_past}")) == 5
    assert ids(client, metrologist, f"date_to={naive_past}") == set()


@pytest.mark.parametrize("query", ["status=done", "per_page=0", "per_page=501", "page=0", "date_from=yesterday",
                                   "date_to=0.5", "operator_id=2147483648", "serial_number=%00"])
def test_bad_list_parameters_are_422(client, metrologist, query):
    call(client, metrologist, "GET", f"/runs?{query}", 422)
