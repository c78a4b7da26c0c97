"""GET /api/reports/spc: the SPC report of one characteristic as a PDF."""

from __future__ import annotations

import re

import pytest

from tests.reports.conftest import read_pdf

# NIST/SEMATECH e-Handbook 6.3.2.2: mean 50.81, UCL 55.8041, LCL 45.8159, MR-bar 1.8778, MR UCL 6.1347.
NIST_FLOWRATE = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]
FLOW = {"marker_number": 1, "description": "Flange width", "measurement_type": "width",
        "nominal": 50.0, "ltl": 44.0, "utl": 56.0, "unit": "µm"}
# qcc's test data: three subgroups of four, LSL 9.9, USL 10.1, target 10.0.
QCC_GROUPED = [10.00, 10.02, 9.98, 10.01, 10.03, 9.99, 10.01, 10.00, 9.97, 10.04, 10.02, 9.99]
QCC = {"marker_number": 1, "description": "Pin diameter", "measurement_type": "diameter",
       "nominal": 10.0, "ltl": 9.9, "utl": 10.1, "unit": "mm"}


def _characteristic(shop, spec: dict, values: list[float], code: str = "SHAFT-01") -> dict:
    plan = shop.recipe(code=code, subtasks=[spec])
    subtask = plan["subtasks"][0]
    shop.measure(plan["version_id"], subtask["id"], values)
    return {"recipe_id": plan["recipe_id"], "subtask_id": subtask["id"], "version_id": plan["version_id"]}


def _statistics(shop, name: str, **params) -> dict:
    res = shop.client.get(f"/api/statistics/{name}", headers=shop.metrologist.headers, params=params)
    assert res.status_code == 200, res.text
    return res.json()


def test_individuals_report_shows_the_published_figures(shop):
    ids = _characteristic(shop, FLOW, NIST_FLOWRATE)
    res = shop.report("spc", **ids)
    assert res.headers["content-disposition"] == \
        f'attachment; filename="spc_report_recipe{ids["recipe_id"]}_st{ids["subtask_id"]}.pdf"'
    pdf = read_pdf(res)
    assert chart_pages(pdf) == 2
    assert "Page 1 of 2" in pdf.pages[0] and "Page 2 of 2" in pdf.pages[1]
    first, second = pdf.pages
    assert "n = 10" in first and "Flange width" in first and "µm" in first
    assert "LTL 44 / UTL 56" in first and "Nominal" in first
    assert "50.81 µm" in first  # mean
    # Control limits of both charts as the statistics API gives them (6 significant digits):
    # the published 45.8159 / 55.8041 and 6.1347 to within the rounding of the book's constants.
    chart = _statistics(shop, "control-chart", **ids)
    mr = chart["secondary"]
    assert abs(chart["lcl"] - 45.8159) < 0.005 and abs(chart["ucl"] - 55.8041) < 0.005
    assert re.search(rf"Individuals \(X\)\s+{chart['lcl']:.6g}\s+50\.81\s+{chart['ucl']:.6g}", second)
    assert re.search(rf"Moving range \(MR\)\s+0\s+{mr['center_line']:.6g}\s+{mr['ucl']:.6g}", second)
    # Indices and intervals exactly as the statistics API computes them (3 decimals).
    cap = _statistics(shop, "capability", **ids)
    for name in ("Cp", "Cpk", "Pp", "Ppk"):
        assert re.search(rf"{name}\s+{cap[name.lower()]:.3f}", first), name
    ci = cap["cpk_ci"]
    assert f"{ci['lower']:.3f} … {ci['upper']:.3f}" in first
    assert "Approval" in second and "Reviewed by" in second and "Signature" in second
    assert "Generated at" in second and "Metrologist" in second


def test_subgroup_report_uses_r_bar_and_qcc_figures(shop):
    ids = _characteristic(shop, QCC, QCC_GROUPED)
    pdf = read_pdf(shop.report("spc", **ids, chart="xbar_r", subgroup_size=4))
    assert chart_pages(pdf) == 2
    first, second = pdf.pages
    # qcc 3.0: Cp 1.372667, Cpk 1.304033, Cpm 1.344463, Pp 1.612598, Ppk 1.531968.
    for name, value in (("Cp", "1.373"), ("Cpk", "1.304"), ("Cpm", "1.344"), ("Pp", "1.613"), ("Ppk", "1.532")):
        assert re.search(rf"{name}\s+{value}", first), name
    assert "σ within (R̄/d₂(4))" in first
    sigma = _statistics(shop, "capability", **ids, subgroup_size=4)["sigma_within"]
    assert f"{sigma:.6g} mm" in first  # sigma within, R-bar/d2(4)
    assert "Means and ranges" in first and "subgroups of 4 consecutive values" in first
    assert "Subgroup mean" in second and "Range (R)" in second


def test_capability_bands_are_named(shop):
    tight = [10.0 + 0.01 * ((i * 7) % 5 - 2) for i in range(30)]
    first = read_pdf(shop.report("spc", **_characteristic(shop, QCC, tight))).pages[0]
    assert re.search(r"Cpk\s+\d\.\d{3}\s+\S+ … \S+\s+≥ \S+\s+capable", first)
    wide = [10.0 + 0.04 * ((i * 7) % 5 - 2) for i in range(30)]
    first = read_pdf(shop.report("spc", **_characteristic(shop, QCC, wide, code="WIDE-01"))).pages[0]
    assert re.search(r"Cpk\s+0\.\d{3}\s+\S+ … \S+\s+≥ \S+\s+not capable", first)
    assert "Bands: ≥ 1.33 capable (green); 1.00–1.33 marginal (amber); < 1.00 not capable (red)." in first


def test_italian_report(shop):
    ids = _characteristic(shop, FLOW, NIST_FLOWRATE)
    shop.set_language("it")
    pdf = read_pdf(shop.report("spc", **ids))
    assert chart_pages(pdf) == 2
    first, second = pdf.pages
    assert "Rapporto SPC" in first and "Pagina 1 di 2" in first and "Pagina 2 di 2" in second
    assert "Capacità di processo" in first and "Istogramma" in first and "Numerosità" in first
    assert "50,81 µm" in first
    chart = _statistics(shop, "control-chart", **ids)
    lcl, ucl = (f"{chart[k]:.6g}".replace(".", ",") for k in ("lcl", "ucl"))
    assert re.search(rf"Individuali \(X\)\s+{lcl}\s+50,81\s+{ucl}", second)
    assert "Verificato da" in second and "Firma" in second and "Generato il" in second
    for english in ("Page", "Process capability", "Histogram", "Signature", "Sample size"):
        assert english not in pdf.text, english


def test_rule_violations_are_listed(shop):
    values = [10.0, 10.01, 9.99, 10.0, 10.02, 9.98, 10.0, 10.01, 9.99, 10.0, 10.09, 10.0, 10.01, 9.99]
    ids = _characteristic(shop, QCC, values)
    chart = _statistics(shop, "control-chart", **ids)
    flagged = [p for p in chart["points"] if p["rules"]]
    assert flagged, "the data must trip rule 1"
    second = read_pdf(shop.report("spc", **ids)).pages[1]
    assert "Rule violations" in second and "No point out of control" not in second
    for point in flagged:
        rules = ", ".join(str(r) for r in point["rules"])
        assert re.search(rf"{point['x'] + 1}\s+\S+ \S+\s+{point['y']:g}\s+{point['serial_number']}\s+{rules}", second)


def test_in_control_data_says_so(shop):
    ids = _characteristic(shop, FLOW, NIST_FLOWRATE)
    second = read_pdf(shop.report("spc", **ids, rules="nelson")).pages[1]
    assert "No point out of control." in second and "Nelson rules 1-8" in second


def test_many_violations_stay_on_two_pages(shop):
    # A drifting process in Nelson's rules: most points fire; the list is cut and says how many are left out.
    values = [10.0 + 0.002 * i for i in range(60)]
    ids = _characteristic(shop, {**QCC, "description": "A long description " * 12}, values)
    pdf = read_pdf(shop.report("spc", **ids, rules="nelson", lot_number="LOT-1"))
    assert chart_pages(pdf) == 2
    assert re.search(r"\d+ earlier points not listed", pdf.pages[1])


@pytest.mark.parametrize("values, expected", [
    ([10.0], "at least 2 values are needed (1 selected)"),
    ([10.0, 10.0, 10.0, 10.0], "no spread: every value is the same"),
])
def test_degenerate_data_gives_a_report_that_says_why(shop, values, expected):
    ids = _characteristic(shop, QCC, values)
    pdf = read_pdf(shop.report("spc", **ids))
    assert chart_pages(pdf) == 2
    assert f"Indices not computable: {expected}" in pdf.pages[0]
    assert re.search(r"Normality \(Anderson-Darling\)\s+not computed \(fewer than 8 values\)", pdf.pages[0])
    assert re.search(r"Cpk\s+–", pdf.pages[0])


def test_subgroup_larger_than_the_data(shop):
    ids = _characteristic(shop, QCC, [10.0, 10.01, 9.99])
    pdf = read_pdf(shop.report("spc", **ids, chart="xbar_r", subgroup_size=5))
    assert "subgroups of 5 but only 3 values selected" in pdf.text


def test_one_sided_tolerance(shop):
    upper_only = {**QCC, "ltl": None}
    ids = _characteristic(shop, upper_only, QCC_GROUPED)
    first = read_pdf(shop.report("spc", **ids, chart="xbar_r", subgroup_size=4)).pages[0]
    assert "LTL not set / UTL 10.1" in first
    assert re.search(r"Cp\s+–", first) and re.search(r"Cpk\s+1\.304", first) and re.search(r"Ppk\s+1\.532", first)


def test_empty_selection_is_a_404(shop):
    plan = shop.recipe(subtasks=[QCC])
    ids = {"recipe_id": plan["recipe_id"], "subtask_id": plan["subtasks"][0]["id"]}
    res = shop.report("spc", **ids)
    assert res.status_code == 404
    assert res.json() == {"detail": "No measurements match the filters: there is nothing to report"}


def test_bad_parameters(shop):
    ids = _characteristic(shop, QCC, QCC_GROUPED)
    assert shop.report("spc", recipe_id=ids["recipe_id"]).status_code == 422  # subtask_id is required
    assert shop.report("spc", **ids, chart="pareto").status_code == 422
    assert shop.report("spc", **ids, chart="xbar_r").status_code == 422  # needs subgroup_size
    assert shop.report("spc", **ids, rules="acme").status_code == 422
    assert shop.report("spc", **ids, n_bins=2).status_code == 422
    assert shop.report("spc", **{**ids, "subtask_id": 9999}).json() == {"detail": "Subtask not found in this recipe"}
    assert shop.report("spc", **ids, station_id=9999).json() == {"detail": "Station not found"}


def chart_pages(pdf) -> int:
    """Pages of the report before the page of the period's alarms (added when the detector raised any)."""
    return len([page for page in pdf.pages if "Alarms of the period" not in page])

