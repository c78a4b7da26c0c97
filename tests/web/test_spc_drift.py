"""The dashboard's EWMA/CUSUM and attribute charts and its subgroup basis, against the real API."""

from __future__ import annotations

import io
import subprocess

import numpy as np
from pypdf import PdfReader

from tiemeasureflow.spc.cusum import cusum_chart

from .test_spc import VALUES, embedded, measured, metro_web  # noqa: F401 (fixtures)


def test_dashboard_draws_the_cusum_and_the_p_chart(metro_web, measured, client, metrologist):  # noqa: F811
    recipe, subtask = measured
    page = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}&drift=cusum&cusum_h=2"
                         "&attribute=p&attribute_by=lot").get_data(as_text=True)
    data = embedded(page, "spc-drift-data")
    drift = data["drift"]
    assert drift["chart"] == "cusum" and drift["cusum_h"] == 2.0 and drift["parameters_source"] == "computed"
    expected = cusum_chart(np.array(VALUES), drift["target"], drift["sigma"], 0.5, 2.0)
    assert [p["y"] for p in drift["points"]] == list(expected.upper)
    assert drift["out_of_control_indices"] == expected.signals.tolist()
    assert 'data-testid="drift-summary"' in page and 'id="chart-drift"' in page
    attribute = data["attribute"]
    summary = client.get("/api/statistics/summary", params={"recipe_id": recipe["id"], "subtask_id": subtask["id"]},
                         headers=metrologist.headers).json()
    assert [(p["key"], p["n"], p["count"]) for p in attribute["points"]] == [("L1", 10, summary["fail_count"])]
    assert 'id="chart-attribute"' in page and "/static/js/spc_drift.js" in page


def test_dashboard_charts_subgroups_by_lot_with_their_limits(metro_web, measured):  # noqa: F811
    recipe, subtask = measured
    page = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}&chart=xbar_s"
                         "&subgroup_by=lot").get_data(as_text=True)
    control = embedded(page, "spc-data")["control"]
    assert control["subgroup_by"] == "lot" and [g["n"] for g in control["subgroups"]] == [10]
    assert 'id="s-basis"' in page


def test_a_refused_drift_chart_is_explained_on_the_page(metro_web, measured):  # noqa: F811
    recipe, subtask = measured
    response = metro_web.get(f"/spc/?recipe_id={recipe['id']}&subtask_id={subtask['id']}&drift=ewma"
                             "&lot_number=NONE")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "give target and sigma" in page


def test_the_spc_report_download_carries_the_dashboards_charts(metro_web, measured, tmp_path):  # noqa: F811
    recipe, subtask = measured
    query = (f"recipe_id={recipe['id']}&subtask_id={subtask['id']}&chart=xbar_s&subgroup_size=5&rules=nelson"
             "&distribution=lognormal&drift=cusum&cusum_h=2&attribute=p&attribute_by=lot")
    report = metro_web.get(f"/spc/download/spc.pdf?{query}")
    assert report.status_code == 200 and report.data[:5] == b"%PDF-"
    path = tmp_path / "spc.pdf"
    path.write_bytes(report.data)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Tabular CUSUM chart" in text and "p chart" in text.lower()
    assert "Nelson rules 1-8" in text and "c₄(5)" in text and "percentile method (ISO 22514-2) on the lognormal" in text
    plain = metro_web.get(f"/spc/download/spc.pdf?recipe_id={recipe['id']}&subtask_id={subtask['id']}")
    path.write_bytes(plain.data)
    plain_text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                check=True).stdout
    assert "Tabular CUSUM chart" not in plain_text and "Nelson" not in plain_text


def test_the_spc_report_download_follows_the_dashboards_subgroups(metro_web, measured, client, metrologist):  # noqa: F811
    recipe, subtask = measured
    query = f"recipe_id={recipe['id']}&subtask_id={subtask['id']}&chart=xbar_s&subgroup_by=lot"
    report = metro_web.get(f"/spc/download/spc.pdf?{query}")
    assert report.status_code == 200 and report.data[:5] == b"%PDF-"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(report.data)).pages).split())
    chart = client.get("/api/statistics/control-chart", params={"recipe_id": recipe["id"], "subtask_id": subtask["id"],
                                                                "chart": "xbar_s", "subgroup_by": "lot"},
                       headers=metrologist.headers).json()
    assert f"subgroups by lot: {chart['points_total']}, of {len(VALUES)} values each" in text
    assert "consecutive" not in text
