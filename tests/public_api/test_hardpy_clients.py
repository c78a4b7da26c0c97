"""HardPy's own StandCloudLoader and StandCloudReader against `tmf serve` over HTTPS (self-signed)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from hardpy import StandCloudLoader, StandCloudReader
from hardpy.common.config import ConfigManager
from hardpy.common.stand_cloud.connector import StandCloudConnector
from hardpy.common.stand_cloud.utils import StandCloudAPIMode
from hardpy.pytest_hardpy.db.schema import v1 as hp
from hardpy.pytest_hardpy.utils import const

from ..fixtures.app import TEST_PEPPER
from .https_server import tmf_serve_https

START = 1_767_261_600  # 2026-01-01T10:00:00Z


def _report(serial: str) -> hp.ResultRunStore:
    """A failed run of two cases, built with HardPy's own schema classes."""
    op, status, main = const.ComparisonOperation, const.TestStatus, const.Group.MAIN
    vout = hp.NumericMeasurement(name="Vout", value=5.01, unit="V", operation=op.GELE, lower_limit=4.9,
                                 upper_limit=5.1, result=True)
    iq = hp.NumericMeasurement(name="Iq", value=12.5, unit="mA", operation=op.LE, comparison_value=10, result=False)
    fw = hp.StringMeasurement(name="fw", value="1.2.3", operation=op.EQ, comparison_value="1.2.3", result=True)
    cases = {
        "test_voltage": hp.CaseRunStore(status=status.PASSED, start_time=START + 1, stop_time=START + 2,
                                        name="Output voltage", measurements=[vout, fw], group=main),
        "test_current": hp.CaseRunStore(status=status.FAILED, start_time=START + 2, stop_time=START + 4,
                                        name="Quiescent current", assertion_msg="Iq 12.5 mA > 10 mA",
                                        measurements=[iq], attempt=1, group=main),
    }
    module = hp.ModuleRunStore(status=status.FAILED, start_time=START + 1, stop_time=START + 4, name="Power",
                               cases=cases, group=main)
    stand = hp.TestStand(hw_id="c0ffee", name="EOL stand 3", location="Line B", timezone="Europe/Rome",
                         instruments=[hp.Instrument(name="PSU")])
    return hp.ResultRunStore(
        _rev="1-a", _id="localhost_8000", status=status.FAILED, start_time=START, stop_time=START + 754,
        name="Board EOL", test_stand=stand,
        dut=hp.Dut(serial_number=serial, part_number="BOARD-1", info={"firmware_version": "1.2.3"}),
        process=hp.Process(name="EOL"), modules={"test_power": module}, batch_serial_number="BATCH-42",
        caused_dut_failure_id="test_power::test_current",
    )


@pytest.fixture
def hardpy_stand(tmp_path, monkeypatch, stand_key):
    """A HardPy project folder pointing at the server: hardpy.toml plus the key in HARDPY_SC_API_KEY."""
    def configure(address: str) -> None:
        project = tmp_path / "hardpy_project"
        project.mkdir()
        (project / "hardpy.toml").write_text(f'[stand_cloud]\naddress = "{address}"\n')
        # HardPy reads its key from the environment (or a .env beside hardpy.toml).
        monkeypatch.setenv("HARDPY_SC_API_KEY", stand_key)
        (project / ".env").write_text(f"HARDPY_SC_API_KEY={stand_key}\n")
        assert ConfigManager().read_config(project) is not None
    return configure


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_hardpy_uploads_and_reads_back_over_https(database_url, tmp_path, hardpy_stand, integration_key):
    with tmf_serve_https(database_url, TEST_PEPPER, tmp_path) as (address, _cert):
        hardpy_stand(address)
        loader = StandCloudLoader()
        health = loader.healthcheck()
        assert health.status_code == HTTPStatus.OK and health.text == "{}"
        first = loader.load(_report("BRD-0001"))
        assert first.status_code == HTTPStatus.CREATED, first.text
        run_id = first.json()["test_run_id"]
        again = loader.load(_report("BRD-0001"))
        assert again.status_code == HTTPStatus.CREATED and again.json()["test_run_id"] == run_id

        reader = StandCloudReader(StandCloudConnector(address, api_mode=StandCloudAPIMode.INTEGRATION,
                                                      api_key=integration_key))
        run = reader.test_run(run_id).json()
        assert run["test_run_id"] == run_id and run["status"] == "fail"
        assert (run["part_number"], run["serial_number"], run["number_of_attempt"]) == ("BOARD-1", "BRD-0001", 1)
        assert (run["test_stand_name"], run["test_stand_hw_id"]) == ("EOL stand 3", "c0ffee")
        assert run["test_stand_info"]["location"] == "Line B"
        assert run["dut_info"] == {"firmware_version": "1.2.3", "lot_number": "BATCH-42"}
        assert (run["start_time"], run["stop_time"]) == ("2026-01-01T10:00:00Z", "2026-01-01T10:12:34Z")
        assert (run["duration"], run["duration_seconds"]) == ("PT12M34S", 754.0)
        assert run["test_plan_name"] == "Board EOL"

        listed = reader.test_run(params={"part_number": "BOARD-1", "firmware_version": "1.2.3"})
        assert listed.status_code == 200 and [r["test_run_id"] for r in listed.json()] == [run_id]
        assert reader.test_run(params={"status": "pass"}).json() == []

        failed = reader.request(f"test_run/{run_id}/failed_case").json()
        assert [(c["case_id"], c["assertion_msg"]) for c in failed] == [("test_power::test_current",
                                                                         "Iq 12.5 mA > 10 mA")]
        assert failed[0]["measurements"][0]["comparison_value"] == 10

        duts = reader.tested_dut({"test_stand_name": "EOL stand 3", "firmware_version": "1.2.3"}).json()
        assert [(d["serial_number"], d["attempt_count"], d["test_run_id"]) for d in duts] == [
            ("BRD-0001", 1, run_id)]
        assert reader.test_run(run_id="00000000-0000-4000-8000-000000000000").status_code == 404
