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


def test_rules_are_configured_per_characteristic_on_the_dashboard(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    operator = plant.user("MeasurementTec", prefix="operator")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("RULES"), per_task=1, drawing=False)
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]
    values = [10.0, 9.8, 10.2, 10.1, 9.9] * 4 + [10.05] * 7
    items = [{"subtask_id": subtask["id"], "version_id": recipe["current_version"]["id"], "value": v,
              "serial_number": f"Q{n:03d}"} for n, v in enumerate(values)]
    assert plant.api.post("/api/measurements/batch", json={"measurements": items},
                          headers=operator.headers).status_code == 200
    page = new_page()
    sign_in(page, plant.user("Metrologist", prefix="metro"))
    page.goto(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}")
    expect(page.locator('[data-testid="points-note"]')).to_contain_text("0 out of control")
    page.select_option("#r-set", "nelson")
    nelson = page.locator('fieldset[data-rule-set="nelson"]')
    for rule in ("3", "4", "5", "6", "7", "8"):
        nelson.locator(f'input[name="enabled"][value="{rule}"]').uncheck()
    nelson.locator('input[name="k_nelson_2"]').fill("7")
    page.click("#save-rules")
    expect(page.locator('[data-testid="limits-source"]')).to_contain_text("NELSON 1, 2 (characteristic)")
    expect(page.locator('[data-testid="points-note"]')).to_contain_text("1 out of control")
    expect(page.locator("#chart-control")).to_be_visible()
    assert page.evaluate("document.getElementById('chart-control').data[1].x") == [26]


def test_comparison_page_shows_groups_side_by_side(new_page, plant):
    admin = plant.user(admin=True, prefix="admin")
    maker = plant.user("Maker", prefix="maker")
    operator = plant.user("MeasurementTec", prefix="operator")
    day = plant.unique("Day")
    for half, starts, ends in (("AM", "00:00", "12:00"), ("PM", "12:00", "00:00")):
        shift = plant.api.post("/api/shifts", json={"name": f"{day} {half}", "starts": starts, "ends": ends},
                               headers=admin.headers)
        assert shift.status_code == 201, shift.text
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("CMP"), per_task=1, drawing=False)
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]
    codes = [plant.unique("ST-CMP-A"), plant.unique("ST-CMP-B")]
    for code in codes:
        created = plant.api.post("/api/stations", json={"code": code, "name": code}, headers=admin.headers)
        assert created.status_code == 201, created.text
        plant.api.post(f"/api/stations/{created.json()['id']}/recipes", json={"recipe_id": recipe["id"]},
                       headers=admin.headers)
    nominal = subtask["nominal"]
    for k, code in enumerate(codes):
        for n, delta in enumerate([0.0, 0.01, -0.01, 0.005]):
            run = plant.api.post("/api/runs", json={"recipe_id": recipe["id"], "serial_number": f"{code}-{n}",
                                                    "station_code": code}, headers=operator.headers)
            assert run.status_code == 201, run.text
            plant.api.post(f"/api/runs/{run.json()['id']}/measurements", headers=operator.headers,
                           json={"subtask_id": subtask["id"], "value": nominal + delta + 0.05 * k})
    page = new_page()
    sign_in(page, plant.user("Metrologist", prefix="metro"))
    page.goto(f"/spc/compare?recipe_id={recipe['id']}&subtask_id={subtask['id']}")
    page.wait_for_selector("#chart-by-station .boxlayer")
    medians = page.evaluate("document.getElementById('chart-by-station').data[0].median")
    assert sorted(medians) == pytest.approx([nominal + 0.0025, nominal + 0.0525])
    station_card = page.locator('[data-testid="compare-station"]')
    for code in codes:
        expect(station_card).to_contain_text(code)
    expect(page.locator('[data-testid="compare-shift"]')).to_contain_text(day)
    expect(page.locator('[data-testid="compare-operator"] tbody tr')).to_have_count(1)
    shot(page, "metrologist-04-comparison")
