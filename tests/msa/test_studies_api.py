"""POST /api/msa/studies and friends: the published figures through HTTP, station collection, PDF, roles."""

from __future__ import annotations

import random

import pytest

from tests.fixtures.roles import check_route
from tests.measurements.helpers import audit_actions, call

from .published import (
    AIAG_GRR,
    AIAG_GRR_RESULTS,
    AIAG_LINEARITY_RESULTS,
    aiag_values,
    as_printed,
    linearity_values,
    owodunni_values,
)

TYPE1 = [10.002, 9.998, 10.001, 10.000, 9.999, 10.003, 9.997, 10.001, 10.000, 10.002, 9.999, 10.000, 10.001,
         9.998, 10.002, 10.000, 9.999, 10.001, 10.000, 10.002, 9.998, 10.001, 10.000, 9.999, 10.001]


def grr(client, user, values=None, expected=201, **extra):
    body = {"kind": "grr_crossed", "name": "AIAG example", "values": aiag_values() if values is None else values,
            **extra}
    return call(client, user, "POST", "/msa/studies", expected, json=body).json()


def test_grr_through_http_reproduces_the_aiag_figures(client, metrologist, app):
    study = grr(client, metrologist, tolerance=6.0)
    ar = study["average_range"]
    for key in ("ev", "av", "grr", "pv", "tv", "percent_grr"):
        assert as_printed(ar[key], AIAG_GRR_RESULTS[key]), (key, ar[key])
    assert ar["ndc"] == 5 and ar["acceptance"] == "conditional" and ar["k1"] == 0.5908
    assert ar["percent_tolerance_grr"] == pytest.approx(100 * 6 * ar["grr"] / 6.0)
    anova = study["anova"]
    assert anova["interaction_pooled"] is True and as_printed(anova["table"]["part"]["ss"], "88.3619")
    assert set(anova["components"]) >= {"repeatability", "reproducibility", "appraiser", "interaction", "grr",
                                        "part", "total"}
    assert anova["percent_tolerance_grr"] is not None and anova["ndc"] >= 1
    assert study["status"] == "finished" and study["acceptance"] == anova["acceptance"]
    assert study["charts"]["appraisers"] == ["A", "B", "C"] and len(study["charts"]["ranges"][0]) == 10
    assert call(client, metrologist, "GET", f"/msa/studies/{study['id']}", 200).json() == study
    assert audit_actions(app, "msa_study") == [("create", str(study["id"]))]


def test_gagernr_anova_through_http(client, admin):
    study = grr(client, admin, owodunni_values())
    assert as_printed(study["anova"]["table"]["appraiser"]["f"], "100.322")
    assert as_printed(study["anova"]["table"]["interaction"]["p"], "0.9964")


def test_part_labels_may_be_text(client, metrologist):
    values = [{**v, "part": f"P{v['part']:02d}"} for v in aiag_values()]
    study = grr(client, metrologist, values)
    assert study["charts"]["parts"][0] == "P01" and as_printed(study["average_range"]["grr"], "0.3058")


def test_linearity_through_http_reproduces_the_aiag_figures(client, metrologist):
    study = call(client, metrologist, "POST", "/msa/studies", 201, json={
        "kind": "linearity", "name": "AIAG linearity", "values": linearity_values(), "process_variation": 6.0}).json()
    lin = study["linearity"]
    assert as_printed(lin["slope"]["coef"], AIAG_LINEARITY_RESULTS["slope"])
    assert as_printed(lin["intercept"]["coef"], AIAG_LINEARITY_RESULTS["intercept"])
    assert as_printed(lin["r_squared"], AIAG_LINEARITY_RESULTS["r_squared"])
    assert study["acceptance"] == "unacceptable"


def test_type1_through_http(client, metrologist):
    values = [{"value": v} for v in TYPE1]
    study = call(client, metrologist, "POST", "/msa/studies", 201, json={
        "kind": "type1", "name": "Caliper type 1", "reference": 10.0, "tolerance": 0.1, "values": values}).json()
    t1 = study["type1"]
    assert t1["n"] == 25 and t1["cg"] > 1.33 and t1["cgk"] > 1.33 and study["acceptance"] == "acceptable"
    assert t1["band"]["lower"] == pytest.approx(9.99)
    call(client, metrologist, "POST", "/msa/studies", 422, json={
        "kind": "type1", "name": "No reference", "tolerance": 0.1, "values": values, "reference": None})


@pytest.mark.parametrize("body", [
    {"kind": "grr_crossed", "name": "x", "values": aiag_values()[:-1]},
    {"kind": "grr_crossed", "name": "x", "values": [{"value": 1.0}] * 4},
    {"kind": "grr_crossed", "name": "x"},
    {"kind": "grr_crossed", "name": "x", "values": [], "plan": {"parts": [1, 2], "appraisers": ["A"], "trials": 2}},
    {"kind": "grr_crossed", "name": "x", "plan": {"parts": [1], "appraisers": ["A"], "trials": 2}},
    {"kind": "grr_crossed", "name": "x", "values": aiag_values(), "gauge_code": "UNKNOWN"},
    {"kind": "linearity", "name": "x", "values": [{"value": 1.0}, {"value": 2.0}, {"value": 3.0}]},
    {"kind": "type1", "name": "x", "reference": 1, "tolerance": 0.1, "values": [{"value": 1.0}] * 10},
    {"kind": "dunno", "name": "x", "values": aiag_values()},
    {"kind": "grr_crossed", "name": "x", "values": [{**aiag_values()[0], "value": "1.5"}]},
])
def test_bad_studies_are_refused(client, metrologist, body):
    assert call(client, metrologist, "POST", "/msa/studies", json=body).status_code in (404, 409, 422)


@pytest.mark.parametrize("body, status", [
    ({"kind": "grr_crossed", "name": "x", "values": aiag_values()[:-1]}, 409),
    ({"kind": "grr_crossed", "name": "x", "values": [{"value": 1.0}] * 4}, 409),
    ({"kind": "grr_crossed", "name": "x", "plan": {"parts": [1], "appraisers": ["A"], "trials": 2}}, 409),
    ({"kind": "grr_crossed", "name": "x", "values": aiag_values(), "gauge_code": "UNKNOWN"}, 404),
    ({"kind": "type1", "name": "x", "reference": 1, "tolerance": 0.1, "values": [{"value": 1.0}] * 10}, 409),
    ({"kind": "grr_crossed", "name": "x"}, 422),
    ({"kind": "type1", "name": "x", "tolerance": 0.1, "values": [{"value": 1.0}] * 25}, 422),
])
def test_refusals_name_their_status(client, metrologist, body, status):
    assert call(client, metrologist, "POST", "/msa/studies", json=body).status_code == status


def test_a_planned_study_is_collected_in_its_randomised_order(client, metrologist, operator):
    study = call(client, metrologist, "POST", "/msa/studies", 201, json={
        "kind": "grr_crossed", "name": "Planned", "plan": {"parts": list(range(1, 11)), "appraisers": ["A", "B", "C"],
                                                             "trials": 3}}).json()
    assert study["status"] == "collecting" and study["next_slot"] == 0 and study["average_range"] is None
    order = study["plan"]["order"]
    assert len(order) == 90
    # Every appraiser measures every part once per trial, trial by trial.
    for trial in (1, 2, 3):
        for appraiser in "ABC":
            assert sorted(s["part"] for s in order if s["trial"] == trial and s["appraiser"] == appraiser) == list(
                range(1, 11))
    call(client, metrologist, "GET", f"/msa/studies/{study['id']}/report", 409)
    slots = list(range(90))
    random.Random(7).shuffle(slots)
    for slot in slots:
        s = order[slot]
        body = call(client, operator, "POST", f"/msa/studies/{study['id']}/readings", 200, json={
            "slot": slot, "value": AIAG_GRR[s["appraiser"]][s["trial"] - 1][s["part"] - 1]}).json()
    assert body["status"] == "finished" and as_printed(body["average_range"]["ev"], "0.2019")
    assert as_printed(body["average_range"]["tv"], "1.1461")
    call(client, operator, "POST", f"/msa/studies/{study['id']}/readings", 409, json={"slot": 0, "value": 1.0})


def test_a_slot_is_measured_once(client, metrologist, operator):
    study = call(client, metrologist, "POST", "/msa/studies", 201, json={
        "kind": "type1", "name": "T1", "reference": 10.0, "tolerance": 0.1, "plan": {"trials": 25}}).json()
    call(client, operator, "POST", f"/msa/studies/{study['id']}/readings", 200, json={"slot": 0, "value": 10.0})
    call(client, operator, "POST", f"/msa/studies/{study['id']}/readings", 409, json={"slot": 0, "value": 10.0})
    call(client, operator, "POST", f"/msa/studies/{study['id']}/readings", 409, json={"slot": 25, "value": 10.0})
    call(client, operator, "POST", "/msa/studies/999999/readings", 404, json={"slot": 0, "value": 10.0})


def test_the_report_is_a_pdf(client, metrologist):
    call(client, metrologist, "POST", "/gauges", 201, json={"code": "CAL-9", "name": "Caliper", "kind": "caliper"})
    ids = [grr(client, metrologist, gauge_code="CAL-9", tolerance=6.0)["id"],
           call(client, metrologist, "POST", "/msa/studies", 201, json={
               "kind": "type1", "name": "T1", "reference": 10.0, "tolerance": 0.1,
               "values": [{"value": v} for v in TYPE1]}).json()["id"],
           call(client, metrologist, "POST", "/msa/studies", 201, json={
               "kind": "linearity", "name": "L", "values": linearity_values()}).json()["id"]]
    for study_id in ids:
        res = call(client, metrologist, "GET", f"/msa/studies/{study_id}/report", 200)
        assert res.headers["content-type"] == "application/pdf" and res.content.startswith(b"%PDF")
        assert f"msa-study-{study_id}.pdf" in res.headers["content-disposition"]
    call(client, metrologist, "GET", "/msa/studies/999999/report", 404)


def test_list_filters_by_kind_and_gauge(client, metrologist):
    call(client, metrologist, "POST", "/gauges", 201, json={"code": "CAL-9", "name": "Caliper", "kind": "caliper"})
    first = grr(client, metrologist, gauge_code="CAL-9")
    call(client, metrologist, "POST", "/msa/studies", 201, json={
        "kind": "linearity", "name": "L", "values": linearity_values()})
    page = call(client, metrologist, "GET", "/msa/studies", 200).json()
    assert page["total"] == 2 and page["items"][0]["kind"] == "linearity"
    assert [s["id"] for s in call(client, metrologist, "GET", "/msa/studies?gauge_code=CAL-9", 200).json()[
        "items"]] == [first["id"]]
    assert call(client, metrologist, "GET", "/msa/studies?kind=type1", 200).json()["total"] == 0


def test_roles(client, role_users, admin):
    study = grr(client, admin)
    body = {"kind": "grr_crossed", "name": "x", "values": aiag_values()}
    check_route(client, role_users, "POST", "/api/msa/studies", {"admin", "metrologist"}, json=body)
    everyone = {"admin", "maker", "operator", "metrologist"}
    check_route(client, role_users, "GET", "/api/msa/studies", everyone)
    check_route(client, role_users, "GET", f"/api/msa/studies/{study['id']}", everyone)
    check_route(client, role_users, "POST", f"/api/msa/studies/{study['id']}/readings",
                {"admin", "operator", "metrologist"}, json={"slot": 0, "value": 1.0})
