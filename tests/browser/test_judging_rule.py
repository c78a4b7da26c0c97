"""The measuring page's own judging (shown before the server answers) agrees with the shared table of cases."""

from __future__ import annotations

import pytest

from tests.judging_cases import CASES, LIMIT_SETS
from tests.web.helpers import assign

from .conftest import sign_in
from .test_station_checks import start_part

pytestmark = pytest.mark.browser


def _recipe(plant) -> dict:
    """A recipe with one characteristic per limit set of the table, made over the API, at the client's station."""
    maker = plant.user("Maker", prefix="maker")
    admin = plant.user(admin=True, prefix="admin")
    code = plant.unique("JUDGE")
    recipe = plant.api.post("/api/recipes", json={"code": code, "name": f"Judging {code}", "change_notes": "cases"},
                            headers=maker.headers)
    assert recipe.status_code == 201, recipe.text
    subtasks = [{"marker_number": i + 1, "description": f"Case set {i + 1}", "measurement_type": "length", "unit": "mm",
                 **{k: v for k, v in limits.as_dict().items() if v is not None}} for i, limits in enumerate(LIMIT_SETS)]
    task = plant.api.post(f"/api/recipes/{recipe.json()['id']}/tasks", headers=maker.headers,
                          json={"title": "Cases", "directive": "Measure", "subtasks": subtasks})
    assert task.status_code == 201, task.text
    recipe = plant.api.get(f"/api/recipes/{recipe.json()['id']}", headers=maker.headers).json()
    assign(plant.api, admin.headers, recipe["id"])
    return recipe


def test_the_measuring_page_judges_the_table_of_cases(new_page, plant):
    recipe = _recipe(plant)
    page = new_page()
    sign_in(page, plant.user("MeasurementTec", prefix="operator"))
    start_part(page, recipe, "SN-JUDGE-1")
    # Each case is judged with the limits the page itself was given (its characteristic sheet).
    cases = [{"marker": LIMIT_SETS.index(case.limits) + 1, "value": case.value} for case in CASES]
    verdicts = page.evaluate("""(cases) => {
        const sheet = JSON.parse(document.getElementById("run-data").textContent).sheet;
        return cases.map((c) => window.tmf.judge(c.value, sheet.find((r) => String(r.marker) === String(c.marker))));
    }""", cases)
    assert list(zip([c.id for c in CASES], verdicts, strict=True)) == [(c.id, c.verdict) for c in CASES]
