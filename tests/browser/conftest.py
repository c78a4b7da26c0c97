"""Real servers and a real Chromium: the API (uvicorn) and the station client (waitress) on free ports.

The servers run in threads of the test process (each xdist worker has its own) for the whole session,
on their own migrated SQLite database; each test makes its own users and recipes with unique names.
Screenshots go to test-artifacts/browser/ (git-ignored), emptied once per run.
"""

from __future__ import annotations

import fcntl
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from waitress.server import create_server

from tests.fixtures.app import make_client_settings, make_settings
from tests.fixtures.factories import Factory, TestUser
from tiemeasureflow.app import create_app
from tiemeasureflow.kit.db import make_engine
from tiemeasureflow.migrations import upgrade
from tiemeasureflow.web import create_web_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
TABLET = {"width": 1280, "height": 800}
_unique = count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str) -> None:
    for _ in range(200):
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not come up")


@dataclass
class Plant:
    """The running servers and helpers to fill the API with data."""

    api_url: str
    client_url: str
    factory: Factory
    api: httpx.Client
    station_code: str = "ST-DEFAULT"

    def user(self, *roles: str, admin: bool = False, prefix: str = "user") -> TestUser:
        """A fresh user with a unique name."""
        return self.factory.user(*roles, admin=admin, username=f"{prefix}{next(_unique)}")

    def unique(self, prefix: str) -> str:
        """A unique code for recipes and stations."""
        return f"{prefix}-{next(_unique)}"


@pytest.fixture(scope="session")
def plant(tmp_path_factory) -> Iterator[Plant]:
    """The API and the client, served for the whole session."""
    folder = tmp_path_factory.mktemp("browser-plant")
    database = folder / "plant.db"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    engine.dispose()
    settings = make_settings(f"sqlite:///{database}", folder / "data")
    api_app = create_app(settings)
    api_port, client_port = free_port(), free_port()
    api_server = uvicorn.Server(uvicorn.Config(api_app, host="127.0.0.1", port=api_port, log_level="warning",
                                               lifespan="on"))
    api_thread = threading.Thread(target=api_server.run, daemon=True)
    api_thread.start()
    api_url = f"http://127.0.0.1:{api_port}"
    wait_until_up(f"{api_url}/api/health")
    web_app = create_web_app(make_client_settings(folder / "data", station_code="ST-DEFAULT"), api_url=api_url)
    web_server = create_server(web_app, host="127.0.0.1", port=client_port, threads=4)
    web_thread = threading.Thread(target=web_server.run, daemon=True)
    web_thread.start()
    client_url = f"http://127.0.0.1:{client_port}"
    wait_until_up(f"{client_url}/login")
    with httpx.Client(base_url=api_url, timeout=30) as api:
        yield Plant(api_url, client_url, Factory(api_app), api)
    web_server.close()
    api_server.should_exit = True
    api_thread.join(timeout=10)
    api_app.state.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session", autouse=True)
def artifacts_folder(testrun_uid: str) -> Path:
    """A screenshot folder emptied once per run: by the first xdist worker to get here, not by each."""
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    marker = ARTIFACTS / ".run"
    with open(ARTIFACTS.parent / ".browser.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.is_file() or marker.read_text() != testrun_uid:
            shutil.rmtree(ARTIFACTS, ignore_errors=True)
            ARTIFACTS.mkdir()
            marker.write_text(testrun_uid)
    return ARTIFACTS


@pytest.fixture
def new_page(browser, plant):
    """Open a tablet-sized page (its own cookies): new_page(locale='it') -> Page."""
    contexts = []

    def open_page(locale: str = "en", theme: str = "light") -> Page:
        context = browser.new_context(viewport=TABLET, locale=locale, color_scheme=theme, base_url=plant.client_url)
        # An upper bound, not a timing check: three test processes may share the two cores with Chromium.
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page: Page, user: TestUser) -> None:
    """Sign in through the page, as a person would."""
    page.goto("/login")
    page.fill("#username", user.username)
    page.fill("#password", user.password)
    page.click("main button[type=submit]")
    # The click only starts the sign-in: wait until the browser has left the sign-in page, or the
    # test's first keystrokes land on the page that is going away.
    page.wait_for_url(lambda url: urlsplit(url).path != "/login")
    page.wait_for_load_state("load")


def shot(page: Page, name: str, full_page: bool = True) -> Path:
    """Keep a screenshot of the page for the run's artifacts."""
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
