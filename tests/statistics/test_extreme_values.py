"""Any finite double a station may store (1e308, -1e308, subnormals) never makes statistics or reports fail."""

from __future__ import annotations

import json

import pytest

EXTREMES = [
    [10.0, 10.1, 1e308, 9.9, 10.05],
    [10.0, -1e308, 10.1, 9.9],
    [1e308, -1e308, 1e308, -1e308],
    [1e308, 1e308, 1e308],
    [5e-324, 1e-310, 2.2e-308, 0.0, -5e-324],
    [10.0, 1.7976931348623157e308, 9.9, -1.7976931348623157e308, 10.1, 10.2],
]


def finite_json(response) -> dict:
    assert response.status_code == 200, response.text
    return json.loads(response.text, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


@pytest.mark.parametrize("values", EXTREMES)
def test_statistics_and_reports_answer_for_extreme_values(shop, client, metrologist, values):
    c = shop.characteristic(nominal=10.0, ltl=9.5, utl=10.5)
    shop.measure(c, values)
    params = {"recipe_id": c.recipe_id, "subtask_id": c.subtask_id}
    for path, extra in [("capability", {}), ("histogram", {}), ("histogram", {"n_bins": 100}),
                        ("control-chart", {}), ("control-chart", {"chart": "xbar_r", "subgroup_size": 2}),
                        ("control-chart", {"chart": "xbar_s", "subgroup_size": 2}), ("summary", {}),
                        ("yield", {}), ("subtasks", {"recipe_id": c.recipe_id})]:
        finite_json(shop.get(path, **(params | extra)))
    for chart in ("imr", "xbar_r", "xbar_s"):
        extra = {"subgroup_size": 2} if chart != "imr" else {}
        pdf = client.get("/api/reports/spc", params=params | {"chart": chart} | extra, headers=metrologist.headers)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), (chart, pdf.text[:300])
    table = client.get("/api/reports/measurements", params={"recipe_id": c.recipe_id}, headers=metrologist.headers)
    assert table.status_code == 200 and table.content.startswith(b"%PDF")
