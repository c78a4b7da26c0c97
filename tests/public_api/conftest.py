"""Keys, station runs measured through the API, and HardPy reports for the public API tests."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from itertools import count

import pytest
from schemathesis.python import asgi

INTEGRATION = "/integration/api/v1"
HARDPY = "/hardpy/api/v1"
_serials = count(1)
BASE_TIME = 1_767_261_600  # 2026-01-01T10:00:00Z


@pytest.fixture
def integration_key(factory) -> str:
    """A live integration key."""
    return factory.key("integration", "BI reader")


@pytest.fixture
def stand_key(factory) -> str:
    """A live stand key."""
    return factory.key("stand", "EOL stand")


@pytest.fixture
def http(app):
    """An in-process client that runs the application under one event loop (schemathesis's), for fuzz tests
    whose own requests and the fuzzer's must share it."""
    with asgi.get_client(app) as session:
        yield session


def both_key_headers(key: str) -> dict[str, str]:
    """Both key headers the documents declare, with one key: a fuzzer fills any it is not given, and two keys
    that disagree are refused before the request reaches its route."""
    return {"Authorization": f"Bearer {key}", "X-API-KEY": key}


@pytest.fixture
def reader(client, integration_key):
    """GET on the public API with an integration key."""
    def get(path: str, **params):
        return client.get(f"{INTEGRATION}{path}", params=params, headers={"X-API-KEY": integration_key})
    return get


@pytest.fixture
def uploader(client, stand_key):
    """POST a report to /hardpy/api/v1/test_report as HardPy does (Bearer)."""
    def post(report: dict):
        return client.post(f"{HARDPY}/test_report", json=report, headers={"Authorization": f"Bearer {stand_key}"})
    return post


def hardpy_report(serial: str | None = None, *, part_number: str = "PCB-7", status: str = "passed",
                  start: int = BASE_TIME, stand: str = "EOL stand 1", failed_case: bool = False, **top) -> dict:
    """A report shaped as HardPy's StandCloudLoader sends it (ResultRunStore.model_dump())."""
    voltage = {"type": "numeric", "name": "Vout", "value": 5.02, "unit": "V", "operation": "gele",
               "comparison_value": None, "lower_limit": 4.9, "upper_limit": 5.1, "result": True}
    cases = {"test_voltage": {
        "status": "passed", "stop_time": start + 3, "start_time": start + 1, "name": "Output voltage",
        "assertion_msg": None, "msg": None, "measurements": [voltage], "chart": None, "attempt": 1,
        "group": "main", "artifact": {},
    }}
    if failed_case:
        current = {**voltage, "name": "Iq", "value": 12.5, "unit": "mA", "lower_limit": 0, "upper_limit": 10,
                   "result": False}
        firmware = {"type": "string", "name": "fw", "value": "1.2.3", "operation": "eq",
                    "comparison_value": "1.2.4", "result": False, "casesensitive": True}
        cases["test_current"] = {
            "status": "failed", "stop_time": start + 5, "start_time": start + 3, "name": "Quiescent current",
            "assertion_msg": "Iq 12.5 mA above 10 mA", "msg": None, "measurements": [current, firmware],
            "chart": None, "attempt": 2, "group": "main", "artifact": {"log": "iq.txt"},
        }
    report = {
        "status": status, "stop_time": start + 60, "start_time": start, "name": "PCB-7 functional test",
        "rev": "3-abc", "id": "localhost_8000",
        "test_stand": {"hw_id": "hw-0001", "name": stand, "revision": "2", "timezone": "Europe/Rome",
                       "location": "Line B", "number": 1, "drivers": {}, "instruments": [], "info": {}},
        "dut": {"name": "PCB-7", "type": None, "serial_number": serial or f"PCB-SN-{next(_serials):05d}",
                "part_number": part_number, "revision": "C", "sub_units": [],
                "info": {"firmware_version": "1.2.3", "batch": 7}},
        "process": {"name": "EOL", "number": 3, "info": {}},
        "modules": {"test_power": {"status": status, "stop_time": start + 59, "start_time": start + 1,
                                   "name": "Power", "cases": cases, "group": "main", "artifact": {}}},
        "user": "op1", "batch_serial_number": "BATCH-9", "caused_dut_failure_id": None, "error_code": None,
        "artifact": {"firmware_image": "fw.bin"},
    }
    report.update(top)
    return copy.deepcopy(report)


@dataclass
class StationRuns:
    """Runs measured through the reference API: operator starts, enters values, finishes."""

    client: object
    operator: object
    plans: object

    def plan(self, name: str = "Shaft 42", code: str | None = None):
        """A recipe with two characteristics: 10 +/- 0.5 (warn 0.2) and 20 +/- 1 (warn 0.5)."""
        return self.plans.recipe(name=name, code=code)

    def station(self, name: str = "Gauge bench A") -> str:
        """A station; returns its code."""
        return self.plans.station(name=name)

    def run(self, plan, station: str, serial: str, values: tuple[float, ...] = (10.0, 20.0), *,
            lot: str | None = "LOT-1", finish: bool = True) -> dict:
        """Measure one part; returns the run as /api/runs answers it."""
        headers = self.operator.headers
        body = {"recipe_id": plan.recipe_id, "serial_number": serial, "station_code": station}
        if lot is not None:
            body["lot_number"] = lot
        res = self.client.post("/api/runs", json=body, headers=headers)
        assert res.status_code == 201, res.text
        run = res.json()
        items = [{"subtask_id": sid, "value": v} for sid, v in zip(plan.subtask_ids, values, strict=False)]
        if items:
            res = self.client.post(f"/api/runs/{run['id']}/measurements", json={"measurements": items}, headers=headers)
            assert res.status_code in (200, 201), res.text
        if finish:
            res = self.client.post(f"/api/runs/{run['id']}/finish", json={"allow_incomplete": True}, headers=headers)
            assert res.status_code == 200, res.text
            run = res.json()
        return run


@pytest.fixture
def station_runs(client, operator, plans) -> StationRuns:
    """Builds station-measured runs through HTTP."""
    return StationRuns(client, operator, plans)
