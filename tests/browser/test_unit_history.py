"""A part's whole history one scan away: the header search, the history table, the reports it links."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.helpers import assign, make_recipe

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


def measure(plant, operator, recipe: dict, serial: str, values: list[float], correction: float | None = None) -> dict:
    """One part measured through the API at the client's station, optionally with a corrected first value."""
    run = plant.api.post("/api/runs", json={"recipe_id": recipe["id"], "serial_number": serial,
                                            "station_code": plant.station_code}, headers=operator.headers)
    assert run.status_code == 201, run.text
    run_id = run.json()["id"]
    version = plant.api.get(f"/api/recipes/{recipe['id']}/versions/1", headers=operator.headers).json()
    subtasks = [s for task in version["tasks"] for s in task["subtasks"]]
    items = [{"subtask_id": s["id"], "value": v} for s, v in zip(subtasks, values, strict=False)]
    stored = plant.api.post(f"/api/runs/{run_id}/measurements", json={"measurements": items}, headers=operator.headers)
    assert stored.status_code == 201, stored.text
    if correction is not None:
        fixed = plant.api.post(f"/api/runs/{run_id}/measurements", headers=operator.headers, json={
            "subtask_id": subtasks[0]["id"], "value": correction, "reason": "Re-clamped"})
        assert fixed.status_code == 201, fixed.text
    done = plant.api.post(f"/api/runs/{run_id}/finish", json={}, headers=operator.headers)
    assert done.status_code == 200, done.text
    return done.json()


def test_a_scanned_serial_opens_the_part_history(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    admin = plant.user(admin=True, prefix="admin")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("HIST"), per_task=2)
    assign(plant.api, admin.headers, recipe["id"])
    operator = plant.user("MeasurementTec", prefix="operator")
    serial = plant.unique("UH")
    first = measure(plant, operator, recipe, serial, [10.9, 11.0])  # balloon 1 out of tolerance
    second = measure(plant, operator, recipe, serial, [10.4, 11.0], correction=10.05)

    page = new_page()
    sign_in(page, operator)
    page.wait_for_load_state("load")
    # A barcode scanner is a keyboard: the serial and Enter, typed into the header's search box.
    page.click("#unit-search")
    page.keyboard.type(serial, delay=5)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/units/{recipe['code']}/{serial}$"))
    rows = page.locator("#unit-runs tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("attempt-count")).to_have_text("2")
    expect(rows.nth(0)).to_have_attribute("data-run-id", first["id"])
    expect(rows.nth(0)).to_contain_text("#1 Diameter 1: 10.9")
    expect(rows.nth(0)).to_contain_text("Alarm")
    expect(rows.nth(1)).to_contain_text("#1 corrected 10.4 → 10.05 by")
    expect(rows.nth(1)).to_contain_text("Re-clamped")
    expect(page.locator("#unit-fais")).to_contain_text("None for this serial.")
    shot(page, "unit-history-01-table")

    # Each run's report is a PDF of that part.
    href = rows.nth(1).locator("a").get_attribute("href")
    report = page.request.get(href)
    assert report.status == 200 and report.headers["content-type"] == "application/pdf"
    assert report.body().startswith(b"%PDF-")

    # The result page of a finished part links its report and its history.
    page.goto(f"/measure/run/{second['id']}/result")
    page.wait_for_load_state("load")
    shot(page, "unit-history-02-result-links")
    assert page.request.get(page.locator("#part-report").get_attribute("href")).status == 200
    page.click("#part-history")
    expect(page.get_by_test_id("unit-serial")).to_have_text(serial)

    # The search page takes the scan straight away (its box has the focus), and says when nothing matches.
    page.goto("/units/")
    page.wait_for_load_state("load")
    expect(page.locator("#unit-serial")).to_be_focused()
    page.keyboard.type("NO-SUCH-SERIAL", delay=5)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("no-unit")).to_contain_text("NO-SUCH-SERIAL")
    shot(page, "unit-history-03-not-found")
