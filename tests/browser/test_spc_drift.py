"""The metrologist looks at slow drift (EWMA), go/no-go counts (p chart) and subgroups by lot on the dashboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.spc.subgroup_references import table_6_4_subgroups
from tests.statistics.pistonrings import SUBGROUPS
from tests.web.helpers import make_recipe

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


def test_ewma_p_chart_and_lots_of_unequal_size(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    operator = plant.user("MeasurementTec", prefix="operator")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("DRIFT"), per_task=1, drawing=False)
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]
    # A tight tolerance, so that some rings fail and the p chart has something to count.
    tight = plant.api.put(f"/api/subtasks/{subtask['id']}", json={"nominal": 74.0, "ltl": 73.99, "lwl": 73.995, "uwl": 74.005, "utl": 74.01},
                          headers=maker.headers)
    assert tight.status_code == 200, tight.text
    version = plant.api.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()["current_version"]
    version_id = version["id"]
    subtask = version["tasks"][0]["subtasks"][0]
    samples = table_6_4_subgroups(SUBGROUPS)
    items = [{"subtask_id": subtask["id"], "version_id": version_id, "value": v, "serial_number": f"R{k}-{n}",
              "lot_number": f"L{k:02d}"} for k, sample in enumerate(samples, start=1) for n, v in enumerate(sample)]
    stored = plant.api.post("/api/measurements/batch", json={"measurements": items}, headers=operator.headers)
    assert stored.status_code == 200, stored.text
    metrologist = plant.user("Metrologist", prefix="metro")
    page = new_page()
    sign_in(page, metrologist)
    page.goto(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}&chart=xbar_s&subgroup_by=lot")
    page.wait_for_load_state("load")
    page.wait_for_selector("#chart-control .scatterlayer .trace")
    # The stepped limits of each lot are drawn over the chart: 25 points, wider where a lot is smaller.
    ucl = page.evaluate("document.getElementById('chart-control').data.slice(-2)[0].y")
    assert len(ucl) == 25 and ucl[1] > ucl[0]
    page.select_option("#d-chart", "ewma")
    page.select_option("#a-chart", "p")
    page.click("#drift-apply")
    page.wait_for_load_state("load")
    page.wait_for_selector("#chart-drift .scatterlayer .trace")
    page.wait_for_selector("#chart-attribute .scatterlayer .trace")
    expect(page.locator('[data-testid="drift-summary"]')).to_contain_text("EWMA")
    keys = page.evaluate("document.getElementById('chart-attribute').data[0].x")
    assert keys == [f"L{k:02d}" for k in range(1, 26)]
    shares = page.evaluate("document.getElementById('chart-attribute').data[0].y")
    assert 0 < max(shares) <= 1 and min(shares) < max(shares)
    shot(page, "metrologist-05-drift-and-attribute-charts")
