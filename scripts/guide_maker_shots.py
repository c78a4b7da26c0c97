"""The user guide's maker screenshots (balloons, draft, diff, release) and the measurement table, taken on a
running demo plant.

    tmf demo --data-dir /tmp/demo --port 8000 --client-port 5000 &
    python scripts/guide_maker_shots.py http://127.0.0.1:5000 http://127.0.0.1:8000 docs/images

Signs in as the demo maker, switches the page to English, opens the first task of SHAFT-042,
prepares the next version as a draft, tightens one limit, compares and releases it with a
signature. Run it on a fresh demo plant: the release changes the plant.
"""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TABLET = {"width": 1280, "height": 800}
RECIPE = "SHAFT-042"
MAKER, PASSWORD = "maker", "demo-maker"


def api_get(api: str, key: str, path: str, **params):
    res = httpx.get(f"{api}/api{path}", params=params, headers={"X-API-Key": key}, timeout=30)
    res.raise_for_status()
    return res.json()


def shoot(page: Page, folder: Path, name: str, full_page: bool = True) -> None:
    page.wait_for_load_state("load")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)
    print("wrote", folder / f"{name}.png")


def sign_in(page: Page, username: str, password: str) -> None:
    """Sign in through the page and switch it to English."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")
    page.locator('button[name="lang"][value="en"]').click()
    page.wait_for_load_state("load")


def measurement_table(browser, client: str, recipe: dict, subtask: dict, folder: Path) -> None:
    """The metrologist's measurement table of one characteristic over every version."""
    page = browser.new_context(viewport=TABLET, locale="en", base_url=client).new_page()
    sign_in(page, "metrologist", "demo-metrologist")
    page.goto(f"/spc/measurements?recipe_id={recipe['id']}&subtask_id={subtask['id']}")
    expect(page.locator("#measurement-table [data-testid=operator]").first).to_be_visible()
    shoot(page, folder, "metrologist-measurements", full_page=False)  # the first rows tell the story


def main(client: str, api: str, folder: Path) -> None:
    key = httpx.post(f"{api}/api/auth/login", json={"username": MAKER, "password": PASSWORD}).json()["api_key"]
    recipe = next(r for r in api_get(api, key, "/recipes", search=RECIPE)["items"] if r["code"] == RECIPE)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=TABLET, locale="en", base_url=client).new_page()
        sign_in(page, MAKER, PASSWORD)

        current = api_get(api, key, f"/recipes/{recipe['id']}")["current_version"]
        task = current["tasks"][0]
        page.goto(f"/recipes/{recipe['id']}/tasks/{task['id']}")
        page.wait_for_function("() => [...document.querySelectorAll('#balloon-editor img')]"
                               ".every(i => i.complete && i.naturalWidth > 0)")
        expect(page.locator("#balloon-editor .balloon").first).to_be_visible()
        shoot(page, folder, "maker-balloon")

        page.goto(f"/recipes/{recipe['id']}")
        page.get_by_test_id("open-draft").click()
        expect(page.get_by_test_id("draft-banner")).to_be_visible()
        number = current["version_number"] + 1
        draft = api_get(api, key, f"/recipes/{recipe['id']}/versions/{number}")
        first = draft["tasks"][0]["subtasks"][0]
        tighter = round(first["utl"] - (first["utl"] - first["nominal"]) / 5, 6)
        page.goto(f"/recipes/{recipe['id']}/tasks/{draft['tasks'][0]['id']}")
        page.locator(f'[form="sub-{first["id"]}"][name="tolerance_text"]').fill("")
        page.locator(f'[form="sub-{first["id"]}"][name="utl"]').fill(repr(tighter))
        page.locator(f"#sub-{first['id']} button[type=submit]").click()
        expect(page.locator(".banner.success")).to_be_visible()

        page.goto(f"/recipes/{recipe['id']}")
        expect(page.get_by_test_id("draft-summary")).to_contain_text("UTL")
        shoot(page, folder, "maker-draft")
        page.get_by_role("link", name=f"Compare with version {number - 1}").click()
        expect(page.get_by_test_id("changed")).to_have_count(1)
        shoot(page, folder, "maker-diff")

        page.go_back()
        page.fill("#f-release-notes", "Upper limit of the bearing seat tightened after the customer's audit")
        page.select_option("#f-meaning", "Approved")
        page.fill("#f-sign-password", PASSWORD)
        page.get_by_role("button", name=f"Release version {number}").click()
        expect(page.get_by_test_id("signature")).to_contain_text("Approved")
        shoot(page, folder, "maker-released")
        measurement_table(browser, client, recipe, task["subtasks"][0], folder)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
