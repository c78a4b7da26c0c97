"""QIF exports: a run and a plan as QIF 3.0 documents that satisfy the schema's rules and import back unchanged."""

from __future__ import annotations

import re

from tests.measurements.helpers import add, call, start_run

from .helpers import file_bytes, upload
from .qif_structure import problems

SUBTASKS = [
    {"nominal": 25.0, "ltl": 24.9, "lwl": 24.95, "uwl": 25.05, "utl": 25.1, "measurement_type": "diameter"},
    {"nominal": 0.0, "ltl": None, "lwl": None, "uwl": None, "utl": 0.05, "measurement_type": "flatness"},
    {"nominal": 30.0, "ltl": 29.5, "lwl": None, "uwl": None, "utl": 30.5, "measurement_type": "angle", "unit": "°"},
    {"nominal": 8.0, "ltl": None, "lwl": None, "uwl": None, "utl": 8.2, "measurement_type": "length"},
]


def _limits(client, user, recipe_id: int) -> dict:
    recipe = call(client, user, "GET", f"/recipes/{recipe_id}", 200).json()
    return {s["label"]: (s["measurement_type"], s["unit"], s["nominal"], s["ltl"], s["utl"])
            for t in recipe["current_version"]["tasks"] for s in t["subtasks"]}


def _values(client, user, run_id: str) -> dict:
    detail = call(client, user, "GET", f"/runs/{run_id}", 200).json()
    labels = {}
    recipe = call(client, user, "GET", f"/recipes/{detail['recipe_id']}", 200).json()
    for task in recipe["current_version"]["tasks"]:
        labels.update({s["id"]: s["label"] for s in task["subtasks"]})
    return {labels[m["subtask_id"]]: (m["value"], m["pass_fail"]) for m in detail["measurements"]}


def test_a_station_run_exports_as_qif_and_imports_back_unchanged(client, plans, operator, metrologist):
    plan = plans.recipe(SUBTASKS)
    station = plans.station("ST-CMM")
    run = start_run(client, operator, plan, station, serial="SN-X1")
    for subtask_id, value in zip(plan.subtask_ids, [25.07, 0.031, 30.25, 8.3], strict=True):
        add(client, operator, run["id"], subtask_id, value)
    res = call(client, metrologist, "GET", f"/runs/{run['id']}/qif", 200)
    assert res.headers["content-type"].startswith("application/xml")
    assert problems(res.content) == []
    answer = upload(client, operator, "qif", res.content, recipe_code="COPY-OF-RUN").json()
    assert answer["recipe"]["created"] is True and [r["serial_number"] for r in answer["runs"]] == ["SN-X1"]
    original, copy = _limits(client, operator, plan.recipe_id), _limits(client, operator, answer["recipe"]["id"])
    assert copy == original
    assert _values(client, operator, answer["runs"][0]["id"]) == {
        label: (value, judgment) for label, (value, judgment) in _values(client, operator, run["id"]).items()
        # The warning band stays behind (QIF has no warning limits): a warning comes back as a pass.
    } | {"1": (25.07, "pass")}
    assert answer["disagreements"] == []


def test_an_imported_run_exports_back_to_the_same_values(client, operator, metrologist):
    first = upload(client, operator, "qif", file_bytes("flange_results.qif")).json()
    run = {r["serial_number"]: r for r in first["runs"]}["SN-Q2"]
    body = call(client, metrologist, "GET", f"/runs/{run['id']}/qif", 200).content
    assert problems(body) == []
    again = upload(client, operator, "qif", body, recipe_code="FLANGE-ROUND-TRIP").json()
    assert _limits(client, operator, again["recipe"]["id"]) == _limits(client, operator, first["recipe"]["id"])
    assert _values(client, operator, again["runs"][0]["id"]) == _values(client, operator, run["id"])


def test_a_version_exports_as_a_qif_plan(client, plans, maker, metrologist):
    plan = plans.recipe(SUBTASKS)
    res = call(client, metrologist, "GET", f"/recipes/{plan.recipe_id}/versions/1/qif", 200)
    assert problems(res.content) == []
    assert b"<Results>" not in res.content and res.content.count(b"CharacteristicItem id=") == 4
    call(client, metrologist, "GET", f"/recipes/{plan.recipe_id}/versions/9/qif", 404)
    call(client, metrologist, "GET", "/runs/6f1c2d3e-4b5a-4978-8695-a4b3c2d1e0f9/qif", 404)


def test_the_structure_check_finds_broken_documents(client, plans, metrologist):
    plan = plans.recipe(SUBTASKS)
    good = call(client, metrologist, "GET", f"/recipes/{plan.recipe_id}/versions/1/qif", 200).content
    assert problems(good.replace(b'CharacteristicItems n="4"', b'CharacteristicItems n="5"')) != []
    assert problems(good.replace(b"<CharacteristicNominalId>", b"<CharacteristicNominalId>9")) != []


GDT_SUBTASKS = [
    {"nominal": 0.0, "ltl": None, "lwl": None, "uwl": None, "utl": 0.1, "measurement_type": "position"},
    {"nominal": 0.0, "ltl": None, "lwl": None, "uwl": None, "utl": 0.02, "measurement_type": "straightness"},
    {"nominal": 0.0, "ltl": None, "lwl": None, "uwl": None, "utl": 0.03, "measurement_type": "parallelism"},
    {"nominal": 0.0, "ltl": None, "lwl": None, "uwl": None, "utl": 0.04, "measurement_type": "roundness"},
    {"nominal": 40.0, "ltl": 39.8, "lwl": None, "uwl": None, "utl": 40.2, "measurement_type": "distance"},
    {"nominal": 12.0, "ltl": None, "lwl": None, "uwl": None, "utl": None, "measurement_type": "length"},
]


def test_every_kind_exports_within_the_schema_and_keeps_its_type(client, plans, operator, metrologist):
    # Position, parallelism and distance need datums, material conditions or analysis modes in the schema's own
    # kinds: they travel as limited lengths carrying their type; straightness needs its zone shape; a
    # characteristic without limits is a MEASURED non-tolerance; an open run has no verdict yet.
    plan = plans.recipe(GDT_SUBTASKS)
    run = start_run(client, operator, plan, plans.station("ST-GDT"), serial="SN-G1")
    for subtask_id, value in zip(plan.subtask_ids, [0.05, 0.01, 0.02, 0.05, 40.1, 12.03], strict=True):
        add(client, operator, run["id"], subtask_id, value)
    plan_body = call(client, metrologist, "GET", f"/recipes/{plan.recipe_id}/versions/1/qif", 200).content
    run_body = call(client, metrologist, "GET", f"/runs/{run['id']}/qif", 200).content
    assert problems(plan_body) == [] and problems(run_body) == []
    assert b"<NonTolerance>MEASURED</NonTolerance>" in plan_body and b"<NonDiametricalZone" in plan_body
    answer = upload(client, operator, "qif", run_body, recipe_code="GDT-COPY").json()
    assert _limits(client, operator, answer["recipe"]["id"]) == _limits(client, operator, plan.recipe_id)
    assert _values(client, operator, answer["runs"][0]["id"]) == _values(client, operator, run["id"])


def test_the_structure_check_knows_the_schema_rules(client, plans, operator, metrologist):
    plan = plans.recipe(SUBTASKS[:1])
    run = start_run(client, operator, plan, plans.station("ST-RULES"), serial="SN-R")
    add(client, operator, run["id"], plan.subtask_ids[0], 25.0)
    good = call(client, metrologist, "GET", f"/runs/{run['id']}/qif", 200).content
    assert problems(good) == []
    broken = {
        "component without its status": good.replace(b"<Status><InspectionStatusEnum>", b"<X><InspectionStatusEnum>")
        .replace(b"</InspectionStatusEnum></Status></ActualComponent>", b"</InspectionStatusEnum></X></ActualComponent>"),
        "a non-tolerance the schema does not list": good.replace(b"<Tolerance>", b"<NonTolerance>BASIC</NonTolerance><T>")
        .replace(b"</Tolerance>", b"</T>"),
        "name after the nominal reference": re.sub(rb"(<Name>[^<]*</Name>)(<CharacteristicNominalId>\d+</CharacteristicNominalId>)",
                                                   rb"\2\1", good),
        "a position zone": good.replace(b"DiameterCharacteristic", b"PositionCharacteristic"),
        "no idMax": good.replace(b' idMax="', b' idmax="'),
    }
    for what, body in broken.items():
        assert body != good and problems(body) != [], what
