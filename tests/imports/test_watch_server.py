"""A real `tmf serve` with IMPORT_DIR: files dropped by CMM software become runs within seconds."""

from __future__ import annotations

import os
import time

import httpx

from tests.fixtures.app import TEST_PEPPER
from tests.fixtures.live import servers

from .helpers import FILES


def _wait_for(*paths) -> None:
    deadline = time.monotonic() + 60
    while not all(p.exists() for p in paths):
        assert time.monotonic() < deadline, f"not moved: {[p for p in paths if not p.exists()]}"
        time.sleep(0.1)


def test_the_server_imports_dropped_files_once(database_url, tmp_path, factory, plans):
    plans.station("ST-CMM-QA")
    metrologist = factory.user("Metrologist")
    inbox = tmp_path / "cmm-out"
    env = {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER,
           "IMPORT_DIR": str(inbox), "IMPORT_INTERVAL_SECONDS": "0.2", "IMPORT_STATION_CODE": "ST-CMM-QA",
           "LOG_LEVEL": "warning"}
    with servers(1, env, tmp_path) as (base,):
        for name in ("flange_results.qif", "housing.dfq"):
            target = inbox / name
            target.write_bytes((FILES / name).read_bytes())
            past = time.time() - 5
            os.utime(target, (past, past))
        _wait_for(inbox / "done" / "flange_results.qif", inbox / "done" / "housing.dfq")
        runs = httpx.get(f"{base}/api/runs", params={"per_page": 50}, headers=metrologist.headers).json()["items"]
    by_serial = {r["serial_number"]: r for r in runs}
    assert set(by_serial) == {"SN-Q1", "SN-Q2", "H-100", "H-101"}
    assert {r["station_code"] for r in runs} == {"ST-CMM-QA"}
    assert by_serial["SN-Q1"]["source"] == "qif" and by_serial["H-100"]["source"] == "dfq"
    assert (by_serial["H-100"]["status"], by_serial["H-101"]["status"]) == ("fail", "pass")
