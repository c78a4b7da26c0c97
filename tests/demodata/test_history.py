"""The generated history behaves like a plant: failures and retests, corrections, HardPy runs, drift, shifts."""

from __future__ import annotations

from datetime import datetime, timedelta

from .support import INTEGRATION, api, demo_data, integration_key, login, public_runs

SEED = 7  # the assertions below hold for this seed's small history (they are statistical, not exact)


def test_failed_parts_are_retested_and_hardpy_runs_join_the_station_runs(database_url, tmp_path):
    demo_data(database_url, tmp_path, SEED)
    key = integration_key(database_url, tmp_path)
    with api(database_url, tmp_path) as client:
        runs = public_runs(client, key)
    station = [r for r in runs if r["source"] == "station"]
    # The first article of the flange's new revision is used as is after its nonconformance (MRB), not retested.
    failed = {r["serial_number"] for r in station if r["status"] == "fail" and not r["serial_number"].startswith("FA-")}
    retests = [r for r in station if r["number_of_attempt"] > 1]
    assert failed and retests
    assert {r["serial_number"] for r in retests} == failed  # every failed part, and only those
    assert {r["test_stand_hw_id"] for r in retests} == {"ST-CMM-QA"}
    assert any(r["marginal"] for r in station)  # passes with a value in the warning band
    hardpy = [r for r in runs if r["source"] == "hardpy"]
    assert hardpy and {r["test_stand_hw_id"] for r in hardpy} == {"EOL-STAND-01"}
    station_serials = {r["serial_number"] for r in station}
    assert {r["serial_number"] for r in hardpy} <= station_serials
    assert all(r["number_of_attempt"] >= 2 for r in hardpy)  # counted after the part's station runs
    # The quality lab's CMM writes QIF results files for the flange; they come in as imported runs.
    imported = [r for r in runs if r["source"] == "qif"]
    assert len(imported) == 12 and {(r["part_number"], r["test_stand_hw_id"]) for r in imported} == {
        ("FLANGE-110", "ST-CMM-QA")}


def test_typing_slips_are_corrected_and_superseded(database_url, tmp_path):
    demo_data(database_url, tmp_path, SEED)
    with api(database_url, tmp_path) as client:
        headers = login(client, "metrologist")
        page = client.get("/api/measurements/", params={"include_superseded": "true", "per_page": 500},
                          headers=headers).json()
        total = page["total"]
        current = client.get("/api/measurements/", params={"per_page": 1}, headers=headers).json()["total"]
        corrections = [m for p in range(1, page["pages"] + 1) for m in client.get(
            "/api/measurements/", params={"include_superseded": "true", "per_page": 500, "page": p},
            headers=headers).json()["items"] if m["correction_reason"]]
        assert corrections and total - current == len(corrections)
        for correction in corrections:
            slip = client.get(f"/api/measurements/{correction['supersedes_id']}", headers=headers).json()
            assert slip["superseded_by_id"] == correction["id"] and slip["run_id"] == correction["run_id"]
            assert abs(slip["value"] - correction["value"]) == 1.0 and slip["measured_at"] < correction["measured_at"]


def _capability(client, headers, recipe_id: int, subtask_id: int, **filters) -> dict:
    response = client.get("/api/statistics/capability", headers=headers,
                          params={"recipe_id": recipe_id, "subtask_id": subtask_id, **filters})
    assert response.status_code == 200, response.text
    return response.json()


def test_statistics_show_the_drift_toward_a_limit_and_the_shift_change(database_url, tmp_path):
    demo_data(database_url, tmp_path, SEED)
    key = integration_key(database_url, tmp_path)
    with api(database_url, tmp_path) as client:
        headers, maker = login(client, "metrologist"), login(client, "maker")
        shaft = next(r for r in client.get("/api/recipes", headers=maker).json()["items"] if r["code"] == "SHAFT-042")
        subtasks = {s["description"]: s["id"] for s in shaft["current_version"]["tasks"][0]["subtasks"]}
        oldest = client.get(f"{INTEGRATION}/test_run", params={"limit": 1, "part_number": "SHAFT-042"}, headers=key)
        first_day = datetime.fromisoformat(oldest.json()[0]["start_time"].replace("Z", "+00:00")).replace(
            hour=0, minute=0, second=0, microsecond=0)
        # The history's first three days and its last three (of ten): tool wear pushes the bearing seat up.
        early = {"date_from": first_day.isoformat(), "date_to": (first_day + timedelta(days=3)).isoformat()}
        late = {"date_from": (first_day + timedelta(days=7)).isoformat(),
                "date_to": (first_day + timedelta(days=10)).isoformat()}
        seat = subtasks["Bearing seat diameter"]
        before, after = (_capability(client, headers, shaft["id"], seat, **window) for window in (early, late))
        # The afternoon shift's setter leaves the overall length longer.
        users = {u["username"]: u["id"] for u in client.get("/api/users", headers=login(client, "admin")).json()}
        length = subtasks["Overall length"]
        morning = _capability(client, headers, shaft["id"], length, operator_id=users["op.rossi"])
        afternoon = _capability(client, headers, shaft["id"], length, operator_id=users["op.colombo"])
    assert before["n"] >= 20 and after["n"] >= 20
    assert after["mean"] > before["mean"]
    assert after["spec"]["usl"] - after["mean"] < before["spec"]["usl"] - before["mean"]
    assert after["cpk"] < before["cpk"]
    assert morning["n"] >= 20 and afternoon["n"] >= 20
    assert afternoon["mean"] - morning["mean"] > morning["stdev"]
