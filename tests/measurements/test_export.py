"""CSV and XLSX exports: the reference's columns, exact numbers, settings, BOM, neutralised text."""

from __future__ import annotations

import csv
import io
import sys
from datetime import UTC, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.measurements.bulk import bulk_measurements
from tests.measurements.helpers import call, single

COLUMNS = ["id", "subtask_id", "version_id", "measured_by", "value", "pass_fail", "deviation",
           "lot_number", "serial_number", "input_method", "measured_at", "synced_to_csv"]
# Doubles whose text form is easy to get wrong: long mantissas, exponents, subnormals, extremes.
AWKWARD = [0.1 + 0.2, 1 / 3, -2 / 3, 10.123456789012345, 1e-7, -1.5e-300, 5e-324, sys.float_info.max,
           -sys.float_info.max, 123456789012345.67, 9.999999999999998, -0.0, 1e22, 2.5]


@pytest.fixture
def plan(plans):
    return plans.recipe(code="SHAFT/7 A")


def set_format(client, admin, delimiter: str, decimal: str) -> None:
    call(client, admin, "PUT", "/settings/", 200, json={"csv_delimiter": delimiter, "csv_decimal_separator": decimal})


def post_values(client, user, plan, values, serial="SN-1") -> list[dict]:
    items = [single(plan, i % 2, v, serial=f"{serial}-{i}") for i, v in enumerate(values)]
    return call(client, user, "POST", "/measurements/batch", 200, json={"measurements": items}).json()


@pytest.mark.parametrize(("delimiter", "decimal"), [(",", "."), (";", ","), ("\t", ","), ("|", ".")])
def test_csv_reads_back_exactly_with_the_configured_format(client, plan, admin, operator, metrologist,
                                                           delimiter, decimal):
    set_format(client, admin, delimiter, decimal)
    stored = post_values(client, operator, plan, AWKWARD)
    res = call(client, metrologist, "GET", f"/measurements/export/csv?recipe_id={plan.recipe_id}", 200)
    assert res.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.BytesIO(res.content), sep=delimiter, decimal=decimal, keep_default_na=False,
                        dtype={"lot_number": str, "serial_number": str})
    assert list(frame.columns) == COLUMNS
    assert frame["id"].tolist() == [m["id"] for m in stored]
    values = frame["value"].tolist()
    assert values == AWKWARD, [(a, b) for a, b in zip(values, AWKWARD, strict=True) if a != b]
    assert frame["deviation"].tolist() == [m["deviation"] for m in stored]
    assert frame["pass_fail"].tolist() == [m["pass_fail"] for m in stored]
    assert frame["measured_at"].tolist() == [m["measured_at"] for m in stored]
    assert frame["serial_number"].tolist() == [m["serial_number"] for m in stored]


def test_filename_bom_and_filters(client, plans, plan, operator, metrologist):
    other = plans.recipe(code="OTHER")
    mine = post_values(client, operator, plan, [10.0, 20.0, 12.0])
    post_values(client, operator, other, [10.0])
    res = call(client, operator, "GET", f"/measurements/export/csv?recipe_id={plan.recipe_id}&pass_fail=pass", 200)
    today = datetime.now(UTC).strftime("%Y%m%d")
    assert res.headers["content-disposition"] == f'attachment; filename="measurements_SHAFT_7_A_{today}.csv"'
    assert not res.content.startswith(b"\xef\xbb\xbf")
    lines = res.content.decode().splitlines()
    assert lines[0] == ",".join(COLUMNS) and [int(x.split(",")[0]) for x in lines[1:]] == [mine[0]["id"], mine[1]["id"]]
    bom = call(client, metrologist, "GET", f"/measurements/export/csv?version_id={plan.version_id}&bom=true", 200)
    assert bom.content.startswith(b"\xef\xbb\xbfid,")
    assert "measurements_SHAFT_7_A_" in bom.headers["content-disposition"]
    assert len(bom.content.decode("utf-8-sig").splitlines()) == 4
    everything = call(client, metrologist, "GET", "/measurements/export/csv", 200)
    assert "measurements_all_" in everything.headers["content-disposition"]
    assert len(everything.content.splitlines()) == 5


def test_superseded_values_are_exported_only_on_request(client, plan, operator, metrologist):
    [first] = post_values(client, operator, plan, [12.0])
    fixed = call(client, metrologist, "POST", f"/measurements/{first['id']}/corrections", 201,
                 json={"value": 10.0, "reason": "misread"}).json()
    latest = call(client, metrologist, "GET", "/measurements/export/csv", 200).content.decode().splitlines()
    assert [line.split(",")[0] for line in latest[1:]] == [str(fixed["id"])]
    history = call(client, metrologist, "GET", "/measurements/export/csv?include_superseded=true", 200)
    assert len(history.content.decode().splitlines()) == 3


DANGEROUS = ["=1+2", "+SUM(A1:A9)", "-2+3", "@cmd", "\tindent", "=HYPERLINK(\"http://x\")"]


def test_formula_like_text_is_neutralised_and_numbers_are_not(client, plan, operator, metrologist):
    items = [single(plan, 0, -1.5 if i == 0 else 10.0, serial=text, lot="-LOT") for i, text in enumerate(DANGEROUS)]
    call(client, operator, "POST", "/measurements/batch", 200, json={"measurements": items})
    res = call(client, metrologist, "GET", "/measurements/export/csv", 200)
    frame = pd.read_csv(io.BytesIO(res.content), dtype=str, keep_default_na=False)
    assert frame["serial_number"].tolist() == ["'" + text for text in DANGEROUS]
    assert set(frame["lot_number"]) == {"'-LOT"}
    assert frame["value"].tolist()[0] == "-1.5" and frame["deviation"].tolist()[0] == "-11.5"


def expected_cell(column: str, value, decimal: str) -> str:
    """What the CSV should hold for one value of the list API."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    if column in {"pass_fail", "lot_number", "serial_number", "input_method"} and value.startswith(tuple("=+-@\t\r")):
        return "'" + value
    return str(value)


def test_csv_cells_match_the_list_api_row_for_row(client, plans, plan, admin, operator, metrologist):
    bulk_measurements(client, operator, plan, plans.station(), 3)  # taken on whole seconds
    items = [single(plan, 0, 10.5, serial=text, lot=None) for text in ["\tTAB", "A.B", "=X", "plain"]]
    call(client, operator, "POST", "/measurements/batch", 200, json={"measurements": items})
    set_format(client, admin, ";", ",")
    res = call(client, metrologist, "GET", "/measurements/export/csv", 200)
    listed = call(client, metrologist, "GET", "/measurements/?per_page=100", 200).json()["items"]
    expected = [[expected_cell(c, m[c], ",") for c in COLUMNS] for m in sorted(listed, key=lambda m: m["id"])]
    rows = list(csv.reader(io.StringIO(res.content.decode(), newline=""), delimiter=";"))
    assert rows[0] == COLUMNS and rows[1:] == expected
    assert rows[1][10].endswith(":00Z") and rows[4][8] == "'\tTAB" and rows[4][7] == ""


def test_xlsx_has_the_same_data_with_text_kept_as_text(client, plan, admin, operator, metrologist):
    set_format(client, admin, ";", ",")
    stored = post_values(client, operator, plan, AWKWARD[:6])
    call(client, operator, "POST", "/measurements/", 200, json=single(plan, 1, 20.0, serial="=1+2"))
    # XML's markup characters come back as written.
    call(client, operator, "POST", "/measurements/", 200,
         json=single(plan, 1, 20.0, serial="R&D <7> ]]>é", lot="a&b"))
    res = call(client, metrologist, "GET", f"/measurements/export/xlsx?recipe_id={plan.recipe_id}", 200)
    assert res.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="measurements_SHAFT_7_A_' in res.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(res.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert [r[4] for r in rows[1:7]] == AWKWARD[:6] and [r[0] for r in rows[1:7]] == [m["id"] for m in stored]
    formula_cell = list(sheet.iter_rows())[7][8]
    assert formula_cell.value == "=1+2" and formula_cell.data_type == "s"
    assert [r[10] for r in rows[1:7]] == [m["measured_at"] for m in stored]
    assert rows[1][11] is False
    assert rows[8][7:9] == ("a&b", "R&D <7> ]]>é")


def test_xlsx_lists_corrections_with_the_replaced_value_who_and_why(client, plan, operator, metrologist):
    [first] = post_values(client, operator, plan, [10.6])
    fixed = call(client, metrologist, "POST", f"/measurements/{first['id']}/corrections", 201,
                 json={"value": 10.05, "reason": "=Wrong feature"}).json()
    res = call(client, metrologist, "GET", f"/measurements/export/xlsx?recipe_id={plan.recipe_id}", 200)
    book = load_workbook(io.BytesIO(res.content))
    assert book.sheetnames == ["measurements", "corrections"]
    rows = list(book["corrections"].iter_rows(values_only=True))
    assert rows[0] == ("id", "supersedes_id", "superseded_value", "corrected_by", "correction_reason")
    assert rows[1:] == [(fixed["id"], first["id"], 10.6, fixed["corrected_by"], "=Wrong feature")]
    assert fixed["corrected_by"]
