"""HardPy's own `hardpy sc-login`, StandCloudLoader and StandCloudReader against `tmf serve` over HTTPS.

The stand keeps its tokens in a real Secret Service (GNOME keyring in a D-Bus session); a person approves
the sign-in through the station client's page; then the stand uploads and reads with its stored token.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tiemeasureflow.web import create_web_app

from ..fixtures.app import TEST_PEPPER, make_client_settings
from ..public_api.https_server import tmf_serve_https
from ..web.helpers import WebSession
from .keyring_session import hardpy_command, in_keyring_session, run_stand_step

# HardPy refreshes a token with less than a minute left. The headless HardPy run below must start
# with more than that: HardPy's pytest plugin (0.25.2) fails at session end when it refreshes itself
# (its token's expiry is an int there), so the token outlives the run; the refresh is tested after.
ACCESS_TTL = 120
SERVER_ENV = {"DEVICE_POLL_INTERVAL_SECONDS": "1", "STAND_ACCESS_TOKEN_TTL_SECONDS": str(ACCESS_TTL)}
PROJECT = Path(__file__).with_name("hardpy_project")
USER_CODE = re.compile(r"https://(\S+)/device\?user_code=([A-Z]{4}-[A-Z]{4})")


def _sc_login(home, project, address: str, approve) -> str:
    """`hardpy sc-login <address>` as the docs say; `approve(user_code)` acts on the link it prints."""
    proc = in_keyring_session(home, [hardpy_command(), "sc-login", address], project,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = []
    try:
        for line in proc.stdout:
            seen.append(line)
            found = USER_CODE.search(line)
            if found:
                assert found.group(1) == address
                approve(found.group(2))
                break
        rest, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return "".join(seen) + rest


def _hardpy_run(home, tmp_path, address: str) -> str:
    """Run the HardPy test project headless (pytest with the hardpy plugin), uploading when it ends."""
    project = tmp_path / "hardpy_e2e"
    shutil.copytree(PROJECT, project)
    (project / "hardpy.toml").write_text(
        f'[database]\nstorage_type = "json"\n\n[stand_cloud]\naddress = "{address}"\nautosync = true\n')
    # The command line HardPy's own launcher (`hardpy run` / `hardpy start`) gives pytest.
    argv = [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider", "--sc-address", address,
            "--sc-autosync", "--hardpy-pt"]
    proc = in_keyring_session(home, argv, project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, _ = proc.communicate(timeout=180)
    assert proc.returncode == 0, out
    # HardPy keeps a report it could not upload in its temporary store; nothing may be left there.
    assert not list((project / ".hardpy").glob("**/tempstore/*.json")), out
    return out


def _run_is_in_history_and_spc(address: str, cert, metrologist, run_id: str) -> None:
    """The HardPy run is in the unit's history, and its numeric measurements chart in SPC with what it measured."""
    def get(path: str, **params):
        res = httpx.get(f"https://{address}/api{path}", params=params, headers=metrologist.headers, verify=str(cert))
        assert res.status_code == 200, res.text
        return res.json()

    history = get("/units/PCB-E2E/E2E-0001")
    assert [(r["id"], r["source"], r["status"], r["station"]) for r in history["runs"]] == [
        (run_id, "hardpy", "pass", "E2E stand")]
    listed = get("/statistics/hardpy/characteristics", part_number="PCB-E2E")
    assert [(c["key"], c["unit"], c["lsl"], c["usl"], c["count"]) for c in listed] == [
        ("test_power::test_output_voltage::Vout", "V", 4.9, 5.1, 1),
        ("test_power::test_quiescent_current::Iq", "mA", None, 10, 1)]
    chart = get("/statistics/hardpy/control-chart", part_number="PCB-E2E", measurement=listed[0]["key"])
    assert [(p["y"], p["serial_number"], p["run_id"]) for p in chart["points"]] == [(5.037, "E2E-0001", run_id)]
    assert chart["spec"]["case_name"] == "Output voltage" and chart["spec"]["module_name"] == "Power"
    current = get("/statistics/hardpy/capability", part_number="PCB-E2E", measurement=listed[1]["key"])
    assert (current["n"], current["mean"], current["spec"]["usl"]) == (1, 7.5, 10)


@pytest.fixture
def station_client(tmp_path):
    """The station client aimed at a running server: station_client(address, cert) -> Flask app."""
    def build(address: str, cert):
        http = httpx.Client(base_url=f"https://{address}", verify=str(cert), timeout=30)
        return create_web_app(make_client_settings(tmp_path / "web"), http=http, station_code="")
    return build


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_sc_login_approve_upload_read_refresh_revoke(database_url, tmp_path, admin, metrologist, station_client,
                                                     factory, monkeypatch):
    home, project = tmp_path / "stand-home", tmp_path / "stand"
    project.mkdir()
    with tmf_serve_https(database_url, TEST_PEPPER, tmp_path, SERVER_ENV) as (address, cert):
        (project / "hardpy.toml").write_text(f'[stand_cloud]\naddress = "{address}"\n')
        page = WebSession(station_client(address, cert).test_client())
        assert page.login(admin.username, admin.password).status_code == 302

        def approve(user_code: str) -> None:
            shown = page.get(f"/device?user_code={user_code}").get_data(as_text=True)
            assert user_code in shown
            res = page.post("/device", {"user_code": user_code, "decision": "approve", "name": "EOL stand 3"})
            assert res.status_code == 302, res.get_data(as_text=True)

        output = _sc_login(home, project, address, approve)
        assert f"HardPy login to {address} success" in output, output

        # Upload and read back with the token HardPy stored in the keyring.
        uploaded = json.loads(run_stand_step(home, project, "upload", "BRD-0001"))
        assert uploaded["status"] == 201, uploaded
        run_id = uploaded["body"]["test_run_id"]
        read = json.loads(run_stand_step(home, project, "read", run_id))
        assert read["run"]["test_run_id"] == run_id and read["run"]["status"] == "fail"
        assert read["run"]["test_stand_name"] == "EOL stand 3" and read["listed"] == [run_id]
        assert [c["case_id"] for c in read["failed"]] == ["test_power::test_current"]
        assert [(d["serial_number"], d["test_run_id"]) for d in read["duts"]] == [("BRD-0001", run_id)]

        # A real HardPy run, headless, uploads its report when it ends (autosync) with the stored token.
        monkeypatch.setenv("E2E_SERIAL", "E2E-0001")
        monkeypatch.setenv("E2E_VOUT", "5.037")
        _hardpy_run(home, tmp_path, address)
        key = {"X-API-KEY": factory.key("integration", "BI")}
        public = httpx.get(f"https://{address}/integration/api/v1/test_run", params={"serial_number": "E2E-0001"},
                           headers=key, verify=str(cert)).json()
        assert [(r["part_number"], r["status"], r["test_stand_name"]) for r in public] == [
            ("PCB-E2E", "pass", "E2E stand")]
        assert public[0]["dut_info"]["firmware_version"] == "2.0.1"
        runs = httpx.get(f"https://{address}/api/runs", params={"serial_number": "E2E-0001"},
                         headers=metrologist.headers, verify=str(cert))
        assert [r["id"] for r in runs.json()["items"]] == [public[0]["test_run_id"]], runs.text
        _run_is_in_history_and_spc(address, cert, metrologist, public[0]["test_run_id"])

        # After the access token expires, HardPy refreshes: the pair rotates and the upload still works.
        before = json.loads(run_stand_step(home, project, "tokens"))
        time.sleep(ACCESS_TTL + 1)
        expired = httpx.get(f"https://{address}/hardpy/api/v1/test_run", verify=str(cert),
                            headers={"Authorization": f"Bearer {before['access_token']}"})
        assert expired.status_code == 401 and 'error="invalid_token"' in expired.headers["www-authenticate"]
        again = json.loads(run_stand_step(home, project, "upload", "BRD-0002"))
        assert again["status"] == 201, again
        after = json.loads(run_stand_step(home, project, "tokens"))
        assert after["refresh_token"] != before["refresh_token"]
        stale = httpx.post(f"https://{address}/auth/api/oidc/token", verify=str(cert), data={
            "grant_type": "refresh_token", "refresh_token": before["refresh_token"],
            "client_id": "hardpy-report-uploader"})
        assert stale.status_code == 400 and stale.json()["error"] == "invalid_grant"

        # Revoked through the station client: the stand is refused at once.
        stands = page.get("/device/stands").get_data(as_text=True)
        assert "EOL stand 3" in stands
        key_id = re.search(r"/device/stands/(\d+)/revoke", stands).group(1)
        assert page.post(f"/device/stands/{key_id}/revoke").status_code == 302
        refused = json.loads(run_stand_step(home, project, "upload", "BRD-0003"))
        assert refused.get("status") == 401 or "refused" in refused, refused
        runs = httpx.get(f"https://{address}/hardpy/api/v1/test_run", verify=str(cert),
                         headers={"Authorization": f"Bearer {after['access_token']}"})
        assert runs.status_code == 401
