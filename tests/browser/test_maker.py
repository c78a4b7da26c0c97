"""The maker's plan editor in a real browser: edits of a measured version, drafts, release, diff."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.files.samples import drawing_pdf
from tests.web.helpers import drawing_png, make_recipe

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def measured(plant):
    """A two-task recipe with one measurement on version 1, and its maker."""
    maker = plant.user("Maker", prefix="maker")
    operator = plant.user("MeasurementTec", prefix="operator")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("PLAN"), tasks=2, per_task=2)
    version = recipe["current_version"]
    item = {"subtask_id": version["tasks"][0]["subtasks"][0]["id"], "version_id": version["id"], "value": 10.0,
            "serial_number": "SN-1"}
    res = plant.api.post("/api/measurements/batch", json={"measurements": [item]}, headers=operator.headers)
    assert res.status_code == 200, res.text
    return recipe, maker


def current(plant, maker, recipe) -> dict:
    return plant.api.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()["current_version"]


def confirm_new_version(page: Page) -> None:
    """The in-page dialog (not window.confirm) asks before a measured version is copied."""
    dialog = page.get_by_test_id("version-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("creates version 2")
    with page.expect_navigation():  # a form posts, or the balloons' save moves to the copied task
        dialog.locator('[data-dialog="ok"]').click()


def open_task(page: Page, recipe: dict, index: int = 0) -> None:
    page.goto(f"/recipes/{recipe['id']}/tasks/{recipe['current_version']['tasks'][index]['id']}")


def balloons(page: Page, recipe: dict) -> None:
    open_task(page, recipe)
    page.locator("#balloon-palette [data-marker='1']").click()
    box = page.locator("#balloon-editor img").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.3)
    page.click("#save-balloons")


def rename_recipe(page: Page, recipe: dict) -> None:
    page.goto(f"/recipes/{recipe['id']}")
    page.fill("#f-name", "Renamed shaft")
    page.locator(f"form[action$='/{recipe['id']}'] button[type=submit]").click()


def add_task(page: Page, recipe: dict) -> None:
    page.goto(f"/recipes/{recipe['id']}")
    page.fill("#f-title", "Deburring")
    page.get_by_role("button", name="Add task").click()


def reorder(page: Page, recipe: dict) -> None:
    page.goto(f"/recipes/{recipe['id']}")
    page.locator("#task-list li").nth(1).locator("[data-move=up]").click()
    page.click("#save-order")


def task_title(page: Page, recipe: dict) -> None:
    open_task(page, recipe)
    page.fill("#f-title", "Side one")
    task_id = recipe["current_version"]["tasks"][0]["id"]
    page.locator(f"form[action$='/tasks/{task_id}'] button[type=submit]").click()


def delete_task(page: Page, recipe: dict) -> None:
    open_task(page, recipe, 1)
    page.get_by_role("button", name="Delete task").click()
    page.get_by_test_id("dialog-ok").click()  # "Delete task ...?" comes first, in the shared in-page dialog


def upload_drawing(page: Page, recipe: dict) -> None:
    open_task(page, recipe)
    page.set_input_files("#drawing", files=[{"name": "new.png", "mimeType": "image/png", "buffer": drawing_png(600, 300)}])
    page.get_by_role("button", name="Upload drawing").click()


def add_characteristic(page: Page, recipe: dict) -> None:
    open_task(page, recipe)
    page.locator('[form="sub-new"][name="nominal"]').fill("30")
    page.locator('[form="sub-new"][name="utl"]').fill("30.1")
    page.locator("#sub-new button[type=submit]").click()


def change_limit(page: Page, recipe: dict) -> None:
    open_task(page, recipe)
    first = recipe["current_version"]["tasks"][0]["subtasks"][0]["id"]
    page.locator(f'[form="sub-{first}"][name="utl"]').fill("10.4")
    page.locator(f"#sub-{first} button[type=submit]").click()


def remove_characteristic(page: Page, recipe: dict) -> None:
    open_task(page, recipe)
    second = recipe["current_version"]["tasks"][0]["subtasks"][1]["id"]
    page.locator(f"form[action$='/subtasks/{second}/delete'] button").click()
    page.get_by_test_id("dialog-ok").click()  # "Remove characteristic ...?" comes first


def landed(check: Callable[[dict], bool]) -> Callable[[dict], bool]:
    return check


EDITS = {
    "balloons": (balloons, lambda v: v["tasks"][0]["annotations_json"][0]["x"] > 0.6),
    "recipe name": (rename_recipe, lambda v: True),
    "add task": (add_task, lambda v: [t["title"] for t in v["tasks"]][-1] == "Deburring"),
    "reorder": (reorder, lambda v: [t["title"] for t in v["tasks"]] == ["Side 2", "Side 1"]),
    "task title": (task_title, lambda v: v["tasks"][0]["title"] == "Side one"),
    "delete task": (delete_task, lambda v: len(v["tasks"]) == 1),
    "drawing": (upload_drawing, lambda v: v["tasks"][0]["file_path"].endswith(".png")),
    "add characteristic": (add_characteristic, lambda v: len(v["tasks"][0]["subtasks"]) == 3),
    "change limit": (change_limit, lambda v: v["tasks"][0]["subtasks"][0]["utl"] == 10.4),
    "remove characteristic": (remove_characteristic, lambda v: len(v["tasks"][0]["subtasks"]) == 1),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_every_edit_of_a_measured_version_saves_after_an_in_page_confirmation(new_page, plant, measured, edit):
    recipe, maker = measured
    page = new_page()
    page.on("dialog", lambda d: pytest.fail(f"a browser dialog appeared: {d.message}"))
    sign_in(page, maker)
    action, check = EDITS[edit]
    action(page, recipe)
    confirm_new_version(page)
    expect(page.get_by_text("Confirm the new version first.")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    version = current(plant, maker, recipe)
    assert version["version_number"] == 2, edit
    assert check(version), edit
    if edit == "balloons":
        shot(page, "maker-01-balloons-on-measured-version")


def test_draft_release_with_signature_and_diff(new_page, plant, measured):
    recipe, maker = measured
    page = new_page()
    sign_in(page, maker)
    page.goto(f"/recipes/{recipe['id']}")
    page.get_by_test_id("open-draft").click()
    expect(page.get_by_test_id("draft-banner")).to_contain_text("Draft version 2")
    expect(page.get_by_test_id("editing-version")).to_contain_text("draft")

    # Edits land in the draft without any question; operators still get version 1.
    draft = plant.api.get(f"/api/recipes/{recipe['id']}/versions/2", headers=maker.headers).json()
    first = draft["tasks"][0]["subtasks"][0]["id"]
    page.goto(f"/recipes/{recipe['id']}/tasks/{draft['tasks'][0]['id']}")
    page.locator(f'[form="sub-{first}"][name="utl"]').fill("10.4")
    page.locator(f"#sub-{first} button[type=submit]").click()
    expect(page.get_by_test_id("version-dialog")).to_have_count(0)
    expect(page.locator(".banner.success")).to_contain_text("saved")
    assert current(plant, maker, recipe)["version_number"] == 1

    page.goto(f"/recipes/{recipe['id']}")
    expect(page.get_by_test_id("draft-summary")).to_contain_text("Diameter 1: UTL 10.500 -> 10.400")
    shot(page, "maker-02-draft")
    page.get_by_role("link", name="Compare with version 1").click()
    changed = page.get_by_test_id("changed")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("10.5")
    expect(changed).to_contain_text("10.4")
    shot(page, "maker-03-version-diff")

    page.go_back()
    page.fill("#f-release-notes", "UTL of diameter 1 tightened after a customer complaint")
    page.select_option("#f-meaning", "Approved")
    page.fill("#f-sign-password", "not my password")
    page.get_by_role("button", name="Release version 2").click()
    expect(page.locator("body")).to_contain_text("Password does not match")
    assert current(plant, maker, recipe)["version_number"] == 1
    page.fill("#f-sign-password", maker.password)
    page.get_by_role("button", name="Release version 2").click()
    expect(page).to_have_url(re.compile(r"/versions/2$"))
    expect(page.get_by_test_id("signature")).to_contain_text("Approved")
    expect(page.get_by_test_id("change-summary")).to_contain_text("UTL 10.500 -> 10.400")
    shot(page, "maker-04-released-version")
    assert current(plant, maker, recipe)["version_number"] == 2


def test_tolerance_written_as_on_the_drawing(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("FIT"), tasks=1, per_task=1)
    page = new_page()
    sign_in(page, maker)
    open_task(page, recipe)
    page.locator('[form="sub-new"][name="description"]').fill("Bearing seat")
    page.locator('[form="sub-new"][name="tolerance_text"]').fill("25 h7")
    page.locator("#sub-new button[type=submit]").click()
    expect(page.locator(".banner.success")).to_contain_text("added")
    added = current(plant, maker, recipe)["tasks"][0]["subtasks"][-1]
    assert (added["nominal"], added["ltl"], added["utl"], added["tolerance_text"]) == (25.0, 24.979, 25.0, "25 h7")
    row = f"sub-{added['id']}"
    expect(page.locator(f'[form="{row}"][name="ltl"]')).to_have_value(re.compile(r"^24[.,]979$"))
    expect(page.locator(f'[form="{row}"][name="tolerance_text"]')).to_have_value("25 h7")
    page.locator(f'[form="{row}"][name="tolerance_text"]').fill("25 H7")
    page.locator(f"#{row} button[type=submit]").click()
    expect(page.locator(f'[form="{row}"][name="utl"]')).to_have_value(re.compile(r"^25[.,]021$"))
    shot(page, "maker-05-iso-fit")


def test_balloons_on_the_second_page_of_a_pdf_drawing(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    recipe = make_recipe(plant.api, maker.headers, code=plant.unique("PDF"), tasks=1, per_task=2, drawing=False)
    page = new_page()
    sign_in(page, maker)
    open_task(page, recipe)
    page.set_input_files("#drawing", files=[{"name": "shaft.pdf", "mimeType": "application/pdf",
                                             "buffer": drawing_pdf(2)}])
    page.get_by_role("button", name="Upload drawing").click()
    expect(page.locator("#page-tabs [data-page]")).to_have_count(2)
    page.locator("#page-tabs [data-page='2']").click()
    expect(page.locator("#balloon-editor img")).to_have_attribute("src", re.compile(r"/2\.png$"))
    page.wait_for_function("() => { const i = document.querySelector('#balloon-editor img'); "
                           "return i.complete && i.naturalWidth > 0; }")
    page.locator("#balloon-palette [data-marker='2']").click()
    drawing = page.locator("#balloon-editor img")
    drawing.scroll_into_view_if_needed()
    box = drawing.bounding_box()
    drawing.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(page.locator("#balloon-editor .balloon")).to_have_count(1)
    page.click("#save-balloons")
    expect(page.locator("#balloon-status")).to_have_text("Balloon positions saved.")
    shot(page, "maker-06-pdf-page-2-balloon")
    task = current(plant, maker, recipe)["tasks"][0]
    assert task["file_type"] == "pdf" and len(task["file_pages"]) == 2
    [balloon] = task["annotations_json"]
    assert balloon["marker_number"] == 2 and balloon["page"] == 2
    assert balloon["x"] == pytest.approx(0.25, abs=0.02) and balloon["y"] == pytest.approx(0.75, abs=0.02)
    page.locator("#page-tabs [data-page='1']").click()
    expect(page.locator("#balloon-editor .balloon")).to_have_count(0)
