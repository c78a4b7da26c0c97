"""The SPC report's X-bar chart of subgroups by lot, part or time window, as the control-chart route forms them."""

from __future__ import annotations

from tests.reports.conftest import read_pdf
from tests.reports.test_spc_report import QCC, _statistics

LOTS = {"L1": [10.00, 10.02, 9.98], "L2": [10.01, 10.03, 9.99, 10.01, 10.00], "L3": [9.97, 10.04, 10.02, 9.99],
        "L4": [10.00, 10.01, 9.98, 10.02]}


def _lots(shop, code: str = "LOTS-01") -> dict:
    plan = shop.recipe(code=code, subtasks=[QCC])
    subtask = plan["subtasks"][0]
    for lot, values in LOTS.items():
        shop.measure(plan["version_id"], subtask["id"], values, serial_prefix=lot, lot=lot)
    return {"recipe_id": plan["recipe_id"], "subtask_id": subtask["id"], "version_id": plan["version_id"]}


def test_report_charts_subgroups_by_lot_like_the_chart_route(shop):
    ids = _lots(shop)
    chart = _statistics(shop, "control-chart", **ids, chart="xbar_s", subgroup_by="lot")
    first = read_pdf(shop.report("spc", **ids, chart="xbar_s", subgroup_by="lot")).pages[0]
    assert chart["points_total"] == len(LOTS)
    assert f"subgroups by lot: {chart['points_total']}, of 3 to 5 values, each with its own limits" in first
    assert "consecutive" not in first
    consecutive = read_pdf(shop.report("spc", **ids, chart="xbar_s", subgroup_size=4)).pages[0]
    assert "subgroups of 4 consecutive values" in consecutive


def test_italian_report_names_the_time_window(shop):
    ids = _lots(shop, "LOTS-02")
    chart = _statistics(shop, "control-chart", **ids, chart="xbar_r", subgroup_by="window", window_minutes=600)
    shop.set_language("it")
    first = read_pdf(shop.report("spc", **ids, chart="xbar_r", subgroup_by="window", window_minutes=600)).pages[0]
    total, sizes = chart["points_total"], [g["n"] for g in chart["subgroups"]]
    counted = f"{total}, di {sizes[0]} valori ciascuno" if min(sizes) == max(sizes) else \
        f"{total}, da {min(sizes)} a {max(sizes)} valori, ciascuno con i propri limiti"
    assert f"sottogruppi per finestra di 600 minuti: {counted}" in first


def test_report_refuses_subgroups_on_an_individuals_chart(shop):
    ids = _lots(shop, "LOTS-03")
    refused = shop.report("spc", **ids, chart="imr", subgroup_by="lot")
    assert refused.status_code == 422 and "X-bar" in refused.json()["detail"]
