"""End-of-line electrical tests of demo parts, stored as HardPy stands upload them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ..public_api.report_schemas import HardpyReportIn
from ..public_api.uploads import store_report

STAND = {"hw_id": "EOL-STAND-01", "name": "EOL electrical stand 1", "location": "Hall B, end of line",
         "revision": "2.1", "timezone": "Europe/Rome", "number": 1, "drivers": {}, "instruments": [], "info": {}}
EVERY_NTH = 6  # one part in six goes through the sampled electrical test
MAX_REPORTS = 300  # enough to show the merged history; uploads go through the full upload path
FAIL_RATE = 0.04


def _case(name: str, start: float, passed: bool, measurement: dict, message: str | None) -> dict:
    return {"status": "passed" if passed else "failed", "name": name, "start_time": start, "stop_time": start + 4,
            "assertion_msg": None if passed else message, "msg": None, "measurements": [measurement],
            "chart": None, "attempt": 1, "group": "main", "artifact": {}}


def report(part_number: str, serial: str, lot: str, when: datetime, rng: random.Random) -> dict:
    """A HardPy run report for one part: insulation, current draw and firmware checks."""
    start = when.timestamp()
    insulation = round(rng.gauss(450, 60) if rng.random() > FAIL_RATE else rng.uniform(40, 95), 1)
    current = round(rng.gauss(50, 2.5), 2)
    ok_ins, ok_cur = insulation >= 100, 40 <= current <= 60
    cases = {
        "insulation": _case("Insulation resistance", start, ok_ins, {
            "type": "numeric", "name": "R_iso", "value": insulation, "unit": "MOhm", "operation": "ge",
            "comparison_value": 100.0, "result": ok_ins}, f"Insulation {insulation} MOhm below 100 MOhm"),
        "current": _case("Current consumption", start + 5, ok_cur, {
            "type": "numeric", "name": "I_idle", "value": current, "unit": "mA", "operation": "gele",
            "lower_limit": 40.0, "upper_limit": 60.0, "result": ok_cur}, f"Idle current {current} mA outside 40..60"),
        "firmware": _case("Firmware version", start + 10, True, {
            "type": "string", "name": "fw", "value": "1.4.2", "operation": "eq", "comparison_value": "1.4.2",
            "result": True}, None),
    }
    passed = ok_ins and ok_cur
    return {
        "id": f"eol-{serial}", "rev": "1", "name": "EOL electrical test", "status": "passed" if passed else "failed",
        "start_time": start, "stop_time": start + 15, "user": "eol-operator", "batch_serial_number": lot,
        "test_stand": STAND,
        "dut": {"name": "Drive shaft with sensor", "type": "shaft", "serial_number": serial,
                "part_number": part_number, "revision": "C", "sub_units": [],
                "info": {"firmware_version": "1.4.2", "lot_number": lot}},
        "process": {"name": "End of line", "number": 3, "info": {}},
        "modules": {"electrical": {"status": "passed" if passed else "failed", "name": "Electrical checks",
                                   "start_time": start, "stop_time": start + 15, "group": "main",
                                   "artifact": {}, "cases": cases}},
    }


def upload_end_of_line(session: Session, candidates: list[tuple[str, str, str, datetime]], seed: int) -> int:
    """Store every n-th candidate's end-of-line report, two hours after its machining run; returns how many."""
    rng = random.Random(seed)
    stored = 0
    for part_number, serial, lot, finished in candidates[::EVERY_NTH][-MAX_REPORTS:]:
        original = report(part_number, serial, lot, finished + timedelta(hours=2), rng)
        store_report(session, HardpyReportIn.model_validate(original), original, None)
        stored += 1
    return stored
