"""Attribute charts through GET /api/statistics/attribute-chart, on Montgomery's published examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.spc.test_time_weighted import agrees
from tests.spc.time_weighted import (
    CIRCUIT_BOARD,
    CIRCUIT_BOARD_NONCONFORMITIES,
    CIRCUIT_BOARD_SIGNALS,
    ORANGE_JUICE,
    ORANGE_JUICE_NONCONFORMING,
    ORANGE_JUICE_SAMPLE,
    ORANGE_JUICE_SIGNALS,
)

GOOD, BAD = 10.0, 12.0  # against a tolerance of 9..11


def lots_with_failures(shop, c, failures: list[int], size: int, prefix: str) -> None:
    """One lot per entry: `size` parts (runs) measured once, the first `failures` of them out of tolerance."""
    for number, failed in enumerate(failures, start=1):
        shop.measure(c, [BAD] * failed + [GOOD] * (size - failed), lot=f"{prefix}-{number:02d}")


def test_p_chart_reproduces_the_orange_juice_example(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    lots_with_failures(shop, c, ORANGE_JUICE_NONCONFORMING, ORANGE_JUICE_SAMPLE, "OJ")
    chart = shop.ok("attribute-chart", recipe_id=c.recipe_id, chart="p", subgroup_by="lot")
    assert agrees(chart["center_line"], ORANGE_JUICE["center"])
    assert [p["key"] for p in chart["points"]] == [f"OJ-{n:02d}" for n in range(1, 31)]
    assert {p["n"] for p in chart["points"]} == {50}
    assert all(agrees(p["ucl"], ORANGE_JUICE["ucl"]) and agrees(p["lcl"], ORANGE_JUICE["lcl"])
               for p in chart["points"])
    assert chart["out_of_control_indices"] == ORANGE_JUICE_SIGNALS
    assert chart["points"][14]["value"] == pytest.approx(22 / 50) and chart["points"][14]["signal"]
    assert (chart["units"], chart["nonconforming"]) == (1500, sum(ORANGE_JUICE_NONCONFORMING))
    np_chart = shop.ok("attribute-chart", recipe_id=c.recipe_id, subtask_id=c.subtask_id, chart="np")
    assert np_chart["center_line"] == pytest.approx(50 * chart["center_line"])
    assert np_chart["out_of_control_indices"] == ORANGE_JUICE_SIGNALS


def test_c_chart_reproduces_the_circuit_board_example(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    lots_with_failures(shop, c, CIRCUIT_BOARD_NONCONFORMITIES, 40, "PCB")
    chart = shop.ok("attribute-chart", recipe_id=c.recipe_id, chart="c", subgroup_by="lot")
    assert agrees(chart["center_line"], CIRCUIT_BOARD["center"])
    assert agrees(chart["points"][0]["ucl"], CIRCUIT_BOARD["ucl"])
    assert agrees(chart["points"][0]["lcl"], CIRCUIT_BOARD["lcl"])
    assert chart["out_of_control_indices"] == CIRCUIT_BOARD_SIGNALS
    # u: nonconformities per part; with 40 parts in every lot it is the c chart divided by 40.
    u = shop.ok("attribute-chart", recipe_id=c.recipe_id, chart="u", subgroup_by="lot")
    assert u["center_line"] == pytest.approx(chart["center_line"] / 40)
    assert u["points"][0]["ucl"] == pytest.approx(chart["points"][0]["ucl"] / 40)
    assert u["out_of_control_indices"] == CIRCUIT_BOARD_SIGNALS


def test_unequal_subgroups_by_run_count_have_their_own_limits(shop):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    shop.measure(c, [BAD] * 3 + [GOOD] * 7 + [BAD] + [GOOD] * 4, lot=None)
    chart = shop.ok("attribute-chart", recipe_id=c.recipe_id, chart="p", subgroup_by="run_count",
                    runs_per_subgroup=10)
    assert [(p["key"], p["n"], p["count"]) for p in chart["points"]] == [("1-10", 10, 3), ("11-20", 5, 1)]
    p_bar = 4 / 15
    assert chart["center_line"] == pytest.approx(p_bar)
    for point in chart["points"]:
        assert point["ucl"] == pytest.approx(p_bar + 3 * (p_bar * (1 - p_bar) / point["n"]) ** 0.5)
        assert point["lcl"] == 0.0
    lots = shop.ok("attribute-chart", recipe_id=c.recipe_id, chart="c", subgroup_by="lot")
    assert [p["key"] for p in lots["points"]] == ["(no lot)"]


def test_subgroups_by_day_and_by_shift(shop, client, admin):
    c = shop.characteristic(nominal=10.0, ltl=9.0, utl=11.0)
    refused = shop.get("attribute-chart", recipe_id=c.recipe_id, chart="p", subgroup_by="shift")
    assert refused.status_code == 409
    stored = shop.measure(c, [BAD, GOOD, GOOD, GOOD])
    for name, starts, ends in (("Day", "06:00", "18:00"), ("Night", "18:00", "06:00")):
        assert client.post("/api/shifts", json={"name": name, "starts": starts, "ends": ends},
                           headers=admin.headers).status_code == 201
    day = datetime.fromisoformat(stored[0]["measured_at"].replace("Z", "+00:00")).astimezone(UTC).date().isoformat()
    by_day = shop.ok("attribute-chart", recipe_id=c.recipe_id, chart="p", subgroup_by="day")
    assert [(p["key"], p["n"], p["count"]) for p in by_day["points"]] == [(day, 4, 1)]
    by_shift = shop.ok("attribute-chart", recipe_id=c.recipe_id, chart="u", subgroup_by="shift")
    at = datetime.fromisoformat(stored[0]["measured_at"].replace("Z", "+00:00")).astimezone(UTC)
    started = at.date() if at.hour >= 6 else at.date() - timedelta(days=1)  # a night belongs to its first day
    name = "Day" if 6 <= at.hour < 18 else "Night"
    assert [(p["key"], p["n"], p["count"]) for p in by_shift["points"]] == [(f"{started.isoformat()} {name}", 4, 1)]
    assert shop.get("attribute-chart", recipe_id=c.recipe_id, chart="x").status_code == 422
    assert shop.get("attribute-chart", recipe_id=999_999, chart="p").status_code == 404
