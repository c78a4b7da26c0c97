"""Starting a serial that is in progress or was measured before: resume, abort with a reason, attempt N."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import sign_in
from .test_station_checks import caliper, part_setup, settled, start_part  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_a_serial_in_progress_is_resumed_or_aborted_with_a_reason(new_page, plant, part_setup):  # noqa: F811
    recipe, operator, *_ = part_setup
    page = new_page()
    sign_in(page, operator)
    first = start_part(page, recipe, "SN-AGAIN")
    caliper(page, "10.0")
    settled(page)

    # The same serial again: no raw id, no developer wording; resume where it stopped.
    page.goto(f"/measure/recipe/{recipe['id']}/start")
    page.fill("#serial_number", "SN-AGAIN")
    page.click("main button[type=submit]")
    panel = page.locator('[data-testid="in-progress"]')
    expect(panel).to_contain_text("Serial SN-AGAIN is already being measured")
    expect(panel).to_contain_text("1 of 4 measured")
    assert not UUID.search(page.locator("main").inner_text())
    assert "409" not in page.locator("main").inner_text()
    page.locator("#resume").click()
    expect(page).to_have_url(re.compile(first + "$"))
    expect(page.locator("#cur-marker")).to_have_text("2")

    # Again, and this time abort it with a reason: a new run starts, attempt 2, last result aborted.
    page.goto(f"/measure/recipe/{recipe['id']}/start")
    page.fill("#serial_number", "SN-AGAIN")
    page.click("main button[type=submit]")
    page.locator("#abort-restart").click()
    expect(page.locator(".banner.error")).to_contain_text("Say why the part is aborted.")
    page.fill("#reason_other", "Part dropped on the floor")
    page.locator("#abort-restart").click()
    expect(page.locator("#value")).to_be_focused()
    second = page.url.rsplit("/", 1)[1]
    assert second != first
    expect(page.locator('[data-testid="attempt"]')).to_contain_text("Attempt 2, last result ABORTED")
    old = plant.api.get(f"/api/runs/{first}", headers=operator.headers).json()
    assert old["status"] == "aborted"

    # A finished run: the next start of the serial says which attempt it is and how the last one ended.
    for value in ("10.0", "11.0", "12.0"):
        caliper(page, value)
    caliper(page, "13.9")
    page.keyboard.press("Enter")
    settled(page)
    page.locator("#finish-btn").click()
    expect(page.locator('[data-testid="run-result"]')).to_have_text("FAIL")
    start_part(page, recipe, "SN-AGAIN")
    expect(page.locator('[data-testid="attempt"]')).to_contain_text("Attempt 3, last result FAIL")
