"""Tolerances as written on drawings: ISO 286 tables (published values) and the entry through the API."""

from __future__ import annotations

import pytest

from tiemeasureflow.recipes import iso286, tolerance

from .conftest import SUBTASK

# (size mm, class, lower deviation µm, upper deviation µm) as printed in ISO 286-2 tables.
PUBLISHED = [
    (25, "h7", -21, 0), (25, "H7", 0, 21), (10, "g6", -14, -5), (50, "f7", -50, -25), (40, "k6", 2, 18),
    (20, "m6", 8, 21), (30, "p6", 22, 35), (60, "r6", 41, 60), (100, "s6", 71, 93), (25, "K7", -15, 6),
    (25, "N7", -28, -7), (25, "P7", -35, -14), (30, "js6", -6.5, 6.5), (100, "H8", 0, 54), (12, "e8", -59, -32),
    (80, "d9", -174, -100), (25, "F7", 20, 41), (25, "G7", 7, 28), (25, "M7", -21, 0), (25, "R7", -41, -20),
    (25, "S7", -48, -27), (25, "c11", -240, -110), (25, "H11", 0, 130), (18, "K8", -19, 8), (25, "K8", -23, 10), (3, "h9", -25, 0),
    (500, "H7", 0, 63), (25, "js7", -10, 10),
]


@pytest.mark.parametrize(("size", "fit", "low", "high"), PUBLISHED)
def test_iso286_limits_match_published_tables(size, fit, low, high):
    assert iso286.limits(size, fit) == (pytest.approx(low), pytest.approx(high))


@pytest.mark.parametrize("bad", ["25 x7", "25 h20", "600 h7", "0 h7", "25 Hh7", "25 ±", "twenty", "25 +0.02"])
def test_unknown_tolerances_are_refused(bad):
    with pytest.raises(tolerance.ToleranceError):
        tolerance.parse(bad)


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("25 ±0.05", "mm", (25.0, 24.95, 25.05)),
    ("25 +/-0,05", "mm", (25.0, 24.95, 25.05)),
    ("25 +0.02/-0.05", "mm", (25.0, 24.95, 25.02)),
    ("Ø25 0/-0.05", "mm", (25.0, 24.95, 25.0)),
    ("max 0.05", "mm", (None, None, 0.05)),
    ("min 2", "µm", (None, 2.0, None)),
    ("25 h7", "mm", (25.0, 24.979, 25.0)),
    ("25H7", "mm", (25.0, 25.0, 25.021)),
    ("10 g6", "mm", (10.0, 9.986, 9.995)),
    ("10 g6", "µm", (10000.0, 9986.0, 9995.0)),
])
def test_written_tolerances_give_limits(text, unit, expected):
    got = tolerance.parse(text, unit)
    assert (got["nominal"], got["ltl"], got["utl"]) == expected


def test_fit_needs_a_metric_unit():
    with pytest.raises(tolerance.ToleranceError):
        tolerance.parse("1 h7", "in")


def test_characteristic_entered_with_an_iso_fit_keeps_its_designation(api):
    recipe = api.recipe(code="R-FIT")
    shaft = {k: v for k, v in SUBTASK.items() if k not in ("nominal", "utl", "uwl", "lwl", "ltl")}
    task = api.task(recipe["id"], subtasks=[{**shaft, "tolerance_text": "25 h7"}])
    created = task["subtasks"][0]
    assert (created["nominal"], created["ltl"], created["utl"], created["tolerance_text"]) == (25.0, 24.979, 25.0, "25 h7")
    changed = api.call("PUT", f"/subtasks/{created['id']}", 200, json={"tolerance_text": "25 +0.02/-0.05"}).json()
    assert (changed["ltl"], changed["utl"], changed["tolerance_text"]) == (24.95, 25.02, "25 +0.02/-0.05")
    plain = api.call("PUT", f"/subtasks/{created['id']}", 200, json={"utl": 25.03}).json()
    assert plain["tolerance_text"] is None, "limits typed by hand make the written tolerance obsolete"
    api.call("PUT", f"/subtasks/{created['id']}", 422, json={"tolerance_text": "25 q7"})
    api.call("PUT", f"/subtasks/{created['id']}", 422, json={"tolerance_text": "25 h7", "utl": 30.0})
    one_sided = api.call("POST", f"/tasks/{task['id']}/subtasks", 201,
                         json={"marker_number": 2, "measurement_type": "flatness", "tolerance_text": "max 0.05"}).json()
    assert (one_sided["nominal"], one_sided["ltl"], one_sided["utl"]) == (None, None, 0.05)
