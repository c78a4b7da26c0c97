"""Confirmations on the maker's pages are large in-page dialogs too (never window.confirm)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.helpers import make_recipe

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("measured", [False, True])
def test_removing_a_characteristic_asks_in_page(new_page, plant, measured):
    maker = plant.user("Maker", prefix="maker")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("DLG"), tasks=1, per_task=2)
    task = recipe["current_version"]["tasks"][0]
    if measured:
        operator = plant.user("MeasurementTec", prefix="operator")
        body = {"subtask_id": task["subtasks"][0]["id"], "version_id": recipe["current_version"]["id"],
                "value": 10.0, "serial_number": "SN-1"}
        assert plant.api.post("/api/measurements/", json=body, headers=operator.headers).status_code == 200
    page = new_page()
    page.on("dialog", lambda d: pytest.fail(f"a browser dialog appeared: {d.message}"))
    sign_in(page, maker)
    page.goto(f"/recipes/{recipe['id']}/tasks/{task['id']}")
    page.locator("form[action$='/delete'] button[aria-label=Remove]").first.click()
    dialog = page.locator('[data-testid="confirm-dialog"]')
    expect(dialog).to_contain_text("Remove characteristic 1?")
    page.locator('[data-testid="dialog-ok"]').click()
    if measured:  # the edit makes a new version: a second question says so
        version = page.get_by_test_id("version-dialog")
        expect(version).to_be_visible()
        expect(version).not_to_contain_text("Remove characteristic")
        version.locator('[data-dialog="ok"]').click()
    expect(page.locator("form[action$='/delete'] button[aria-label=Remove]")).to_have_count(1)
    current = plant.api.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()["current_version"]
    assert [s["marker_number"] for s in current["tasks"][0]["subtasks"]] == [2]
    assert current["version_number"] == (2 if measured else 1)
