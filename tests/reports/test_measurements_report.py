"""GET /api/reports/measurements: the measurement table as a PDF."""

from __future__ import annotations

import re

import pytest

from tests.reports.conftest import read_pdf


def _values(n: int) -> list[float]:
    """n values cycling through pass (10.05), warning (10.3) and fail (10.6) as 8:1:1."""
    pattern = [10.05, 9.95, 10.1, 9.9, 10.0, 10.15, 9.85, 10.02, 10.3, 10.6]
    return [pattern[i % len(pattern)] for i in range(n)]


def test_table_of_120_rows_spans_pages_with_header_and_numbers(shop):
    plan = shop.recipe()
    bore = plan["subtasks"][0]
    shop.measure(plan["version_id"], bore["id"], _values(120))
    res = shop.report("measurements", recipe_id=plan["recipe_id"], detail="true")
    assert res.headers["content-disposition"] == f'attachment; filename="measurements_report_recipe{plan["recipe_id"]}.pdf"'
    pdf = read_pdf(res)
    # Page 1 holds the summary and 15 rows, later pages about 30 each (A4 landscape).
    assert len(pdf.pages) == 5
    for number, page in enumerate(pdf.pages, start=1):
        assert "Serial" in page and "Result" in page, f"header missing on page {number}"
        assert f"Page {number} of 5" in page
    # Every serial appears once, in time order.
    serials = re.findall(r"SN-\d{4}", pdf.text)
    assert serials == [f"SN-{i:04d}" for i in range(120)]
    # Summary: 96 pass, 12 warning, 12 fail.
    assert re.search(r"Pass\s+96\s+80\.0 %", pdf.pages[0])
    assert re.search(r"Warning\s+12\s+10\.0 %", pdf.pages[0])
    assert re.search(r"Fail\s+12\s+10\.0 %", pdf.pages[0])
    assert re.search(r"Total\s+120\s+100\.0 %", pdf.pages[0])
    assert pdf.text.count("Fail") == 12 + 2  # each failed row, the counts and the "Fails" heading
    assert "10.6" in pdf.text and "#1 Bore diameter" in pdf.text


def test_italian_report_follows_the_language_preference(shop):
    plan = shop.recipe()
    shop.measure(plan["version_id"], plan["subtasks"][0]["id"], [10.05, 10.3, 10.6, 9.95])
    shop.set_language("it")
    pdf = read_pdf(shop.report("measurements", recipe_id=plan["recipe_id"], detail="true"))
    assert len(pdf.pages) == 1
    assert "Rapporto misure" in pdf.text and "Pagina 1 di 1" in pdf.text and "Riepilogo" in pdf.text
    assert "Matricola" in pdf.text and "Esito" in pdf.text
    assert re.search(r"Conforme\s+2\s+50,0 %", pdf.text)
    assert re.search(r"Avviso\s+1\s+25,0 %", pdf.text)
    assert re.search(r"Non conforme\s+1\s+25,0 %", pdf.text)
    assert "10,05" in pdf.text  # decimal comma
    assert "Page" not in pdf.text and "Summary" not in pdf.text


def test_filters_narrow_the_table_and_are_named(shop):
    plan = shop.recipe()
    bore, length = plan["subtasks"]
    shop.measure(plan["version_id"], bore["id"], [10.0, 10.1], lot="LOT-A")
    shop.measure(plan["version_id"], length["id"], [50.0, 50.1, 50.3], serial_prefix="LN", lot="LOT-B")
    pdf = read_pdf(shop.report("measurements", recipe_id=plan["recipe_id"], subtask_id=length["id"], detail="true"))
    assert re.findall(r"LN-\d{4}", pdf.text) == ["LN-0000", "LN-0001", "LN-0002"]
    assert "SN-0000" not in pdf.text
    assert "Characteristic: #2 Overall length" in pdf.text
    pdf = read_pdf(shop.report("measurements", recipe_id=plan["recipe_id"], lot_number="LOT-A", detail="true"))
    assert re.findall(r"(?:SN|LN)-\d{4}", pdf.text) == ["SN-0000", "SN-0001"]
    assert "Lot: LOT-A" in pdf.text


def test_empty_selection_is_a_404_with_a_reason(shop):
    plan = shop.recipe()
    res = shop.report("measurements", recipe_id=plan["recipe_id"])
    assert res.status_code == 404
    assert res.json() == {"detail": "No measurements match the filters: there is nothing to report"}
    shop.measure(plan["version_id"], plan["subtasks"][0]["id"], [10.0])
    res = shop.report("measurements", recipe_id=plan["recipe_id"], date_from="2999-01-01T00:00:00Z")
    assert res.status_code == 404 and "No measurements" in res.json()["detail"]


def test_unknown_recipe_subtask_or_version_is_a_404(shop):
    plan = shop.recipe()
    other = shop.recipe(code="OTHER-01")
    assert shop.report("measurements", recipe_id=9999).json() == {"detail": "Recipe not found"}
    res = shop.report("measurements", recipe_id=plan["recipe_id"], subtask_id=other["subtasks"][0]["id"])
    assert res.status_code == 404 and res.json() == {"detail": "Subtask not found in this recipe"}
    res = shop.report("measurements", recipe_id=plan["recipe_id"], version_id=other["version_id"])
    assert res.status_code == 404 and res.json() == {"detail": "Version not found in this recipe"}


def test_bad_parameters_are_a_422(shop):
    assert shop.report("measurements").status_code == 422
    assert shop.report("measurements", recipe_id="x").status_code == 422
    assert shop.report("measurements", recipe_id=1, date_from="yesterday").status_code == 422


def test_table_stops_at_its_limit_and_says_so(shop):
    plan = shop.recipe()
    shop.measure(plan["version_id"], plan["subtasks"][0]["id"], _values(40))
    pdf = read_pdf(shop.report("measurements", recipe_id=plan["recipe_id"], detail="true", detail_rows=25))
    assert re.findall(r"SN-\d{4}", pdf.text) == [f"SN-{i:04d}" for i in range(25)]
    flat = " ".join(pdf.text.split())
    assert ("The detailed table shows at most 25 rows: here the first 25 of 40 measurements; the CSV/XLSX export "
            "holds them all.") in flat
    assert re.search(r"Total\s+40\s+100\.0 %", pdf.text)
    assert shop.report("measurements", recipe_id=plan["recipe_id"], detail="true", detail_rows=501).status_code == 422
    assert shop.report("measurements", recipe_id=plan["recipe_id"], detail="true", detail_rows=0).status_code == 422


def test_longest_texts_keep_the_layout(shop):
    long_description = {"marker_number": 1, "description": "Very long wording " * 550, "measurement_type": "length",
                        "nominal": 10.0, "utl": 10.5, "ltl": 9.5, "unit": "mm"}
    plan = shop.recipe(subtasks=[long_description])
    subtask_id = plan["subtasks"][0]["id"]
    items = [{"subtask_id": subtask_id, "version_id": plan["version_id"], "value": 10.0 + i / 100,
              "serial_number": ("S" * 250) + f"{i:04d}", "lot_number": "L" * 255} for i in range(5)]
    shop.call(shop.operator, "POST", "/measurements/batch", 200, json={"measurements": items})
    pdf = read_pdf(shop.report("measurements", recipe_id=plan["recipe_id"]))
    assert "Very long wording" in pdf.text and re.search(r"Total\s+5\s", pdf.text)
    spc = read_pdf(shop.report("spc", recipe_id=plan["recipe_id"], subtask_id=subtask_id))
    assert len(spc.pages) == 2 and "n = 5" in spc.pages[0]


@pytest.mark.parametrize("huge", [2**40, 10**20], ids=["past-32-bit", "past-64-bit"])
def test_values_no_database_holds_are_answered_not_failed(shop, huge):
    plan = shop.recipe()
    shop.measure(plan["version_id"], plan["subtasks"][0]["id"], [10.0])
    for kind, extra in (("measurements", {}), ("spc", {"subtask_id": plan["subtasks"][0]["id"]})):
        params = {"recipe_id": plan["recipe_id"], **extra}
        assert shop.report(kind, **{**params, "recipe_id": huge}).json() == {"detail": "Recipe not found"}
        assert shop.report(kind, **params, version_id=huge).status_code == 404
        assert shop.report(kind, **params, station_id=huge).json() == {"detail": "Station not found"}
        assert shop.report(kind, **params, operator_id=huge).status_code == 404
        assert shop.report(kind, **params, lot_number="LOT\x00").status_code == 404
        assert shop.report(kind, **params, date_from="0001-01-01T00:00:00+05:00").status_code == 422


def test_a_corrected_value_shows_what_it_replaced_who_and_why(shop):
    plan = shop.recipe()
    [first] = shop.measure(plan["version_id"], plan["subtasks"][0]["id"], [10.6])
    fixed = shop.call(shop.metrologist, "POST", f"/measurements/{first['id']}/corrections", 201,
                      json={"value": 10.05, "reason": "Wrong feature measured"})
    pdf = read_pdf(shop.report("measurements", recipe_id=plan["recipe_id"], detail="true"))
    assert "10.05 *" in pdf.text and "Corrections" in pdf.text
    line = re.sub(r"\s+", " ", pdf.text)
    assert f"Measurement {fixed['id']} (SN-0000, #1): 10.6 replaced by 10.05, by" in line
    assert "Wrong feature measured" in line
