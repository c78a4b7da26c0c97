"""First article inspections: open, results from the serial's runs, nonconformance numbers, signed completion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .conftest import measure, subtasks


def open_full(engineer, recipe: dict, serial: str = "SN-100", **extra) -> dict:
    body = {"recipe_id": recipe["id"], "version_number": recipe["current_version"]["version_number"],
            "serial_number": serial, **extra}
    return engineer.call("POST", "/fai", 201, json=body).json()


def test_fai_stays_open_until_every_result_is_in_and_nonconformances_are_numbered(engineer, shaft, client, operator,
                                                                                   admin):
    fai = open_full(engineer, shaft, manufacturing_reference="WO-4711", reason="New part number")
    assert fai["status"] == "open" and fai["kind"] == "full" and fai["report_number"].startswith("FAI-")
    assert [r["number"] for r in fai["characteristics"]] == ["1", "2", "3"]
    assert fai["missing"] == ["1", "2", "3"] and fai["runs"] == []
    password = {"password": "correct-horse-battery", "meaning": "Verified"}
    assert "1, 2, 3" in engineer.call("POST", f"/fai/{fai['id']}/complete", 409, json=password).json()["detail"]

    # Another serial's run does not count; this serial's run is linked by itself.
    measure(client, operator, shaft, [24.99, 12.0, 0.01], "SN-999")
    measure(client, operator, shaft, [24.99, 12.08, 0.012], "SN-100", gauge="CAL-07")
    fai = engineer.call("GET", f"/fai/{fai['id']}", 200).json()
    assert len(fai["runs"]) == 1 and fai["missing"] == []
    assert [r["verdict"] for r in fai["characteristics"]] == ["pass", "fail", "pass"]
    assert fai["unnumbered"] == ["2"]
    refused = engineer.call("POST", f"/fai/{fai['id']}/complete", 409, json=password).json()["detail"]
    assert "nonconformance number" in refused and "2" in refused

    length = subtasks(shaft)[1]["characteristic_id"]
    engineer.call("PUT", f"/fai/{fai['id']}/characteristics/{length}", 200,
                  json={"nc_number": "NCR-0042", "comment": "Shoulder long, MRB"})
    engineer.call("PUT", f"/fai/{fai['id']}/characteristics/999999", 404, json={"nc_number": "X"})
    engineer.call("POST", f"/fai/{fai['id']}/form2", 201,
                  json={"material_or_process": "42CrMo4 bar", "specification": "EN 10083-3", "certificate_number": "3.1-778"})
    engineer.call("POST", f"/fai/{fai['id']}/form2", 201, json={})
    engineer.call("POST", f"/fai/{fai['id']}/complete", 422, json={**password, "password": "wrong"})
    before = datetime.now(UTC)
    done = engineer.call("POST", f"/fai/{fai['id']}/complete", 200, json=password).json()
    assert done["status"] == "complete" and done["unnumbered"] == []
    signature = done["signature"]
    assert signature["name"] == "Quality" and signature["meaning"] == "Verified" and len(signature["content_sha256"]) == 64
    signed_at = datetime.fromisoformat(signature["signed_at"].replace("Z", "+00:00"))
    assert before - timedelta(seconds=5) <= signed_at <= datetime.now(UTC) + timedelta(seconds=5)

    # Signed: nothing changes it, and a later run of the serial is not pulled in.
    engineer.call("PATCH", f"/fai/{fai['id']}", 409, json={"po_number": "PO-1"})
    engineer.call("POST", f"/fai/{fai['id']}/form2", 409, json={})
    engineer.call("POST", f"/fai/{fai['id']}/complete", 409, json=password)
    measure(client, operator, shaft, [24.98, 12.0, 0.01], "SN-100")
    again = engineer.call("GET", f"/fai/{fai['id']}", 200).json()
    assert again["runs"] == done["runs"] and again["characteristics"] == done["characteristics"]
    events = client.get("/api/audit", params={"entity_type": "fai", "entity_id": str(fai["id"])},
                        headers=admin.headers).json()
    assert {e["action"] for e in events["items"]} >= {"create", "complete"}


def test_partial_fai_covers_what_the_released_change_affected(engineer, shaft, client, operator):
    recipe_id = shaft["id"]
    engineer.call("POST", "/fai", 409, json={"recipe_id": recipe_id, "version_number": 1, "serial_number": "SN-1",
                                             "kind": "partial"})
    measure(client, operator, shaft, [24.99, 12.0, 0.01], "SN-1")  # version 1 is measured: edits copy it
    draft = engineer.call("POST", f"/recipes/{recipe_id}/drafts", 201).json()
    engineer.call("POST", "/fai", 409, json={"recipe_id": recipe_id, "version_number": 2, "serial_number": "SN-2"})
    length = next(s for t in draft["tasks"] for s in t["subtasks"] if s["description"] == "Shoulder length")
    engineer.call("PUT", f"/subtasks/{length['id']}", 200, json={"utl": 12.03})
    engineer.call("POST", f"/recipes/{recipe_id}/versions/2/release", 200,
                  json={"change_notes": "Shoulder tightened", "password": "correct-horse-battery", "meaning": "Approved"})
    fai = engineer.call("POST", "/fai", 201, json={"recipe_id": recipe_id, "version_number": 2, "serial_number": "SN-2",
                                                   "kind": "partial", "reason": "Drawing rev 2: shoulder UTL"}).json()
    assert fai["kind"] == "partial" and fai["baseline_version_number"] == 1
    assert [(r["number"], r["description"], r["requirement"]) for r in fai["characteristics"]] == [
        ("2", "Shoulder length", "12.000 +0.030/-0.050")]
    # Unchanged again: version 3 equals version 2, so a partial FAI of it covers nothing.
    listed = engineer.call("GET", "/fai", 200, params={"recipe_id": recipe_id, "serial_number": "SN-2"}).json()
    assert [i["id"] for i in listed["items"]] == [fai["id"]] and listed["items"][0]["version_number"] == 2
    assert engineer.call("GET", "/fai", 200, params={"serial_number": "SN-404"}).json()["items"] == []


def test_roles_and_missing_records(engineer, shaft, client, operator):
    fai = open_full(engineer, shaft)
    body = {"recipe_id": shaft["id"], "version_number": 1, "serial_number": "SN-7"}
    assert client.post("/api/fai", json=body, headers=operator.headers).status_code == 403
    assert client.get(f"/api/fai/{fai['id']}", headers=operator.headers).status_code == 200
    assert client.get(f"/api/fai/{fai['id']}").status_code == 401
    engineer.call("GET", "/fai/999999", 404)
    engineer.call("POST", "/fai", 404, json={**body, "version_number": 9})
    engineer.call("POST", "/fai", 404, json={**body, "recipe_id": 999999})
    engineer.call("POST", "/fai", 201, json={**body, "version_number": 1.0})
    row = engineer.call("POST", f"/fai/{fai['id']}/form2", 201, json={"code": "HT"}).json()
    engineer.call("PUT", f"/fai/{fai['id']}/form2/{row['id']}", 200, json={"code": "HT-2", "supplier": "Heat Co"})
    engineer.call("DELETE", f"/fai/{fai['id']}/form2/{row['id']}", 204)
    engineer.call("DELETE", f"/fai/{fai['id']}/form2/{row['id']}", 404)
    assert engineer.call("GET", f"/fai/{fai['id']}", 200).json()["form2"] == []


def test_the_unit_history_lists_the_serials_fais(engineer, shaft, client, operator):
    measure(client, operator, shaft, [24.99, 12.0, 0.01], "SN-300")
    fai = open_full(engineer, shaft, serial="SN-300")
    open_full(engineer, shaft, serial="SN-301")  # another serial's FAI stays out
    history = engineer.call("GET", "/units/SH-100/SN-300", 200).json()
    assert [(f["id"], f["report_number"], f["status"], f["kind"]) for f in history["fais"]] == [
        (fai["id"], fai["report_number"], "open", "full")]
    assert history["fais"][0]["report_url"] == f"/api/fai/{fai['id']}/report.pdf"
