"""The API docs render from the package's own files with the internet out of reach."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("path", "tag", "operation"), [
    ("/api/docs", "measurements", "/api/measurements/batch"),
    ("/integration/api/v1/docs", "StandCloud-compatible public API", "/integration/api/v1/test_run"),
])
def test_docs_render_offline(browser, plant, path, tag, operation):
    context = browser.new_context()
    outside = []

    def only_local(route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:  # no internet on the plant network
            outside.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_local)
    try:
        page = context.new_page()
        page.goto(plant.api_url + path)
        # The tags start folded (the reference API has over a hundred operations): open one.
        page.locator(f'.opblock-tag[data-tag="{tag}"]').click(timeout=20_000)
        page.wait_for_selector(f'.opblock-summary-path[data-path="{operation}"]', timeout=20_000)
        assert page.locator(".opblock").count() >= 5
    finally:
        context.close()
    assert outside == []
