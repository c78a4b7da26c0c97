"""A first article in a real browser: the engineer opens the FAI, the operator measures the part at the station,
the engineer numbers the nonconformance, adds Form 2 rows, signs, and downloads the forms."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.web.helpers import assign, make_recipe

from .conftest import shot, sign_in
from .test_operator import caliper

pytestmark = pytest.mark.browser


def test_first_article_from_opening_to_the_signed_forms(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    admin = plant.user(admin=True, prefix="admin")
    engineer = plant.user("Metrologist", "Maker", prefix="quality")
    operator = plant.user("MeasurementTec", prefix="operator")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("FA"), tasks=2, per_task=2)
    assign(plant.api, admin.headers, recipe["id"])
    serial = plant.unique("FA-SN")

    page = new_page()
    sign_in(page, engineer)
    page.goto("/fai/")
    page.wait_for_load_state("load")
    page.select_option("#recipe_id", str(recipe["id"]))
    expect(page.locator("#version_number")).to_have_value("1")
    page.fill("#serial_number", serial)
    page.fill("#reason", "New part number")
    shot(page, "fai-01-open")
    page.click("#open-fai button[type=submit]")
    expect(page).to_have_url(re.compile(r"/fai/\d+$"))
    fai_url = page.url
    expect(page.locator("#fai-status")).to_have_text("Open")
    expect(page.locator("#missing")).to_contain_text("1, 2, 3, 4")

    # The operator measures the first article at the station; balloon 2 comes out long (limits 10.5..11.5).
    station = new_page()
    sign_in(station, operator)
    expect(station.locator("#q")).to_be_focused()  # the scan field, ready for the scanner
    station.keyboard.type(recipe["code"].lower(), delay=5)
    station.keyboard.press("Enter")
    expect(station).to_have_url(re.compile(r"/start$"))
    expect(station.locator("#serial_number")).to_be_focused()
    station.keyboard.type(serial, delay=5)
    station.keyboard.press("Enter")
    station.keyboard.press("Enter")  # no lot
    expect(station).to_have_url(re.compile(r"/measure/run/[0-9a-f-]+$"))
    station.wait_for_load_state("load")
    for count, value in enumerate(("10.02", "11.62", "12.01", "12.98"), start=1):
        caliper(station, value)
        # Each value is taken before the next is typed, as an operator reads the verdict first.
        expect(station.locator("#progress-text")).to_contain_text(f"{count} of 4")
        if value == "11.62":
            expect(station.locator("#verdict")).to_have_class(re.compile(r"\bfail\b"))
            station.keyboard.press("Enter")  # the fail stays on screen until confirmed
    expect(station.locator("#finish-btn")).to_be_focused()
    station.keyboard.press("Enter")
    expect(station.locator('[data-testid="run-result"]')).to_be_visible()

    page.goto(fai_url)
    page.wait_for_load_state("load")
    expect(page.locator("#missing")).to_have_count(0)
    expect(page.locator("#unnumbered")).to_contain_text("2")
    row = page.locator('#characteristics tr[data-label="2"]')
    expect(row.locator(".tag.fail")).to_have_text("11.62 mm")
    row.locator('input[name="nc_number"]').fill("NCR-7")
    row.locator('input[name="comment"]').fill("Rework, re-inspected")
    row.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    expect(page.locator("#unnumbered")).to_have_count(0)
    page.fill('#form2-rows input[name="material_or_process"]', "Steel bar C45")
    page.fill('#form2-rows input[name="certificate_number"]', "3.1-2291")
    page.click('button[form="add-form2"]')
    page.wait_for_load_state("load")
    expect(page.locator("#form2-rows tbody")).to_contain_text("Steel bar C45")

    page.select_option("#meaning", "Verified")
    page.fill("#password", "not my password")
    page.click("#complete-form button[type=submit]")
    expect(page.locator("#fai-status")).to_have_text("Open")
    page.fill("#password", engineer.password)
    shot(page, "fai-02-before-signing")
    page.click("#complete-form button[type=submit]")
    expect(page.locator("#fai-status")).to_have_text("Complete")
    expect(page.locator("#signature")).to_contain_text("Verified")
    expect(page.locator('#characteristics tr[data-label="2"]')).to_contain_text("NCR-7")
    shot(page, "fai-03-complete")

    with page.expect_download() as pdf:
        page.click("#download-pdf")
    assert open(pdf.value.path(), "rb").read(5) == b"%PDF-"
    with page.expect_download() as xlsx:
        page.click("#download-xlsx")
    book = openpyxl.load_workbook(io.BytesIO(open(xlsx.value.path(), "rb").read()))
    form3 = [row for row in book["Form 3"].iter_rows(min_row=6, values_only=True)]
    assert [(r[0], r[4], r[6]) for r in form3] == [("1", "10.02 mm", None), ("2", "11.62 mm", "NCR-7"),
                                                    ("3", "12.01 mm", None), ("4", "12.98 mm", None)]
