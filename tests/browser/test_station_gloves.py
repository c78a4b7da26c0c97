"""Gloves and portrait: big targets, in-page dialogs, entry panel and Finish in view, readable types."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import sign_in
from .test_station_checks import caliper, part_setup, start_part  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
MIN_TARGET = 64


def open_page(browser, plant, width: int, height: int, locale: str = "en") -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale, has_touch=True,
                                  base_url=plant.client_url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda d: pytest.fail(f"a browser dialog appeared: {d.message}"))
    return page


def heights(page: Page, selector: str) -> list[float]:
    boxes = [page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())]
    return [b["height"] for b in boxes if b]


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (800, 1280)])
def test_targets_fit_gloved_fingers_and_portrait_keeps_entry_and_finish_in_view(browser, plant, part_setup,  # noqa: F811
                                                                                 width, height):
    recipe, operator, *_ = part_setup
    page = open_page(browser, plant, width, height)
    try:
        sign_in(page, operator)
        start_part(page, recipe, f"SN-GLOVE-{width}")
        for selector in ("#value", "#finish-btn", "form[action$='/abort'] button", "#char-list li button",
                         ".task-view:not([hidden]) .balloon", "[data-task-tab]"):
            found = heights(page, selector)
            assert found and min(found) >= MIN_TARGET, (selector, found)
        assert page.evaluate("window.scrollY") == 0
        expect(page.locator("#value")).to_be_in_viewport(ratio=1)
        expect(page.locator("#finish-btn")).to_be_in_viewport(ratio=1)
        toggle = page.locator(".topbar button[name=theme]").bounding_box()
        sign_out = page.locator(".topbar form.signout button").bounding_box()
        assert sign_out["x"] - (toggle["x"] + toggle["width"]) >= 40 or abs(sign_out["y"] - toggle["y"]) >= 40

        # Abort and an incomplete finish ask in large in-page dialogs, never window.confirm.
        page.locator("form[action$='/abort'] button").click()
        dialog = page.locator('[data-testid="confirm-dialog"]')
        expect(dialog).to_contain_text("Abort this part?")
        assert min(heights(page, '[data-testid="confirm-dialog"] button')) >= MIN_TARGET
        page.locator('[data-testid="dialog-cancel"]').click()
        expect(dialog).to_have_count(0)
        page.locator("#value").focus()
        caliper(page, "10.0")
        page.locator("#finish-btn").click()
        expect(dialog).to_contain_text("Some characteristics have no value yet")
        page.locator('[data-testid="dialog-ok"]').click()
        expect(page.locator('[data-testid="run-result"]')).to_have_text("PASS")
    finally:
        page.context.close()


def test_measurement_types_show_translated_labels(browser, plant, part_setup):  # noqa: F811
    recipe, operator, maker, _ = part_setup
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]["id"]
    plant.api.put(f"/api/subtasks/{subtask}", json={"measurement_type": "total_runout"}, headers=maker.headers)
    plant.api.put("/api/auth/me", json={"language_pref": "it"}, headers=operator.headers)
    page = open_page(browser, plant, 1280, 800, locale="it")
    try:
        sign_in(page, operator)
        start_part(page, recipe, "SN-TYPE")
        expect(page.locator("#cur-type")).to_have_text("Oscillazione totale")
        caliper(page, "10.0")
        expect(page.locator("#cur-type")).to_have_text("Lunghezza")
        assert not re.search(r"total_runout|\blength\b", page.locator("main").inner_text())
    finally:
        page.context.close()
