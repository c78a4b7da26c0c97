"""Italian and English operator pages without strings of the other language (the catalogs: tests/test_catalogs.py)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tiemeasureflow.catalogs import CLIENT
from tiemeasureflow.web import create_web_app

from .helpers import WebSession, assign, make_recipe

SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-confirm", "data-text", "data-incomplete-confirm")


class VisibleText(HTMLParser):
    """Text nodes and user-facing attributes of a page (script bodies are read as JSON)."""

    def __init__(self):
        super().__init__()
        self.strings: list[str] = []
        self._in_script = False
        self._json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in_script = tag in ("script", "style")
        self._json = tag == "script" and attrs.get("type") == "application/json"
        self.strings += [attrs[a].strip() for a in SHOWN_ATTRIBUTES if attrs.get(a)]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._in_script = self._json = False

    def handle_data(self, data):
        if self._json:
            self.strings += [v for v in json.loads(data).get("text", {}).values()]
        elif not self._in_script and data.strip():
            self.strings.append(" ".join(data.split()))


def shown(page: str) -> list[str]:
    parser = VisibleText()
    parser.feed(page)
    return parser.strings


@pytest.fixture
def operator_pages(web_app, client_settings, client, maker, admin, operator):
    """The operator's pages in one language: (name, html) pairs."""
    recipe = make_recipe(client, maker.headers, code="TR-1", per_task=2)
    assign(client, admin.headers, recipe["id"])

    def render(lang: str) -> list[tuple[str, str]]:
        client.put("/api/auth/me", json={"language_pref": lang, "display_name": "Mario Rossi"}, headers=operator.headers)
        session = WebSession(web_app.test_client())
        found = [("login", session.get("/login", headers={"Accept-Language": lang}).get_data(as_text=True))]
        session.login("operator", operator.password)
        found.append(("select", session.get("/measure/select").get_data(as_text=True)))
        found.append(("no match", session.get("/measure/select?q=none").get_data(as_text=True)))
        found.append(("start", session.get(f"/measure/recipe/{recipe['id']}/start").get_data(as_text=True)))
        started = session.post(f"/measure/recipe/{recipe['id']}/start", {"serial_number": "S-1", "lot_number": "L"})
        run_url = started.headers["Location"]
        found.append(("resume list", session.get("/measure/select").get_data(as_text=True)))
        found.append(("run", session.get(run_url).get_data(as_text=True)))
        data = json.loads(re.search(r'id="run-data">(.*?)</script>', found[-1][1], re.S).group(1))
        for row in data["sheet"]:
            session.post_json(f"{run_url}/values", {"subtask_id": row["subtask_id"], "value": str(row["nominal"])})
        session.post(f"{run_url}/finish")
        found.append(("result", session.get(f"{run_url}/result").get_data(as_text=True)))
        found.append(("refused", session.get("/admin/users").get_data(as_text=True)))
        unconfigured = WebSession(create_web_app(client_settings, http=client, station_code="").test_client())
        unconfigured.login("operator", operator.password)
        found.append(("unconfigured", unconfigured.get("/measure/select").get_data(as_text=True)))
        unknown = WebSession(create_web_app(client_settings, http=client, station_code="ST-GONE").test_client())
        unknown.login("operator", operator.password)
        found.append(("unknown", unknown.get("/measure/select").get_data(as_text=True)))
        return found

    return render


@pytest.mark.parametrize("lang, other", [("it", "en"), ("en", "it")])
def test_operator_pages_have_no_strings_of_the_other_language(operator_pages, lang, other):
    catalog = {m.id: m.string for m in CLIENT.read_catalog("it") if m.id and m.string and m.id != m.string}
    # Strings that would betray the other language: English sources on Italian pages and vice versa.
    foreign = set(catalog) if lang == "it" else set(catalog.values())
    foreign -= set(catalog.values()) if lang == "it" else set(catalog)
    for name, page in operator_pages(lang):
        assert f'<html lang="{lang}"' in page, name
        strings = shown(page)
        stray = [s for s in strings if s in foreign or "%(" in s]
        assert not stray, f"{name} ({lang}): {stray}"
