"""The station's reaction to alarms in a real browser: a critical one stops the recipe until acknowledged."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.helpers import assign, make_recipe

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser
PLAN = "STOP the lathe.\nQuarantine the parts since the last good check."


def _recipe(plant, critical: bool):
    maker = plant.user("Maker", prefix="maker")
    admin = plant.user(admin=True, prefix="admin")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("CRIT" if critical else "MAJ"), per_task=2)
    first = recipe["current_version"]["tasks"][0]["subtasks"][0]
    body = {"characteristic_class": "critical" if critical else "major", "reaction_plan": PLAN}
    answer = plant.api.put(f"/api/subtasks/{first['id']}", json=body, headers=maker.headers)
    assert answer.status_code == 200, answer.text
    assign(plant.api, admin.headers, recipe["id"])
    return recipe


def _measure_out_of_tolerance(page, recipe, serial: str) -> None:
    page.goto(f"/measure/recipe/{recipe['id']}/start")
    page.fill("#serial_number", serial)
    page.click("#start-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/measure/run/[0-9a-f-]+$"))
    page.wait_for_load_state("load")  # the page's script listens for the caliper once loaded
    expect(page.locator("#value")).to_be_focused()
    page.keyboard.type("10.9", delay=5)  # balloon 1: nominal 10 +/- 0.5 (out of tolerance, not a gross error)
    page.keyboard.press("Enter")
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bfail\b"))


def test_critical_alarm_shows_the_plan_and_stops_new_parts_until_acknowledged(new_page, plant):
    recipe = _recipe(plant, critical=True)
    operator = plant.user("MeasurementTec", prefix="operator")
    metrologist = plant.user("Metrologist", prefix="metrologist")
    page = new_page()
    sign_in(page, operator)
    _measure_out_of_tolerance(page, recipe, "CR-1")
    overlay = page.locator('[data-testid="reaction-overlay"]')
    expect(overlay).to_be_visible()
    expect(overlay.locator('[data-testid="reaction-plan"]')).to_contain_text("Quarantine the parts")
    shot(page, "reaction-01-critical-plan")
    page.click("#reaction-continue")
    expect(overlay).to_be_hidden()

    # A new part of the recipe: the plan full screen instead of the serial form.
    page.goto(f"/measure/recipe/{recipe['id']}/start")
    expect(page.locator('[data-testid="reaction-stopped"]')).to_be_visible()
    expect(page.locator('[data-testid="reaction-plan"]')).to_contain_text("STOP the lathe.")
    expect(page.locator("#serial_number")).to_have_count(0)
    expect(page.locator(".ack-form")).to_have_count(0)  # the operator cannot release it

    # The metrologist acknowledges from their alarm list, with a cause and the action taken.
    desk = new_page()
    sign_in(desk, metrologist)
    expect(desk).to_have_url(re.compile(r"/attention$"))
    desk.goto("/alarms")
    item = desk.locator("#alarm-list li", has_text=recipe["code"])
    item.locator("select[name=cause]").select_option("tool_wear")
    item.locator("input[name=action]").fill("Insert changed, X offset -0.01")
    item.locator("button[type=submit]").click()
    expect(desk.locator(".banner.success")).to_be_visible()

    # The station is released: the serial form is back.
    page.reload()
    expect(page.locator("#serial_number")).to_be_visible()
    alarms = plant.api.get("/api/alarms", params={"recipe_id": recipe["id"]}, headers=metrologist.headers).json()
    ack = alarms["items"][0]["acknowledgement"]
    assert ack["cause"]["code"] == "tool_wear" and ack["by"]["username"] == metrologist.username


def test_non_critical_alarm_shows_a_banner_and_measuring_goes_on(new_page, plant):
    recipe = _recipe(plant, critical=False)
    operator = plant.user("MeasurementTec", prefix="operator")
    page = new_page()
    sign_in(page, operator)
    _measure_out_of_tolerance(page, recipe, "MJ-1")
    expect(page.locator('[data-testid="reaction-banner"]')).to_be_visible()
    expect(page.locator('[data-testid="reaction-overlay"]')).to_be_hidden()
    expect(page.locator("#value")).to_be_focused()
    shot(page, "reaction-02-banner")
    page.goto(f"/measure/recipe/{recipe['id']}/start")
    expect(page.locator("#serial_number")).to_be_visible()
