"""The measurement report's default: a summary per characteristic (n, min, max, mean, Cpk, fails).

Cpk by hand as in Montgomery, Introduction to Statistical Quality Control, individuals: sigma
within = MR-bar / d2 with d2(2) = 1.128; Cpk = min(USL - mean, mean - LSL) / (3 sigma).
"""

from __future__ import annotations

import re

from tests.reports.conftest import read_pdf

BORE = [10.0, 10.2, 9.9, 10.1, 10.0]  # mean 10.04, MR-bar 0.2, sigma 0.17725, Cpk 0.46 / 0.53174 = 0.865
LENGTH = [50.0, 50.5, 49.9]  # mean 50.1333, MR-bar 0.55, sigma 0.48742, Cpk 0.26667 / 1.46226 = 0.182; one fail


def measured(shop):
    plan = shop.recipe()
    bore, length = plan["subtasks"]
    shop.measure(plan["version_id"], bore["id"], BORE)
    shop.measure(plan["version_id"], length["id"], LENGTH, serial_prefix="LN")
    return plan


def test_the_default_report_summarises_each_characteristic_in_balloon_order(shop):
    plan = measured(shop)
    pdf = read_pdf(shop.report("measurements", recipe_id=plan["recipe_id"]))
    assert len(pdf.pages) == 1
    flat = " ".join(pdf.text.split())
    assert "Summary by characteristic" in flat
    assert "1 Bore diameter mm 9.5 10.5 5 9.9 10.2 10.04 0.87 0" in flat
    assert "2 Overall length mm 49.6 50.4 3 49.9 50.5 50.1333 0.18 1" in flat
    assert flat.index("1 Bore diameter") < flat.index("2 Overall length")
    assert re.search(r"Total 8 100\.0 %", flat)
    # No detailed rows, and the report says how to get them and how many there can be.
    assert not re.search(r"(?:SN|LN)-\d{4}", flat)
    assert "Detailed table not included (detail=true adds it, at most 500 rows)." in flat


def test_the_summary_cpk_is_the_statistics_figure(shop):
    plan = measured(shop)
    flat = " ".join(read_pdf(shop.report("measurements", recipe_id=plan["recipe_id"])).text.split())
    for sub in plan["subtasks"]:
        cap = shop.call(shop.metrologist, "GET", f"/statistics/capability?recipe_id={plan['recipe_id']}"
                                                 f"&subtask_id={sub['id']}", 200)
        assert f" {cap['cpk']:.2f} " in flat


def test_filters_narrow_the_summary_and_detail_adds_the_table(shop):
    plan = measured(shop)
    bore, length = plan["subtasks"]
    flat = " ".join(read_pdf(shop.report("measurements", recipe_id=plan["recipe_id"],
                                         subtask_id=length["id"])).text.split())
    assert "2 Overall length" in flat and "1 Bore diameter mm" not in flat
    detailed = read_pdf(shop.report("measurements", recipe_id=plan["recipe_id"], detail="true"))
    assert re.findall(r"(?:SN|LN)-\d{4}", detailed.text) == [f"SN-{i:04d}" for i in range(5)] + \
        [f"LN-{i:04d}" for i in range(3)]
    assert "Summary by characteristic" in detailed.text and "Detailed table not included" not in detailed.text
