"""A QIF plan becomes a draft version of the part's recipe, for a Maker to release."""

from __future__ import annotations

from tests.measurements.helpers import call

from .helpers import file_bytes, upload


def _draft(client, user, recipe_id: int, number: int) -> dict:
    version = call(client, user, "GET", f"/recipes/{recipe_id}/versions/{number}", 200).json()
    return {s["description"]: s for t in version["tasks"] for s in t["subtasks"]}, version


def test_a_plan_becomes_a_draft_of_a_new_recipe(client, maker):
    answer = upload(client, maker, "qif", file_bytes("flange_plan.qif")).json()
    assert answer["kind"] == "plan" and answer["runs"] == [] and answer["recipe"]["created"] is True
    assert answer["version"]["status"] == "draft" and answer["version"]["version_number"] == 2
    subtasks, version = _draft(client, maker, answer["recipe"]["id"], 2)
    assert version["status"] == "draft"
    assert (subtasks["1"]["nominal"], subtasks["1"]["ltl"], subtasks["1"]["utl"]) == (110.0, 109.9, 110.1)
    # A position tolerance is a one-sided zone: 0 .. 0.2.
    assert (subtasks["8"]["measurement_type"], subtasks["8"]["ltl"], subtasks["8"]["utl"]) == ("position", None, 0.2)
    # Only an upper deviation given: no lower limit.
    assert (subtasks["9"]["nominal"], subtasks["9"]["ltl"], subtasks["9"]["utl"]) == (45.0, None, 45.05)


def test_a_plan_updates_the_matching_characteristics_in_a_draft(client, maker, operator):
    results = upload(client, operator, "qif", file_bytes("flange_results.qif")).json()
    answer = upload(client, maker, "qif", file_bytes("flange_plan.qif")).json()
    assert answer["recipe"] == {**results["recipe"], "created": False}
    assert answer["characteristics"]["matched"] == ["1"] and answer["characteristics"]["created"] == ["8", "9"]
    subtasks, _ = _draft(client, maker, answer["recipe"]["id"], answer["version"]["version_number"])
    assert (subtasks["1"]["ltl"], subtasks["1"]["utl"]) == (109.9, 110.1)  # the plan's tighter tolerance
    assert {"3", "5", "6", "6#2", "7", "8", "9"} <= set(subtasks)
    # The current version is untouched until the draft is released.
    current = call(client, maker, "GET", f"/recipes/{answer['recipe']['id']}", 200).json()["current_version"]
    limits = {s["description"]: s["utl"] for t in current["tasks"] for s in t["subtasks"]}
    assert limits["1"] == 110.15
    # A second plan while the draft is open is refused.
    other = file_bytes("flange_plan.qif").replace(b"a41c0e77", b"b41c0e77")
    assert "open draft" in upload(client, maker, "qif", other, expected=409).json()["detail"]


def test_a_plan_needs_a_maker(client, operator):
    upload(client, operator, "qif", file_bytes("flange_plan.qif"), expected=403)
