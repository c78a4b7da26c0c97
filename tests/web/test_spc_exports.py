"""Downloads and the measurement table show what the dashboard counts, with names instead of ids."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from .helpers import assign, make_recipe

FIRST = [10.0, 10.1, 9.9, 10.05]
SECOND = [10.02, 9.98, 10.2]


def measure(client, operator, recipe_id: int, subtask_id: int, values, prefix: str) -> None:
    for n, value in enumerate(values):
        run = client.post("/api/runs", json={"recipe_id": recipe_id, "serial_number": f"{prefix}{n}",
                                             "lot_number": "L1", "station_code": "ST-DEFAULT"},
                          headers=operator.headers).json()
        stored = client.post(f"/api/runs/{run['id']}/measurements", json={"subtask_id": subtask_id, "value": value},
                             headers=operator.headers)
        assert stored.status_code == 201, stored.text


def two_versions(client, maker, admin, operator) -> tuple[dict, dict, dict]:
    """A characteristic measured on version 1, its limits changed (version 2), then measured again."""
    recipe = make_recipe(client, maker.headers, code="SCOPE-1", per_task=2, drawing=False)
    assign(client, admin.headers, recipe["id"])
    first = recipe["current_version"]["tasks"][0]["subtasks"][0]
    measure(client, operator, recipe["id"], first["id"], FIRST, "A")
    changed = client.put(f"/api/subtasks/{first['id']}", json={"utl": first["utl"] + 0.1},
                         headers=maker.headers)
    assert changed.status_code == 200, changed.text
    recipe = client.get(f"/api/recipes/{recipe['id']}", headers=maker.headers).json()
    second = recipe["current_version"]["tasks"][0]["subtasks"][0]
    assert second["id"] != first["id"] and recipe["current_version"]["version_number"] == 2
    measure(client, operator, recipe["id"], second["id"], SECOND, "B")
    return recipe, first, second


def test_downloads_hold_every_value_the_dashboard_counts_with_readable_columns(
        client, maker, admin, operator, signed_in, metrologist):
    recipe, _first, second = two_versions(client, maker, admin, operator)
    web = signed_in(metrologist)
    query = f"recipe_id={recipe['id']}&subtask_id={second['id']}"
    page = web.get(f"/spc/?{query}").get_data(as_text=True)
    assert f'data-testid="kpi-count">{len(FIRST) + len(SECOND)}<' in page

    body = web.get(f"/spc/download/measurements.csv?{query}").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    assert len(rows) == len(FIRST) + len(SECOND)
    assert [float(r["value"]) for r in rows] == FIRST + SECOND
    assert [r["version_number"] for r in rows] == ["1"] * len(FIRST) + ["2"] * len(SECOND)
    me = client.get("/api/auth/me", headers=operator.headers).json()
    assert {r["operator"] for r in rows} == {me["display_name"]}
    assert {r["recipe_code"] for r in rows} == {"SCOPE-1"} and {r["station_code"] for r in rows} == {"ST-DEFAULT"}
    assert {r["characteristic"] for r in rows} == {second["description"]} and {r["balloon"] for r in rows} == {"1"}
    assert [float(r["upper_limit"]) for r in rows] == [_first["utl"]] * len(FIRST) + [second["utl"]] * 3

    book = load_workbook(io.BytesIO(web.get(f"/spc/download/measurements.xlsx?{query}").data))
    sheet = list(book["measurements"].iter_rows(values_only=True))
    assert len(sheet) == 1 + len(FIRST) + len(SECOND)
    header = list(sheet[0])
    assert [r[header.index("value")] for r in sheet[1:]] == FIRST + SECOND
    assert {r[header.index("operator")] for r in sheet[1:]} == {me["display_name"]}

    one_version = web.get(f"/spc/download/measurements.csv?{query}&version_id={recipe['current_version']['id']}")
    assert len(list(csv.DictReader(io.StringIO(one_version.data.decode("utf-8-sig"))))) == len(SECOND)


def test_measurement_table_shows_names_not_ids(client, maker, admin, operator, signed_in, metrologist):
    recipe, _first, second = two_versions(client, maker, admin, operator)
    web = signed_in(metrologist)
    page = web.get(f"/spc/measurements?recipe_id={recipe['id']}&subtask_id={second['id']}").get_data(as_text=True)
    me = client.get("/api/auth/me", headers=operator.headers).json()
    assert page.count(f'data-testid="operator">{me["display_name"]}<') == len(FIRST) + len(SECOND)
    assert page.count(f'data-testid="characteristic">1 · {second["description"]}<') == len(FIRST) + len(SECOND)
    assert page.count('data-testid="version">1<') == len(FIRST)
    assert f'#{second["id"]}' not in page
