"""Every role's screens on a small believable plant, in both languages: no script errors, no error
banners; the screenshots (test-artifacts/browser/guide-*.png) are the ones the user guide shows."""

from __future__ import annotations

import io
import random
import threading

import pytest
from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Page, expect
from waitress.server import create_server

from tests.fixtures.app import make_client_settings
from tests.web.helpers import drawing_png
from tiemeasureflow.web import create_web_app

from .conftest import free_port, shot, sign_in, wait_until_up

pytestmark = pytest.mark.browser

CHARACTERISTICS = [
    ("Flange", [(1, "Outside diameter Ø80", "diameter", 80.0, 0.10, 0.06), (2, "Flange thickness", "thickness", 12.0, 0.05, 0.03)]),
    ("Hub", [(3, "Bore Ø40 H7", "diameter", 40.0, 0.025, 0.015), (4, "Hub length", "length", 35.0, 0.1, 0.06)]),
]


def logo_png() -> bytes:
    image = Image.new("RGB", (420, 100), "white")
    pen = ImageDraw.Draw(image)
    pen.ellipse((10, 10, 90, 90), outline="#1f5fbf", width=10)
    pen.text((110, 28), "OFFICINE ROSSI", fill="#16324f", font=ImageFont.load_default(size=40))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def build_plant(plant) -> dict:
    """A flange recipe with two drawings, a station, and 30 measured parts."""
    admin = plant.user(admin=True, prefix="anna")
    maker = plant.user("Maker", prefix="marco")
    operator = plant.user("MeasurementTec", prefix="olga")
    api, code = plant.api, plant.unique("FL")
    api.put("/api/settings/", json={"company_name": "Officine Rossi"}, headers=admin.headers)
    api.post("/api/settings/logo", files={"file": ("logo.png", logo_png(), "image/png")}, headers=admin.headers)
    recipe = api.post("/api/recipes", json={"code": code, "name": "Flange DN40", "description": "Turned flange",
                                            "change_notes": "First issue"}, headers=maker.headers).json()
    for title, items in CHARACTERISTICS:
        upload = api.post("/api/files/upload", files={"file": ("drawing.png", drawing_png(900, 450), "image/png")},
                          data={"recipe_id": str(recipe["id"])}, headers=maker.headers).json()
        subtasks = [{"marker_number": m, "description": d, "measurement_type": t, "nominal": n, "utl": n + tol,
                     "uwl": n + warn, "lwl": n - warn, "ltl": n - tol, "unit": "mm"} for m, d, t, n, tol, warn in items]
        balloons = [{"marker_number": m, "x": 0.25 + 0.4 * i, "y": 0.35 + 0.2 * i} for i, (m, *_rest) in enumerate(items)]
        api.post(f"/api/recipes/{recipe['id']}/tasks", json={
            "title": title, "directive": "Measure with the digital caliper", "subtasks": subtasks,
            "file_path": upload["file_path"], "file_type": "image", "annotations_json": balloons}, headers=maker.headers)
    stations = api.get("/api/stations", headers=admin.headers).json()
    default = next(s for s in stations if s["code"] == plant.station_code)
    api.post(f"/api/stations/{default['id']}/recipes", json={"recipe_id": recipe["id"]}, headers=admin.headers)
    api.post("/api/stations", json={"code": plant.unique("ST-LINE"), "name": "Turning line B", "location": "Hall 2"},
             headers=admin.headers)
    recipe = api.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()
    rng = random.Random(7)
    subtasks = [s for t in recipe["current_version"]["tasks"] for s in t["subtasks"]]
    for n in range(30):
        run = api.post("/api/runs", json={"recipe_id": recipe["id"], "serial_number": f"F{1000 + n}",
                                          "lot_number": f"L{n // 10 + 1}", "station_code": plant.station_code},
                       headers=operator.headers).json()
        values = [{"subtask_id": s["id"], "value": round(rng.gauss(s["nominal"] + (s["utl"] - s["nominal"]) * 0.1,
                                                                    (s["utl"] - s["nominal"]) / 3.2), 3),
                   "input_method": "usb_caliper"} for s in subtasks]
        api.post(f"/api/runs/{run['id']}/measurements", json={"measurements": values}, headers=operator.headers)
        api.post(f"/api/runs/{run['id']}/finish", json={}, headers=operator.headers)
    return {"admin": admin, "maker": maker, "operator": operator, "recipe": recipe, "subtasks": subtasks}


def watch(page: Page) -> list[str]:
    """Collect script errors and policy violations of a page."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    return problems


def visit(page: Page, url: str, name: str, full_page: bool = True) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    expect(page.locator(".banner.error")).to_have_count(0)
    shot(page, f"guide-{name}", full_page)


def test_every_role_screen_renders_cleanly(new_page, plant):
    scene = build_plant(plant)
    recipe, subtasks = scene["recipe"], scene["subtasks"]
    rid, task_id = recipe["id"], recipe["current_version"]["tasks"][0]["id"]

    plant.api.put("/api/auth/me", json={"language_pref": "it", "display_name": "Olga Bianchi"},
                  headers=scene["operator"].headers)
    tablet = new_page(locale="it")
    problems = watch(tablet)
    visit(tablet, "/login", "login")
    sign_in(tablet, scene["operator"])
    visit(tablet, "/measure/select", "operator-select")
    visit(tablet, f"/measure/recipe/{rid}/start?lot_number=L4", "operator-start")
    tablet.fill("#serial_number", "F2001")
    tablet.click("main button[type=submit]")
    tablet.wait_for_load_state("load")  # the page's script listens for the caliper once loaded
    expect(tablet.locator("#value")).to_be_focused()
    for value in ("80.03", "12.04"):
        tablet.keyboard.type(value, delay=5)
        tablet.keyboard.press("Enter")
    expect(tablet.locator("#progress-text")).to_contain_text("2 di 4")
    tablet.wait_for_load_state("networkidle")
    shot(tablet, "guide-operator-measuring")
    for value in ("40.004", "35.02"):
        tablet.keyboard.type(value, delay=5)
        tablet.keyboard.press("Enter")
    tablet.locator("#finish-btn").press("Enter")
    expect(tablet.locator('[data-testid="run-result"]')).to_have_text("CONFORME CON AVVISI")
    shot(tablet, "guide-operator-result")
    assert problems == []

    dark = new_page(locale="en", theme="dark")
    plant.api.put("/api/auth/me", json={"theme_pref": "dark", "language_pref": "en"}, headers=scene["maker"].headers)
    problems = watch(dark)
    sign_in(dark, scene["maker"])
    visit(dark, "/recipes/", "maker-recipes")
    visit(dark, f"/recipes/{rid}", "maker-recipe")
    visit(dark, f"/recipes/{rid}/tasks/{task_id}", "maker-task")
    visit(dark, f"/recipes/{rid}/versions", "maker-versions")
    assert problems == []

    office = new_page(locale="en")
    metrologist = plant.user("Metrologist", prefix="mia")
    problems = watch(office)
    sign_in(office, metrologist)
    visit(office, f"/spc/?recipe_id={rid}&subtask_id={subtasks[0]['id']}", "metrologist-dashboard")
    visit(office, "/spc/yield", "metrologist-yield")
    visit(office, f"/spc/measurements?recipe_id={rid}", "metrologist-measurements")
    assert problems == []

    admin_page = new_page(locale="en")
    problems = watch(admin_page)
    sign_in(admin_page, scene["admin"])
    for path, name in (("/admin/users", "admin-users"), ("/admin/users/new", "admin-user-form"),
                       ("/admin/stations", "admin-stations"), ("/admin/settings", "admin-settings"),
                       ("/admin/keys", "admin-keys"), ("/admin/audit", "admin-audit")):
        visit(admin_page, path, name, full_page=name != "admin-audit")
    admin_page.goto("/admin/keys")
    admin_page.fill("#f-name", "Power BI dashboard")
    admin_page.click("main form button[type=submit]")
    expect(admin_page.locator('[data-testid="once-key"]')).to_be_visible()
    shot(admin_page, "guide-admin-key-once")
    assert problems == []


def test_station_not_configured_page(new_page, plant, tmp_path):
    app = create_web_app(make_client_settings(tmp_path), api_url=plant.api_url, station_code="")
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        wait_until_up(f"http://127.0.0.1:{port}/login")
        page = new_page(locale="it")
        response = page.goto(f"http://127.0.0.1:{port}/measure/select")
        assert response.status == 503
        expect(page.locator("h1")).to_have_text("Stazione non configurata")
        shot(page, "guide-station-not-configured")
    finally:
        server.close()
