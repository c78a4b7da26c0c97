"""Every statistics route is for Metrologists only (an admin without the role included)."""

from __future__ import annotations

import pytest

from tests.fixtures.roles import check_route

ROUTES = ["summary", "capability", "control-chart", "histogram", "subtasks", "yield", "pareto"]


@pytest.mark.parametrize("route", ROUTES)
def test_only_metrologists(client, role_users, shop, route):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    params = {"recipe_id": c.recipe_id, "subtask_id": c.subtask_id}
    seen = check_route(client, role_users, "GET", f"/api/statistics/{route}", {"metrologist"}, params=params)
    assert seen["metrologist"] == 200
