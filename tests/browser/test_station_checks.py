"""The measuring screen never loses, misattributes or silently accepts a value."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.helpers import assign, make_recipe

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def part_setup(plant):
    """A two-task recipe (balloons 1-2 on Side 1, 3-4 on Side 2) at the client's station, and an operator."""
    maker = plant.user("Maker", prefix="maker")
    admin = plant.user(admin=True, prefix="admin")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("CHK"), tasks=2, per_task=2)
    assign(plant.api, admin.headers, recipe["id"])
    return recipe, plant.user("MeasurementTec", prefix="operator"), maker, admin


def caliper(page: Page, value: str) -> None:
    """What a USB caliper does: type the digits quickly, then Enter."""
    page.wait_for_load_state("load")  # the page\'s script listens for the caliper once loaded
    page.keyboard.type(value, delay=5)
    page.keyboard.press("Enter")


def start_part(page: Page, recipe: dict, serial: str) -> str:
    page.goto(f"/measure/recipe/{recipe['id']}/start")
    page.fill("#serial_number", serial)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")  # the page's script listens for the caliper once loaded
    expect(page.locator("#value")).to_be_focused()
    return page.url.rsplit("/", 1)[1]


def settled(page: Page) -> None:
    """Wait until the page has sent every queued value (its local queue is empty)."""
    for _ in range(300):
        if page.evaluate("localStorage.length") == 0:
            return
        page.wait_for_timeout(50)
    raise AssertionError("values still queued on the page")


def stored(plant, user, run_id: str) -> list[dict]:
    """Every value of the run in the order taken."""
    return plant.api.get(f"/api/runs/{run_id}?include_history=true", headers=user.headers).json()["history"]


def subtask_ids(recipe: dict) -> list[int]:
    return [s["id"] for t in recipe["current_version"]["tasks"] for s in sorted(t["subtasks"],
                                                                              key=lambda s: s["marker_number"])]


def test_a_fail_names_its_balloon_and_holds_until_enter_or_a_new_value(new_page, plant, part_setup):
    recipe, operator, *_ = part_setup
    page = new_page()
    sign_in(page, operator)
    run_id = start_part(page, recipe, "SN-HOLD")
    verdict = page.locator("#verdict")
    caliper(page, "10.02")
    expect(verdict).to_have_class(re.compile(r"\bpass\b"))
    expect(page.locator('[data-testid="verdict-for"]')).to_have_text("Balloon 1 · Diameter 1")
    expect(page.locator("#cur-marker")).to_have_text("2")

    # Balloon 2 is the last of Side 1: a fail must not jump to Side 2.
    caliper(page, "11.7")
    expect(verdict).to_have_class(re.compile(r"\bfail\b"))
    expect(page.locator('[data-testid="verdict-for"]')).to_have_text("Balloon 2 · Diameter 2")
    expect(verdict).to_contain_text("11.7 mm")
    expect(page.locator('[data-testid="hold-prompt"]')).to_be_visible()
    expect(page.locator("#cur-marker")).to_have_text("2")
    expect(page.locator(".task-view:not([hidden]) h2")).to_have_text("Side 1")
    expect(page.locator('.balloon.current.fail')).to_be_in_viewport()
    page.keyboard.press("Enter")  # confirmed: on to the next balloon
    expect(page.locator("#cur-marker")).to_have_text("3")
    expect(page.locator(".task-view:not([hidden]) h2")).to_have_text("Side 2")

    # A fail re-measured at once is a correction: it asks why, and the reason is stored.
    caliper(page, "12.7")
    expect(page.locator("#cur-marker")).to_have_text("3")
    caliper(page, "12.1")
    dialog = page.locator('[data-testid="reason-dialog"]')
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Typing error").click()
    expect(verdict).to_have_class(re.compile(r"\bpass\b"))
    expect(page.locator('[data-testid="verdict-for"]')).to_have_text("Balloon 3 · Diameter 3")
    expect(page.locator("#cur-marker")).to_have_text("4")
    settled(page)
    history = stored(plant, operator, run_id)
    assert [(m["value"], m["correction_reason"]) for m in history] == [
        (10.02, None), (11.7, None), (12.7, None), (12.1, "Typing error")]
    assert history[3]["supersedes_id"] == history[2]["id"]

    # The result page and the measurement table mark the corrected value: what it was, who, why.
    caliper(page, "13.0")
    page.locator("#finish-btn").click()
    expect(page.locator('[data-testid="run-result"]')).to_have_text("FAIL")
    note = f"was 12.7 · {operator.username.capitalize()} · Typing error"
    expect(page.locator('[data-testid="correction"]')).to_have_text(re.compile(re.escape(note), re.I))
    office = new_page()
    sign_in(office, plant.user("Metrologist", prefix="metro"))
    office.goto(f"/spc/measurements?recipe_id={recipe['id']}")
    expect(office.locator('#measurement-table [data-testid="correction"]')).to_have_text(re.compile(re.escape(note), re.I))


def test_a_warning_holds_when_the_station_says_so(new_page, plant, part_setup):
    recipe, operator, _, admin = part_setup
    plant.api.put("/api/settings/", json={"station_hold_on_warning": "true"}, headers=admin.headers)
    try:
        page = new_page()
        sign_in(page, operator)
        start_part(page, recipe, "SN-WARN")
        caliper(page, "10.3")
        expect(page.locator("#verdict")).to_have_class(re.compile(r"\bwarning\b"))
        expect(page.locator('[data-testid="hold-prompt"]')).to_be_visible()
        expect(page.locator("#cur-marker")).to_have_text("1")
        page.keyboard.press("Enter")
        expect(page.locator("#cur-marker")).to_have_text("2")
    finally:
        plant.api.put("/api/settings/", json={"station_hold_on_warning": "false"}, headers=admin.headers)


def test_a_caliper_reading_is_never_lost_when_focus_moved(new_page, plant, part_setup):
    recipe, operator, *_ = part_setup
    page = new_page()
    sign_in(page, operator)
    run_id = start_part(page, recipe, "SN-FOCUS")
    page.locator('[data-task-tab="1"]').click()  # a tap on a task tab takes the focus off the input
    expect(page.locator('[data-task-tab="1"]')).to_be_focused()
    caliper(page, "10.01")
    expect(page.locator('[data-testid="verdict-for"]')).to_have_text("Balloon 1 · Diameter 1")
    page.locator("#char-list li:nth-child(4) button").click()
    expect(page.locator("#cur-marker")).to_have_text("4")
    page.locator("#progress-text").click()
    caliper(page, "-13.0")  # a sign is part of a reading too (judged a fail, then confirmed)
    page.keyboard.press("Enter")
    settled(page)
    assert [(m["subtask_id"], m["value"]) for m in stored(plant, operator, run_id)] == [
        (subtask_ids(recipe)[0], 10.01), (subtask_ids(recipe)[3], -13.0)]

    # Real text fields keep what is typed into them: the reason's free text.
    page.locator("#char-list li:nth-child(1) button").click()
    caliper(page, "10.05")
    field = page.locator('[data-testid="reason-dialog"] input')
    field.click()
    page.keyboard.type("Probe 2.5 dirty", delay=5)
    expect(field).to_have_value("Probe 2.5 dirty")
    page.keyboard.press("Enter")
    settled(page)
    assert stored(plant, operator, run_id)[-1]["correction_reason"] == "Probe 2.5 dirty"


def test_a_value_far_outside_the_tolerance_is_asked_about(new_page, plant, part_setup):
    recipe, operator, maker, _ = part_setup
    third = subtask_ids(recipe)[2]
    res = plant.api.put(f"/api/subtasks/{third}", json={"gross_error_factor": 0.25}, headers=maker.headers)
    assert res.status_code == 200, res.text
    page = new_page()
    sign_in(page, operator)
    run_id = start_part(page, recipe, "SN-GROSS")
    caliper(page, "100")  # a decimal slip: 10.0 meant
    dialog = page.locator('[data-testid="gross-dialog"]')
    expect(dialog).to_contain_text("Is 100 right for Diameter 1 (10 ±0.5 mm)?")
    page.locator('[data-testid="gross-no"]').click()
    expect(page.locator("#cur-marker")).to_have_text("1")
    expect(page.locator("#value")).to_be_focused()
    caliper(page, "10.0")
    expect(page.locator("#cur-marker")).to_have_text("2")
    caliper(page, "13.4")  # 2 tolerance widths beyond 11.5 start at 13.5: a plain fail
    expect(dialog).to_have_count(0)
    page.keyboard.press("Enter")
    caliper(page, "13.0")  # this plan asks from 0.25 widths beyond 12.5 for balloon 3
    page.locator('[data-testid="gross-yes"]').click()
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bfail\b"))
    settled(page)
    assert [(m["value"], m["gross_error_confirmed"]) for m in stored(plant, operator, run_id)] == [
        (10.0, False), (13.4, False), (13.0, True)]
