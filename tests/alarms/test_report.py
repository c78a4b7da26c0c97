"""The SPC PDF lists the alarms of its period with their reaction and says which limits it used."""

from __future__ import annotations

from tests.measurements.helpers import call
from tests.reports.conftest import read_pdf

from .helpers import alarms, batch


def test_spc_report_lists_alarms_with_cause_action_who_and_response(client, operator, metrologist, plans):
    plan = plans.recipe()
    batch(client, operator, plan, [10.0, 10.1, 11.2, 9.9, 8.7, 10.05])
    first, second = sorted(alarms(client, metrologist)["items"], key=lambda a: a["id"])
    call(client, metrologist, "POST", f"/alarms/{first['id']}/acknowledge", 200,
         json={"cause": "tool_wear", "action": "Insert changed on the lathe"})
    call(client, metrologist, "PUT", "/auth/me", 200, json={"language_pref": "en"})
    response = client.get("/api/reports/spc", headers=metrologist.headers,
                          params={"recipe_id": plan.recipe_id, "subtask_id": plan.subtask_ids[0]})
    pdf = read_pdf(response)
    assert "Control limits used: computed from the selection." in " ".join(pdf.pages[1].split())
    alarm_page = " ".join(pdf.pages[2].split())
    assert "Alarms of the period and reaction" in alarm_page
    assert f"#{first['id']}" in alarm_page and f"#{second['id']}" in alarm_page
    assert "Tool wear" in alarm_page and "Insert changed on the lathe" in alarm_page
    assert "Metrologist" in alarm_page and " min" in alarm_page
    assert "OPEN" in alarm_page  # the second is still open


def test_spc_report_without_alarms_keeps_two_pages(client, operator, metrologist, plans):
    plan = plans.recipe()
    batch(client, operator, plan, [10.0, 10.1, 9.9, 10.05])
    response = client.get("/api/reports/spc", headers=metrologist.headers,
                          params={"recipe_id": plan.recipe_id, "subtask_id": plan.subtask_ids[0]})
    pdf = read_pdf(response)
    assert len(pdf.pages) == 2


def test_spc_report_names_the_frozen_set_it_used(client, operator, metrologist, plans):
    plan = plans.recipe()
    batch(client, operator, plan, [10.0 + 0.01 * ((i * 7) % 5 - 2) for i in range(30)])
    frozen = call(client, metrologist, "PUT", "/statistics/control-limits", None, json={
        "recipe_id": plan.recipe_id, "subtask_id": plan.subtask_ids[0], "chart": "imr", "subgroup_size": 1,
        "baseline_points": 20, "reason": "phase I complete"})
    assert frozen.status_code in (200, 201), frozen.text
    call(client, metrologist, "PUT", "/auth/me", 200, json={"language_pref": "en"})
    response = client.get("/api/reports/spc", headers=metrologist.headers,
                          params={"recipe_id": plan.recipe_id, "subtask_id": plan.subtask_ids[0]})
    text = " ".join(read_pdf(response).pages[1].split())
    assert f"Control limits used: frozen set no. {frozen.json()['id']}" in text
