"""Yield (first-pass and final, by day, station or recipe) and the Pareto of failing characteristics."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

LIMITS = dict(nominal=10.0, ltl=9.5, lwl=9.8, uwl=10.2, utl=10.5)


@pytest.fixture
def floor(shop, admin):
    """Five parts over two stations: a rework, a pass, a warning, a scrap and one still on its first run."""
    c = shop.characteristic(**LIMITS)
    shop.station(admin, "ST-A")
    shop.station(admin, "ST-B")
    runs = {
        "SN-1 first": shop.run(c, "ST-A", "SN-1", [11.0]),
        "SN-1 rework": shop.run(c, "ST-B", "SN-1", [10.0]),
        "SN-2": shop.run(c, "ST-A", "SN-2", [10.0]),
        "SN-3": shop.run(c, "ST-B", "SN-3", [10.3]),
        "SN-4": shop.run(c, "ST-B", "SN-4", [9.0]),
        "SN-5": shop.run(c, "ST-B", "SN-5", [10.0], finish=False),
    }
    assert [r["status"] for r in runs.values()] == ["fail", "pass", "pass", "warning", "fail", "in_progress"]
    return c, runs


def test_first_pass_and_final_yield(shop, floor):
    body = shop.ok("yield")
    assert body["total"] == {"key": "all", "label": None, "devices": 5, "decided": 4, "pending": 1, "first_pass": 2,
                             "final_pass": 3, "runs": 6, "first_pass_yield": 50.0, "final_yield": 75.0}
    [day] = body["groups"]
    assert day["key"] == datetime.now(UTC).date().isoformat() and day["devices"] == 5


def test_yield_by_station_counts_a_device_where_its_first_run_was(shop, floor):
    groups = {g["label"]: g for g in shop.ok("yield", group_by="station")["groups"]}
    assert set(groups) == {"ST-A", "ST-B"}
    a, b = groups["ST-A"], groups["ST-B"]
    assert (a["devices"], a["first_pass"], a["final_pass"], a["runs"]) == (2, 1, 2, 3)
    assert (a["first_pass_yield"], a["final_yield"]) == (50.0, 100.0)
    assert (b["devices"], b["pending"], b["first_pass"], b["final_pass"]) == (3, 1, 1, 1)
    only_b = shop.ok("yield", group_by="station", station_code="ST-B")
    assert [g["label"] for g in only_b["groups"]] == ["ST-B"] and only_b["total"]["devices"] == 3


def test_yield_by_recipe_and_recipe_filter(shop, floor):
    c, _ = floor
    other = shop.characteristic(**LIMITS)
    shop.run(other, "ST-A", "X-1", [10.0])
    by_recipe = {g["key"]: g for g in shop.ok("yield", group_by="recipe")["groups"]}
    assert by_recipe[str(c.recipe_id)]["devices"] == 5 and by_recipe[str(other.recipe_id)]["devices"] == 1
    assert by_recipe[str(other.recipe_id)]["label"].startswith("SPC-")
    assert shop.ok("yield", recipe_id=other.recipe_id)["total"]["devices"] == 1


def test_the_period_bounds_first_runs_and_hides_later_runs(shop, floor):
    _, runs = floor
    before_rework = shop.ok("yield", date_to=runs["SN-1 first"]["started_at"])
    assert before_rework["total"]["devices"] == 1 and before_rework["total"]["final_pass"] == 0
    after_first = shop.ok("yield", date_from=runs["SN-1 rework"]["started_at"])
    assert after_first["total"]["devices"] == 4  # SN-1 first ran earlier
    future = shop.ok("yield", date_from="2999-01-01T00:00:00Z")
    assert future["groups"] == [] and future["total"]["first_pass_yield"] is None


def test_yield_errors(shop):
    assert shop.get("yield", group_by="week").status_code == 422
    assert shop.get("yield", recipe_id=999_999).status_code == 404
    assert shop.get("yield", station_code="NOPE").status_code == 404
    assert shop.get("yield", date_from="2030-01-02T00:00:00Z", date_to="2030-01-01T00:00:00Z").status_code == 422


def test_pareto_ranks_failing_and_warning_characteristics(shop):
    a = shop.characteristic(**LIMITS)
    b = shop.characteristic(**LIMITS)
    shop.measure(a, [11.0, 12.0, 9.0, 10.3, 10.0, 10.0])   # 3 fail, 1 warning
    shop.measure(b, [11.0, 10.3, 9.7, 10.0])               # 1 fail, 2 warning
    body = shop.ok("pareto")
    assert (body["total"], body["characteristics"], body["judgments"]) == (7, 2, ["fail", "warning"])
    first, second = body["items"]
    assert (first["rank"], first["subtask_id"], first["fail_count"], first["warning_count"], first["count"]) == \
        (1, a.subtask_id, 3, 1, 4)
    assert (first["measured"], first["rate_percentage"], first["percentage"], first["cumulative_percentage"]) == \
        (6, 66.67, 57.14, 57.14)
    assert (second["subtask_id"], second["count"], second["cumulative_percentage"]) == (b.subtask_id, 3, 100.0)
    assert first["marker_number"] == 1 and first["description"] == "Shaft diameter" and first["unit"] == "mm"
    warnings = shop.ok("pareto", pass_fail="warning")["items"]
    assert [(i["subtask_id"], i["count"]) for i in warnings] == [(b.subtask_id, 2), (a.subtask_id, 1)]
    assert [i["subtask_id"] for i in shop.ok("pareto", recipe_id=b.recipe_id)["items"]] == [b.subtask_id]
    assert len(shop.ok("pareto", limit=1)["items"]) == 1
    assert shop.get("pareto", pass_fail="pass").status_code == 422


def test_pareto_counts_corrected_values_once(shop):
    c = shop.characteristic(**LIMITS)
    stored = shop.measure(c, [11.0, 10.0])
    shop.correct(stored[0]["id"], 10.1)
    assert shop.ok("pareto")["items"] == []
