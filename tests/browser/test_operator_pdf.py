"""A PDF drawing on the measuring screen: its rendered pages as images, each with its own balloons."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.files.samples import drawing_pdf
from tests.web.helpers import assign, subtask

from .conftest import shot, sign_in

pytestmark = pytest.mark.browser


def pdf_recipe(plant, maker, admin) -> dict:
    """A recipe whose one task has a two-page PDF drawing: balloon 1 on page 1, balloon 2 on page 2."""
    api, headers = plant.api, maker.headers
    code = plant.unique("PDFOP")
    recipe = api.post("/api/recipes", json={"code": code, "name": f"Flange {code}", "change_notes": "first"},
                      headers=headers).json()
    upload = api.post("/api/files/upload", files={"file": ("flange.pdf", drawing_pdf(2), "application/pdf")},
                      data={"recipe_id": str(recipe["id"])}, headers=headers)
    assert upload.status_code in (200, 201), upload.text
    body = {"title": "Flange", "subtasks": [subtask(1, 10.0), subtask(2, 11.0)],
            "file_path": upload.json()["file_path"], "file_type": "pdf",
            "annotations_json": [{"marker_number": 1, "x": 0.3, "y": 0.4, "page": 1},
                                 {"marker_number": 2, "x": 0.6, "y": 0.7, "page": 2}]}
    created = api.post(f"/api/recipes/{recipe['id']}/tasks", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert len(created.json()["file_pages"]) == 2
    assign(api, admin.headers, recipe["id"])
    return recipe


def test_measuring_screen_shows_the_pdf_pages_with_their_balloons(new_page, plant):
    maker = plant.user("Maker", prefix="maker")
    admin = plant.user(admin=True, prefix="admin")
    recipe = pdf_recipe(plant, maker, admin)
    page = new_page()
    sign_in(page, plant.user("MeasurementTec", prefix="operator"))
    expect(page.locator("#q")).to_be_focused()  # the scan field, ready for the scanner
    page.keyboard.type(recipe["code"].lower(), delay=5)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/start$"))
    expect(page.locator("#serial_number")).to_be_focused()
    page.keyboard.type("SN-PDF-1", delay=5)
    page.keyboard.press("Enter")
    page.keyboard.type("LOT-1", delay=5)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/measure/run/[0-9a-f-]+$"))
    page.wait_for_load_state("load")

    pages = page.locator(".task-view .drawing[data-page]")
    expect(pages).to_have_count(2)
    expect(page.get_by_text("Open the drawing (PDF)")).to_have_count(0)
    for number in (1, 2):
        image = page.locator(f".drawing[data-page='{number}'] img")
        expect(image).to_have_attribute("src", re.compile(rf"/{number}\.png$"))
        image.scroll_into_view_if_needed()
        page.wait_for_function("(n) => { const i = document.querySelector(`.drawing[data-page='${n}'] img`); "
                               "return i.complete && i.naturalWidth > 0; }", arg=number)
        expect(page.locator(f".drawing[data-page='{number}'] .balloon")).to_have_text([str(number)])
    # The balloon sits where the maker put it on its page: 60 % across, 70 % down page 2.
    box = page.locator(".drawing[data-page='2'] img").bounding_box()
    balloon = page.locator(".drawing[data-page='2'] .balloon").bounding_box()
    assert balloon["x"] + balloon["width"] / 2 == pytest.approx(box["x"] + 0.6 * box["width"], abs=3)
    assert balloon["y"] + balloon["height"] / 2 == pytest.approx(box["y"] + 0.7 * box["height"], abs=3)
    page.locator(".drawing[data-page='2'] .balloon").click()
    expect(page.locator("#cur-marker")).to_have_text("2")
    shot(page, "operator-pdf-drawing-page-2")
