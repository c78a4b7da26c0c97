"""The operator's whole part in a real browser: scan, caliper values, reload, correction, finish, next part."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.helpers import assign, make_recipe

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def part_setup(plant):
    """A two-task recipe (two balloons each) assigned to the client's station, and an operator."""
    maker = plant.user("Maker", prefix="maker")
    admin = plant.user(admin=True, prefix="admin")
    code = plant.unique("SHAFT")
    recipe = make_recipe(plant.api, maker.headers, code=code, tasks=2, per_task=2)
    assign(plant.api, admin.headers, recipe["id"])
    return recipe, plant.user("MeasurementTec", prefix="operator")


def caliper(page: Page, value: str) -> None:
    """What a USB caliper does: type the digits quickly, then Enter."""
    page.wait_for_load_state("load")  # the page\'s script listens for the caliper once loaded
    page.keyboard.type(value, delay=5)
    page.keyboard.press("Enter")


def current_marker(page: Page) -> str:
    return page.locator("#cur-marker").inner_text()


def test_operator_measures_a_whole_part(new_page, plant, part_setup):
    recipe, operator = part_setup
    page = new_page()
    sign_in(page, operator)
    expect(page).to_have_url(re.compile(r"/measure/select$"))
    expect(page.locator("#recipe-list")).to_contain_text(recipe["code"])
    shot(page, "operator-01-select")

    # A barcode scanner types the recipe code and Enter into the focused search box.
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type(recipe["code"].lower(), delay=5)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/start$"))
    expect(page.locator("#serial_number")).to_be_focused()
    page.keyboard.type("SN-0001", delay=5)
    page.keyboard.press("Enter")  # the serial is in: on to the lot
    expect(page.locator("#lot_number")).to_be_focused()
    page.keyboard.type("LOT-42", delay=5)
    shot(page, "operator-02-serial-lot")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/measure/run/[0-9a-f-]+$"))
    run_url = page.url
    page.wait_for_load_state("load")  # the page's script listens for the caliper once loaded

    value_box = page.locator("#value")
    expect(value_box).to_be_focused()
    assert current_marker(page) == "1"
    expect(page.locator('.balloon.current[data-subtask-id]')).to_have_text("1")
    caliper(page, "10.02")
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bpass\b"))
    expect(page.locator("#verdict")).to_contain_text("+0.02")
    assert current_marker(page) == "2"
    caliper(page, "11,35")  # nominal 11, warning band ends at 11.2
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bwarning\b"))
    expect(page.locator("#progress-text")).to_contain_text("2 of 4")
    shot(page, "operator-03-measuring")

    # A crash or a reload loses nothing: the page comes back at balloon 3 with the values kept.
    page.reload()
    expect(page.locator("#cur-marker")).to_have_text("3")
    expect(page.locator("#progress-text")).to_contain_text("2 of 4")
    expect(page.locator('#char-list li[data-subtask-id] .tag.warning')).to_have_count(1)
    expect(page.locator(".task-view:not([hidden]) h2")).to_have_text("Side 2")
    caliper(page, "12.7")  # beyond the tolerance (11.5..12.5): fail
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bfail\b"))
    page.keyboard.press("Enter")  # the fail stays on screen until confirmed
    caliper(page, "13")
    shot(page, "operator-04-all-measured")
    expect(page.locator("#finish-btn")).to_be_focused()

    # Correct balloon 3 before finishing: pick it, measure again.
    page.locator('#char-list li:nth-child(3) button').click()
    expect(page.locator("#cur-marker")).to_have_text("3")
    caliper(page, "12.1")
    page.locator('[data-testid="reason-dialog"]').get_by_role("button", name="Measured again").click()
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bpass\b"))
    expect(page.locator('#char-list li:nth-child(3) .tag')).to_have_class(re.compile(r"\bpass\b"))
    page.locator("#finish-btn").focus()
    page.keyboard.press("Enter")
    expect(page.locator('[data-testid="run-result"]')).to_have_text("PASS WITH WARNINGS")
    shot(page, "operator-05-result")
    run_id = run_url.rsplit("/", 1)[1]
    run = plant.api.get(f"/api/runs/{run_id}", headers=operator.headers).json()
    assert run["status"] == "warning"
    assert sorted(m["value"] for m in run["measurements"]) == [10.02, 11.35, 12.1, 13.0]

    # The next part starts at once, with the lot kept.
    expect(page.locator("#next-part")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#serial_number")).to_be_focused()
    expect(page.locator("#lot_number")).to_have_value("LOT-42")


def test_values_typed_while_the_api_is_away_are_kept_and_sent(new_page, plant, part_setup):
    recipe, operator = part_setup
    plant.api.put("/api/auth/me", json={"language_pref": "it"}, headers=operator.headers)
    page = new_page(locale="it")
    sign_in(page, operator)
    page.goto(f"/measure/recipe/{recipe['id']}/start")
    page.fill("#serial_number", "SN-OFF")
    page.click("main button[type=submit]")
    expect(page.locator("#value")).to_be_focused()
    run_id = page.url.rsplit("/", 1)[1]

    # The network drops: the value stays on the tablet and a banner says so.
    page.route("**/values", lambda route: route.abort())
    caliper(page, "10,01")
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#verdict")).to_contain_text("Non ancora salvato")
    shot(page, "operator-06-offline")
    page.unroute("**/values")
    expect(page.locator("#offline-banner")).to_be_hidden(timeout=15_000)
    expect(page.locator("#verdict")).not_to_contain_text("Non ancora salvato")
    values = plant.api.get(f"/api/runs/{run_id}", headers=operator.headers).json()["measurements"]
    assert [m["value"] for m in values] == [10.01]
