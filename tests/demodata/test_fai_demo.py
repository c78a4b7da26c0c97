"""The demo plant's first article inspections: one complete and signed, one partial still open."""

from __future__ import annotations

from .support import api, demo_data, login


def test_the_plant_has_a_complete_fai_and_an_open_partial_one(database_url, tmp_path):
    demo_data(database_url, tmp_path, 3)
    with api(database_url, tmp_path) as client:
        metrologist = login(client, "metrologist")
        listed = client.get("/api/fai", headers=metrologist).json()["items"]
        assert sorted((f["part_number"], f["kind"], f["status"]) for f in listed) == [
            ("FLANGE-110", "full", "complete"), ("SHAFT-042", "partial", "open")]
        done = client.get(f"/api/fai/{next(f['id'] for f in listed if f['status'] == 'complete')}",
                          headers=metrologist).json()
        assert done["signature"]["meaning"] == "Verified" and done["missing"] == [] and len(done["form2"]) == 2
        # The first article came out of tolerance on one characteristic: numbered before signing.
        assert [r["nc_number"] for r in done["characteristics"] if r["verdict"] == "fail"] == ["NCR-24-101"]
        assert done["serial_number"] == "FA-FLANGE-110-01" and len(done["runs"]) == 1
        partial = client.get(f"/api/fai/{next(f['id'] for f in listed if f['status'] == 'open')}",
                             headers=metrologist).json()
        assert 0 < len(partial["characteristics"]) < 6 and partial["missing"] == [r["number"] for r in partial["characteristics"]]
        pdf = client.get(f"/api/fai/{done['id']}/report.pdf", headers=metrologist)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
