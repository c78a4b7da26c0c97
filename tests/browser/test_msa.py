"""Gauge studies and the run's gauge in a real browser: set-up, readings by caliper in the study's order, results."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.msa.published import AIAG_GRR, AIAG_LINEARITY
from tests.web.helpers import assign, make_recipe

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


def caliper(page: Page, value: str) -> None:
    """What a USB caliper does: type the digits quickly, then Enter."""
    page.wait_for_load_state("load")  # the page\'s script listens for the caliper once loaded
    page.keyboard.type(value, delay=2)
    page.keyboard.press("Enter")


def create_study(page: Page, **fields: str) -> None:
    page.goto("/msa/")
    page.click("#new-study")
    page.select_option("#f-kind", fields.pop("kind"))
    for name, value in fields.items():
        page.fill(f"#f-{name}", value)
    page.click("#study-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/msa/\d+$"))


def test_gauge_rr_and_linearity_entered_at_the_station_reproduce_the_aiag_figures(new_page, plant):
    metrologist = plant.user("Metrologist", prefix="metrologist")
    appraiser = plant.user("MeasurementTec", prefix="appraiser")
    page = new_page()
    sign_in(page, metrologist)
    create_study(page, kind="grr_crossed", name="AIAG R&R", parts="10", appraisers="A, B, C", trials="3")
    study_url = page.url
    shot(page, "msa-01-collect")

    other = new_page()
    sign_in(other, appraiser)
    other.goto(study_url)
    for n in range(90):
        expect(other.locator("#progress")).to_have_text(re.compile(rf"^{n} of 90 "))
        expect(other.locator("#value")).to_be_focused()
        appraiser_name = other.locator("#cur-appraiser").inner_text()
        part = int(other.locator("#cur-part").inner_text())
        trial = int(other.locator("#cur-trial").inner_text())
        value = f"{AIAG_GRR[appraiser_name][trial - 1][part - 1]:.2f}"
        caliper(other, value.replace(".", ",") if n % 2 else value)  # point or comma, as the caliper sends it
    expect(other.locator("#verdict")).to_have_text("Conditional")
    for key, published in (("ev", "0.2019"), ("av", "0.2297"), ("grr", "0.3058"), ("pv", "1.105"), ("tv", "1.146")):
        expect(other.locator(f"#ar-{key}")).to_have_text(published)
    expect(other.locator("#ar-ndc")).to_have_text("5")
    images = other.locator("img.chart")
    expect(images).to_have_count(4)
    for i in range(4):
        images.nth(i).scroll_into_view_if_needed()
        other.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=images.nth(i).element_handle())
    shot(other, "msa-02-results")

    # The same page set up a linearity study with the manual's reference parts.
    create_study(page, kind="linearity", name="AIAG linearity", references="2 4 6 8 10", trials="12")
    readings = {ref: list(values) for ref, values in AIAG_LINEARITY.items()}
    for n in range(60):
        expect(page.locator("#progress")).to_have_text(re.compile(rf"^{n} of 60 "))
        expect(page.locator("#value")).to_be_focused()
        reference = float(page.locator("#cur-reference").inner_text())
        caliper(page, f"{readings[reference].pop():.2f}")
    expect(page.locator("#lin-slope")).to_have_text("-0.13167")
    expect(page.locator("#lin-intercept")).to_have_text("0.73667")
    expect(page.locator("#lin-r2")).to_have_text("71.4 %")
    expect(page.locator("#verdict")).to_have_text("Not acceptable")
    shot(page, "msa-03-linearity")


def test_the_operator_picks_the_gauge_once_and_an_overdue_one_is_locked_out(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    admin = plant.user(admin=True, prefix="admin")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("GAUGED"), tasks=1, per_task=2)
    assign(plant.api, admin.headers, recipe["id"])
    today = datetime.now(UTC).date()
    ok, old = plant.unique("CAL"), plant.unique("CAL")
    for code, due in ((ok, today + timedelta(days=3)), (old, today - timedelta(days=2))):
        res = plant.api.post("/api/gauges", headers=admin.headers, json={
            "code": code, "name": f"Caliper {code}", "kind": "caliper", "next_due_on": due.isoformat()})
        assert res.status_code == 201, res.text
    operator = plant.user("MeasurementTec", prefix="operator")
    page = new_page()
    sign_in(page, operator)
    page.goto(f"/measure/recipe/{recipe['id']}/start")
    page.fill("#serial_number", "SN-G1")
    page.click("#start-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/measure/run/[0-9a-f-]+$"))
    run_url = page.url
    expect(page.locator("#run-gauge")).to_contain_text("No gauge chosen")

    page.click("#pick-gauge")
    expect(page.locator("#gauges")).to_contain_text(old)
    expect(page.locator("#gauge_code")).to_be_focused()
    caliper(page, old)  # a scanner reads the overdue gauge's label
    expect(page.locator(".banner.error")).to_contain_text("overdue")
    expect(page.locator(".banner.error")).to_contain_text((today - timedelta(days=2)).isoformat())
    expect(page.locator("#gauge_code")).to_be_focused()
    page.fill("#gauge_code", "")
    caliper(page, ok)
    expect(page).to_have_url(run_url)
    expect(page.locator("#run-gauge-code")).to_have_text(ok)
    expect(page.locator("#run-gauge-state")).to_have_text("Due soon")
    shot(page, "msa-04-run-gauge")

    expect(page.locator("#value")).to_be_focused()
    caliper(page, "10.01")
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bpass\b"))
    run_id = run_url.rsplit("/", 1)[1]
    stored = []
    for _ in range(100):  # the page saves in the background: wait until the value is in
        stored = plant.api.get(f"/api/runs/{run_id}", headers=operator.headers).json()["measurements"]
        if stored:
            break
        page.wait_for_timeout(100)
    assert [m["gauge_code"] for m in stored] == [ok]
