"""Maker, metrologist and admin in a real browser against real servers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.helpers import assign, make_recipe, station_id

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


def test_maker_places_a_balloon_by_clicking_the_drawing(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("BALLOON"), per_task=2)
    task = recipe["current_version"]["tasks"][0]
    # Start from a drawing without balloons.
    plant.api.put(f"/api/tasks/{task['id']}", json={"annotations_json": []}, headers=maker.headers)
    page = new_page()
    sign_in(page, maker)
    page.goto(f"/recipes/{recipe['id']}/tasks/{task['id']}")
    image = page.locator("#balloon-editor img")
    expect(image).to_be_visible()
    page.wait_for_function("document.querySelector('#balloon-editor img').complete")
    page.click('#balloon-palette [data-marker="2"]')
    box = image.bounding_box()
    page.mouse.click(box["x"] + 0.30 * box["width"], box["y"] + 0.40 * box["height"])
    expect(page.locator('[data-balloon="2"]')).to_be_visible()
    page.click("#save-balloons")
    expect(page.locator("#balloon-status")).to_have_text("Balloon positions saved.")
    shot(page, "maker-01-balloon-placed")
    stored = plant.api.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()
    balloons = stored["current_version"]["tasks"][0]["annotations_json"]
    assert [b["marker_number"] for b in balloons] == [2]
    assert balloons[0]["x"] == pytest.approx(0.30, abs=0.01) and balloons[0]["y"] == pytest.approx(0.40, abs=0.01)

    # Inline limit validation: an upper limit below the nominal is flagged before sending.
    row = page.locator('tr[data-form="sub-new"]')
    row.locator('[name="nominal"]').fill("20")
    row.locator('[name="utl"]').fill("19")
    expect(page.locator('[data-error-for="sub-new"]')).to_contain_text("UTL")
    shot(page, "maker-02-limit-check")


def test_maker_reorders_tasks_by_dragging(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("ORDER"), tasks=3, per_task=1, drawing=False)
    page = new_page()
    sign_in(page, maker)
    page.goto(f"/recipes/{recipe['id']}")
    items = page.locator("#task-list li")
    items.nth(2).locator(".handle").drag_to(items.nth(0))
    expect(page.locator("#save-order")).to_be_enabled()
    shot(page, "maker-03-reorder")
    page.click("#save-order")
    expect(page.locator("#task-list li").first).to_contain_text("Side 3")
    titles = [t["title"] for t in plant.api.get(f"/api/recipes/{recipe['id']}", headers=maker.headers)
              .json()["current_version"]["tasks"]]
    assert titles[0] == "Side 3"


def test_metrologist_chart_shows_every_point(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    admin = plant.user(admin=True, prefix="admin")
    operator = plant.user("MeasurementTec", prefix="operator")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("SPC"), per_task=1, drawing=False)
    assign(plant.api, admin.headers, recipe["id"])
    subtask = recipe["current_version"]["tasks"][0]["subtasks"][0]
    values = [10.0, 10.1, 9.9, 10.05, 9.95, 10.3, 9.6, 10.02, 9.98, 10.6, 10.01, 9.97]
    for n, value in enumerate(values):
        run = plant.api.post("/api/runs", json={"recipe_id": recipe["id"], "serial_number": f"P{n}",
                                                "station_code": "ST-DEFAULT"}, headers=operator.headers).json()
        plant.api.post(f"/api/runs/{run['id']}/measurements", json={"subtask_id": subtask["id"], "value": value},
                       headers=operator.headers)
    metrologist = plant.user("Metrologist", prefix="metro")
    page = new_page()
    sign_in(page, metrologist)
    page.goto(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}")
    page.wait_for_selector("#chart-control .scatterlayer .trace")
    drawn = page.evaluate("document.getElementById('chart-control').data[0].y")
    assert drawn == values
    markers = page.locator("#chart-control .scatterlayer .trace").first.locator(".points path")
    expect(markers).to_have_count(len(values))
    expect(page.locator('[data-testid="kpi-count"]')).to_have_text(str(len(values)))
    page.wait_for_selector("#chart-histogram .barlayer")
    shot(page, "metrologist-01-dashboard")
    # Hovering a point shows its value, serial and operator.
    page.locator("#chart-control").scroll_into_view_if_needed()
    point = markers.nth(6).bounding_box()
    page.mouse.move(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2, steps=5)
    expect(page.locator("#chart-control .hoverlayer")).to_contain_text("P6")
    shot(page, "metrologist-02-hover")


def test_admin_assigns_a_recipe_and_the_operator_list_changes(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("ASSIGN"), drawing=False)
    operator = plant.user("MeasurementTec", prefix="operator")
    admin = plant.user(admin=True, prefix="admin")
    tablet = new_page()
    sign_in(tablet, operator)
    expect(tablet.locator("main")).not_to_contain_text(recipe["code"])

    office = new_page()
    sign_in(office, admin)
    office.goto("/admin/stations")
    sid = station_id(plant.api, admin.headers)
    office.click(f'[data-assign-station="{sid}"]')
    expect(office.locator("#assign-dialog")).to_be_visible()
    office.fill("#assign-filter", recipe["code"])
    office.select_option("#available", str(recipe["id"]))
    office.click("#assign-add")
    expect(office.locator("#assigned")).to_contain_text(recipe["code"])
    shot(office, "admin-01-assignment-dialog")
    office.click("#assign-form button[type=submit]")
    expect(office.locator('[data-testid="assigned-ST-DEFAULT"]')).to_contain_text(recipe["code"])
    shot(office, "admin-02-stations")

    tablet.reload()
    expect(tablet.locator("#recipe-list")).to_contain_text(recipe["code"])
    tablet.click(f'[data-recipe-code="{recipe["code"]}"]')
    expect(tablet).to_have_url(re.compile(r"/start$"))
