"""The metrologist reads a non-normal capability with its intervals, subgroups by lot, CUSUM and p chart, in English and Italian."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.statistics.test_nonnormal_published_api import DIAMETER
from tests.web.helpers import make_recipe

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


def measured_diameters(plant):
    """The published 100 diameters (LSL 0, USL 12) in ten lots of ten parts; one value is above the USL."""
    maker = plant.user("Maker", prefix="maker")
    operator = plant.user("MeasurementTec", prefix="operator")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("NONNORM"), per_task=1, drawing=False)
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]
    limits = {"nominal": 6.0, "ltl": 0.0, "lwl": 1.0, "uwl": 11.0, "utl": 12.0}
    assert plant.api.put(f"/api/subtasks/{subtask['id']}", json=limits, headers=maker.headers).status_code == 200
    version = plant.api.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()["current_version"]
    subtask = version["tasks"][0]["subtasks"][0]
    items = [{"subtask_id": subtask["id"], "version_id": version["id"], "value": v, "serial_number": f"D{i:03d}",
              "lot_number": f"L{i // 10 + 1:02d}"} for i, v in enumerate(DIAMETER)]
    stored = plant.api.post("/api/measurements/batch", json={"measurements": items}, headers=operator.headers)
    assert stored.status_code == 200, stored.text
    return recipe["id"], subtask["id"]


@pytest.mark.parametrize("locale, words", [
    ("en", {"distribution": "Weibull", "method": "percentile method (ISO 22514-2)", "basis": "Subgroups by lot",
            "drift": "CUSUM", "attribute": "failed", "ppk": "0.942", "note": "normal theory"}),
    ("it", {"distribution": "Weibull", "method": "metodo dei percentili (ISO 22514-2)", "basis": "Sottogruppi per lotto",
            "drift": "CUSUM", "attribute": "scartat", "ppk": "0,942", "note": "teoria normale"}),
])
def test_capability_intervals_subgroups_and_drift_in_both_languages(new_page, plant, locale, words):
    recipe_id, subtask_id = measured_diameters(plant)
    metrologist = plant.user("Metrologist", prefix="metro")
    plant.api.put("/api/auth/me", json={"language_pref": locale}, headers=metrologist.headers)
    page = new_page(locale=locale)
    sign_in(page, metrologist)
    page.goto(f"/spc/?recipe_id={recipe_id}&subtask_id={subtask_id}&distribution=weibull&chart=xbar_s"
              "&subgroup_by=lot&drift=cusum&attribute=p&attribute_by=lot")
    page.wait_for_load_state("load")
    page.wait_for_selector("#chart-drift .scatterlayer .trace")
    page.wait_for_selector("#chart-attribute .scatterlayer .trace")
    expect(page.locator('[data-testid="distribution"]')).to_contain_text(words["distribution"])
    expect(page.locator('[data-testid="distribution"]')).to_contain_text(words["method"])
    expect(page.locator('[data-testid="fits"]')).to_contain_text("A²")
    expect(page.locator('[data-testid="intervals"] tbody tr')).to_have_count(10)
    # Weibull's Ppk on the 100 values, written with the page language's decimal symbol.
    expect(page.locator('[data-testid="intervals"]')).to_contain_text(words["ppk"])
    expect(page.locator('[data-testid="intervals-note"]')).to_contain_text(words["note"])
    expect(page.locator('[data-testid="subgroup-basis"]')).to_contain_text(words["basis"])
    expect(page.locator('[data-testid="drift-summary"]')).to_contain_text(words["drift"])
    expect(page.locator('[data-testid="attribute-summary"]')).to_contain_text(words["attribute"])
    fitted = page.evaluate("document.getElementById('chart-histogram').data.map(t => t.name)")
    assert any("Weibull" in (name or "") for name in fitted), fitted
    shot(page, f"metrologist-06-nonnormal-capability-{locale}")
