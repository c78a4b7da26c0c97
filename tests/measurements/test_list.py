"""GET /api/measurements/: the reference's filters and paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.measurements.helpers import call, single


@pytest.fixture
def data(client, factory, plans, operator):
    """Seven values: two recipes (one with two versions), two operators, three serials and lots."""
    colleague = factory.user("MeasurementTec")
    first, second = plans.recipe(), plans.recipe(versions=2)
    plans.set_current(second, 0)
    batch = [single(first, 0, 10.0, serial="S1", lot="L1"), single(first, 1, 21.5, serial="S1", lot="L1"),
             single(first, 0, 10.3, serial="S2", lot="L2"),
             {**single(second, 0, 9.0, serial="S3", lot="L1"), "version_id": second.versions[0].id,
              "subtask_id": second.versions[0].subtask_ids[0]}]
    made = call(client, operator, "POST", "/measurements/batch", 200, json={"measurements": batch}).json()
    plans.set_current(second, 1)
    made += [call(client, colleague, "POST", "/measurements/", 200,
                  json=single(second, 1, 20.2, serial="S3", lot="L3")).json()]
    return {"made": made, "first": first, "second": second, "colleague": colleague}


def ids(client, user, query: str) -> list[int]:
    return [m["id"] for m in call(client, user, "GET", f"/measurements/?{query}", 200).json()["items"]]


def test_every_filter(client, data, metrologist):
    made, first, second = data["made"], data["first"], data["second"]
    pick = {i: m["id"] for i, m in enumerate(made)}
    expect = {
        f"recipe_id={first.recipe_id}": [0, 1, 2],
        f"recipe_id={second.recipe_id}": [3, 4],
        f"version_id={second.versions[0].id}": [3],
        f"subtask_id={first.subtask_ids[0]}": [0, 2],
        f"characteristic_id={second.characteristic_ids[1]}": [4],
        f"run_id={made[0]['run_id']}": [0, 1],
        f"measured_by={data['colleague'].id}": [4],
        "lot_number=L1": [0, 1, 3],
        "serial_number=S3": [3, 4],
        "pass_fail=fail": [1, 3],
        "pass_fail=warning": [2],
        "pass_fail=pass": [0, 4],
        f"recipe_id={first.recipe_id}&pass_fail=fail&lot_number=L1": [1],
    }
    for query, indexes in expect.items():
        assert sorted(ids(client, metrologist, query)) == sorted(pick[i] for i in indexes), query


def test_newest_first_paging_and_time_range(client, data, metrologist):
    made = data["made"]
    page = call(client, metrologist, "GET", "/measurements/?per_page=2&page=2", 200).json()
    assert (page["total"], page["page"], page["per_page"], page["pages"]) == (5, 2, 2, 3)
    assert [m["id"] for m in page["items"]] == [made[2]["id"], made[1]["id"]]
    assert call(client, metrologist, "GET", "/measurements/?per_page=500", 200).json()["total"] == 5
    stamp = made[4]["measured_at"]
    assert ids(client, metrologist, f"date_from={stamp}") == [made[4]["id"]]
    assert made[4]["id"] not in ids(client, metrologist, f"date_to={made[3]['measured_at']}")
    naive_future = (datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None).isoformat()
    assert len(ids(client, metrologist, f"date_to={naive_future}")) == 5
    assert ids(client, metrologist, f"date_from={naive_future}") == []
    empty = call(client, metrologist, "GET", "/measurements/?serial_number=none", 200).json()
    assert (empty["items"], empty["total"], empty["pages"]) == ([], 0, 0)


@pytest.mark.parametrize("query", ["per_page=0", "per_page=501", "page=0", "pass_fail=ok", "date_from=soon",
                                   "recipe_id=x", "run_id=1", "recipe_id=2147483648", "lot_number=%00",
                                   "date_from=1700000000", "date_to=9999-12-31T23:59:59-05:00"])
def test_bad_parameters_are_422(client, metrologist, query):
    call(client, metrologist, "GET", f"/measurements/?{query}", 422)
