"""The demo plant `tmf demo-data` builds: stations, recipes with drawings and versions, accounts."""

from __future__ import annotations

from .support import PASSWORDS, api, demo_data, login

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_the_plant_has_three_stations_four_recipes_with_drawings_and_versions(database_url, tmp_path):
    demo_data(database_url, tmp_path, 3)
    with api(database_url, tmp_path) as client:
        admin, maker = login(client, "admin"), login(client, "maker")
        stations = client.get("/api/stations", headers=admin).json()
        # Besides the station every database starts with (ST-DEFAULT).
        assert sorted(s["code"] for s in stations if s["code"] != "ST-DEFAULT") == ["ST-CMM-QA", "ST-LATHE-1",
                                                                                  "ST-MILL-2"]
        recipes = client.get("/api/recipes", params={"per_page": 100}, headers=maker).json()["items"]
        assert sorted(r["code"] for r in recipes) == ["FLANGE-110", "HOUSING-7", "PIN-3", "SHAFT-042"]
        for recipe in recipes:
            tasks = recipe["current_version"]["tasks"]
            assert tasks and all(t["subtasks"] for t in tasks)
            for task in tasks:
                drawing = client.get(f"/api/files/{task['file_path']}", headers=maker)
                assert drawing.status_code == 200 and drawing.content.startswith(PNG_SIGNATURE)
                # One balloon per characteristic, at the marker the subtask carries.
                assert sorted(b["marker_number"] for b in task["annotations_json"]) == \
                    sorted(s["marker_number"] for s in task["subtasks"])
        versions = {r["code"]: client.get(f"/api/recipes/{r['id']}/versions", headers=maker).json() for r in recipes}
    shaft_notes = [v["change_notes"] for v in sorted(versions["SHAFT-042"], key=lambda v: v["version_number"])]
    assert len(shaft_notes) >= 3 and shaft_notes[0] == "Initial release"
    assert "Bearing seat tolerance tightened after customer complaint" in shaft_notes
    assert sum(len(v) > 1 for v in versions.values()) == 3  # every part with planned revisions got them
    assert all(v["change_notes"] for vs in versions.values() for v in vs)


def test_one_account_per_role_and_an_admin_sign_in_with_the_printed_passwords(database_url, tmp_path):
    demo_data(database_url, tmp_path, 3)
    with api(database_url, tmp_path) as client:
        seen = {}
        for username in PASSWORDS:
            me = client.get("/api/auth/me", headers=login(client, username)).json()
            seen[username] = (me["roles"], me["is_admin"])
        users = client.get("/api/users", headers=login(client, "admin")).json()
    assert seen == {"admin": ([], True), "maker": (["Maker"], False), "operator": (["MeasurementTec"], False),
                    "metrologist": (["Metrologist"], False)}
    shift_operators = [u for u in users if u["username"].startswith("op.")]
    assert len(shift_operators) == 6 and all(u["roles"] == ["MeasurementTec"] for u in shift_operators)


def test_the_plant_has_gauges_one_overdue_and_finished_gauge_studies(database_url, tmp_path):
    demo_data(database_url, tmp_path, 3)
    with api(database_url, tmp_path) as client:
        metrologist = login(client, "metrologist")
        found = {g["code"]: g for g in client.get("/api/gauges", headers=metrologist).json()}
        assert len(found) == 5
        assert [c for c, g in found.items() if g["state"] == "overdue"] == ["BORE-301"]
        assert found["MIC-201"]["state"] == "due_soon" and found["CAL-101"]["state"] == "ok"
        history = client.get("/api/gauges/CAL-101", headers=metrologist).json()["calibrations"]
        assert len(history) == 2 and all(c["result"] == "pass" for c in history)
        studies = client.get("/api/msa/studies", headers=metrologist).json()["items"]
        assert sorted(s["kind"] for s in studies) == ["grr_crossed", "type1"]
        assert all(s["status"] == "finished" and s["acceptance"] for s in studies)
        grr = next(s for s in studies if s["kind"] == "grr_crossed")
        detail = client.get(f"/api/msa/studies/{grr['id']}", headers=metrologist).json()
        assert detail["gauge_code"] == "MIC-201" and detail["anova"]["ndc"] >= 1
        report = client.get(f"/api/msa/studies/{grr['id']}/report", headers=metrologist)
        assert report.status_code == 200 and report.content.startswith(b"%PDF")
