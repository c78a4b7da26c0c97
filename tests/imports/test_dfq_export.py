"""The AQDEF export, read back by the independent aqdefreader package: same part, characteristics, limits, values."""

from __future__ import annotations

import aqdefreader

from tests.measurements.helpers import add, call, start_run

SUBTASKS = [
    {"nominal": 25.0, "ltl": 24.9, "lwl": 24.95, "uwl": 25.05, "utl": 25.1, "measurement_type": "diameter"},
    {"nominal": 0.0, "ltl": None, "lwl": None, "uwl": None, "utl": 0.05, "measurement_type": "flatness"},
    {"nominal": -3.5, "ltl": -3.6, "lwl": None, "uwl": None, "utl": -3.4, "measurement_type": "distance"},
]
VALUES = {"SN-D1": [25.07, 0.031, -3.55], "SN-D2": [24.93, 0.012, -3.41]}


def _number(value) -> float:
    # aqdefreader turns only comma decimals into numbers; the export writes the point the issue asks for.
    return float(value)


def test_aqdefreader_reads_the_export(client, plans, operator, metrologist, tmp_path):
    plan = plans.recipe(SUBTASKS, code="SHAFT-DFQ")
    station = plans.station("ST-DFQ")
    for serial, values in VALUES.items():
        run = start_run(client, operator, plan, station, serial=serial, lot="LOT-7")
        for subtask_id, value in zip(plan.subtask_ids, values, strict=True):
            add(client, operator, run["id"], subtask_id, value)
    res = call(client, metrologist, "GET", f"/measurements/export/dfq?recipe_id={plan.recipe_id}", 200)
    assert res.headers["content-type"].startswith("text/plain")
    assert b"K0001/1 25.07\r\n" in res.content  # a coded value line, "." as decimal separator
    path = tmp_path / "export.dfq"
    path.write_bytes(res.content)
    dfq = aqdefreader.read_dfq_file(str(path))
    assert dfq.part_count() == 1
    part = dfq.get_part(0)
    assert part.get_part_no() == "SHAFT-DFQ"
    characteristics = part.get_characteristics()
    assert [c.get_data("K2001") for c in characteristics] == [1, 2, 3]
    for characteristic, spec in zip(characteristics, SUBTASKS, strict=True):
        assert _number(characteristic.get_data("K2101")) == spec["nominal"]
        assert (None if characteristic.get_data("K2110") is None else _number(characteristic.get_data("K2110"))) \
            == spec["ltl"]
        assert _number(characteristic.get_data("K2111")) == spec["utl"]
        assert characteristic.get_data("K2142") == "mm"
    read = [[_number(m.value) for m in c.get_measurements()] for c in characteristics]
    assert read == [list(column) for column in zip(*VALUES.values(), strict=True)]


def test_the_export_takes_the_measurement_filters(client, plans, operator, metrologist):
    plan = plans.recipe(SUBTASKS, code="SHAFT-F")
    station = plans.station("ST-F")
    for serial, values in VALUES.items():
        run = start_run(client, operator, plan, station, serial=serial)
        for subtask_id, value in zip(plan.subtask_ids, values, strict=True):
            add(client, operator, run["id"], subtask_id, value)
    one = call(client, metrologist, "GET", "/measurements/export/dfq?serial_number=SN-D2", 200).content
    assert b"K0014/1 SN-D2" in one and b"SN-D1" not in one and one.count(b"K0001/") == 3
    call(client, metrologist, "GET", "/measurements/export/dfq?serial_number=NONE", 409)
    other = plans.recipe(SUBTASKS, code="OTHER")
    run = start_run(client, operator, other, station, serial="SN-O")
    add(client, operator, run["id"], other.subtask_ids[0], 25.0)
    assert "several recipes" in call(client, metrologist, "GET", "/measurements/export/dfq", 409).json()["detail"]
    call(client, operator, "GET", f"/measurements/export/dfq?recipe_id={plan.recipe_id}", 200)
