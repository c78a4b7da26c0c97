"""The Italian dashboard words the statistics API's run rules, σ estimator and automatic choice in Italian."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.helpers import make_recipe

from .conftest import sign_in

pytestmark = pytest.mark.browser
# Skewed on purpose (a runout-like tail), so that the automatic choice rejects the normal distribution.
VALUES = [0.002, 0.003, 0.003, 0.004, 0.004, 0.004, 0.005, 0.005, 0.006, 0.006, 0.007, 0.008, 0.009, 0.011, 0.013,
          0.016, 0.02, 0.026, 0.035, 0.05, 0.003, 0.004, 0.005, 0.004, 0.006]


def test_italian_dashboard_translates_the_apis_wording(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    operator = plant.user("MeasurementTec", prefix="operator")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("ITWORDS"), per_task=1, drawing=False)
    version_id = recipe["current_version"]["id"]
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]
    items = [{"subtask_id": subtask["id"], "version_id": version_id, "value": subtask["nominal"] + v,
              "serial_number": f"S{n}", "lot_number": "L1"} for n, v in enumerate(VALUES)]
    stored = plant.api.post("/api/measurements/batch", json={"measurements": items}, headers=operator.headers)
    assert stored.status_code == 200, stored.text
    metrologist = plant.user("Metrologist", prefix="metro")
    plant.api.put("/api/auth/me", json={"language_pref": "it"}, headers=metrologist.headers)
    page = new_page(locale="it")
    sign_in(page, metrologist)
    page.goto(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}&chart=xbar_r&subgroup_size=5"
              "&distribution=auto")
    page.wait_for_load_state("load")
    expect(page.locator('[data-testid="subgroup-basis"]')).to_contain_text("R-bar/d2(n), range medio")
    expect(page.locator("section.card").first).to_contain_text("range medio, sottogruppi consecutivi di 5")
    choice = page.locator('[data-testid="distribution-choice"]')
    expect(choice).to_contain_text("normalità rifiutata")
    assert "Anderson-Darling p =" not in choice.inner_text()
    rules = page.locator("fieldset[data-rule-set='we']")
    expect(rules).to_contain_text("1 punto a più di 3 sigma dalla linea centrale")
    assert "points in a row" not in rules.inner_text()
