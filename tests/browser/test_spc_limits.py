"""The metrologist freezes control limits on the SPC dashboard and the chart judges against them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.statistics.pistonrings import VALUES
from tests.web.helpers import make_recipe

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


def test_metrologist_freezes_limits_and_sees_phase_ii_points(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    operator = plant.user("MeasurementTec", prefix="operator")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("RINGS"), per_task=1, drawing=False)
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]
    items = [{"subtask_id": subtask["id"], "version_id": recipe["current_version"]["id"], "value": v,
              "serial_number": f"R{n:03d}"} for n, v in enumerate(VALUES)]
    stored = plant.api.post("/api/measurements/batch", json={"measurements": items}, headers=operator.headers)
    assert stored.status_code == 200, stored.text
    metrologist = plant.user("Metrologist", prefix="metro")
    page = new_page()
    sign_in(page, metrologist)
    page.goto(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}&chart=xbar_r&subgroup_size=5")
    page.wait_for_selector("#chart-control .scatterlayer .trace")
    expect(page.locator('[data-testid="limits-source"]')).to_contain_text("computed")
    flagged = page.evaluate("document.getElementById('chart-control').data[1].x")
    assert 36 not in flagged and {37, 38} <= set(flagged)

    page.fill("#f-count", "25")
    page.fill("#f-reason", "phase I complete")
    page.click("#freeze-limits")
    page.wait_for_selector("#chart-control .scatterlayer .trace")
    expect(page.locator('[data-testid="limits-source"]')).to_contain_text("Frozen limits")
    expect(page.locator('[data-testid="limit-sets"] tbody tr')).to_have_count(1)
    expect(page.locator('[data-testid="limit-sets"]')).to_contain_text("phase I complete")
    flagged = page.evaluate("document.getElementById('chart-control').data[1].x")
    assert {36, 37, 38} <= set(flagged)
    ucl = page.evaluate("document.getElementById('chart-control').layout.shapes[1].y0")
    assert ucl == pytest.approx(74.0143, abs=1e-4)
    shot(page, "metrologist-03-frozen-limits")

    page.select_option("#s-axis", "time")
    page.click("#spc-filters button[type=submit]")
    page.wait_for_selector("#chart-control .scatterlayer .trace")
    first_x = page.evaluate("document.getElementById('chart-control').data[0].x[0]")
    assert isinstance(first_x, str) and first_x.startswith("20")
