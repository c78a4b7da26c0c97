"""The ORM and the bulk write paths store a run, its values and its device the same way, column by column.

The same values go in through the single-value route (ORM) and the batch route (driver rows);
`tmf demo-data` (driver rows too) is compared by the form of what it stores. Rows are read back
with plain SQL, so a column written in another form (SQLite's datetime text, a UUID with or
without dashes, a time in another zone) fails the comparison.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import sqlalchemy as sa

from tests.demodata.support import demo_data
from tests.measurements.helpers import call, single

# Every column but these must be equal; these differ by nature, so only their form is compared.
FORM_ONLY = {"id", "run_id", "last_run_id", "xid", "started_at", "finished_at", "measured_at", "last_started_at"}
TIMES = {"started_at", "finished_at", "measured_at", "last_started_at"}
VALUES = (10.1, 19.2)  # a pass and a warning: the run is a warning


def _rows(client, sql: str, **params) -> list[dict]:
    """Rows as the driver returns them (no SQLAlchemy type processing), oldest first."""
    with client.app.state.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.text(sql), params)]


def _stored(client, serial: str) -> tuple[dict, list[dict], dict]:
    """The run of a serial, its values by subtask, its device row."""
    [run] = _rows(client, "SELECT * FROM runs WHERE serial_number = :s", s=serial)
    values = _rows(client, "SELECT * FROM measurements WHERE serial_number = :s ORDER BY subtask_id", s=serial)
    [device] = _rows(client, "SELECT * FROM tested_duts WHERE serial_number = :s", s=serial)
    return run, values, device


def _form(value) -> tuple[str, str]:
    """The driver's type and, for text, its shape (digits and hex letters masked): 'xxxx-xx-xx xx:...'."""
    text = re.sub(r"[0-9a-f]", "x", value) if isinstance(value, str) else ""
    return type(value).__name__, text


def _naive_utc(value) -> datetime:
    """A stored time as naive UTC (SQLite text or the driver's datetime), refusing a time with a zone."""
    stamp = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert stamp.tzinfo is None, value
    return stamp


def _assert_same(orm: dict, bulk: dict, per_path: dict[str, tuple]) -> None:
    assert orm.keys() == bulk.keys()
    for column in orm:
        if column in per_path:
            assert (orm[column], bulk[column]) == per_path[column], column
        elif column in FORM_ONLY:
            assert _form(orm[column]) == _form(bulk[column]), (column, orm[column], bulk[column])
        else:
            assert (column, orm[column]) == (column, bulk[column])


def _assert_linked(run: dict, values: list[dict], device: dict, before: datetime | None = None,
                   after: datetime | None = None) -> None:
    """Values and device point at the run in its stored form; times are naive UTC within the write."""
    assert {v["run_id"] for v in values} == {run["id"]} and device["last_run_id"] == run["id"]
    assert device["last_started_at"] == run["started_at"]
    for row in (run, device, *values):
        for column in TIMES & row.keys():
            if row[column] is not None and before and after:
                assert before <= _naive_utc(row[column]) <= after, (column, row[column])


def test_the_batch_route_stores_what_the_single_value_route_stores(client, plans, operator):
    plan = plans.recipe()
    before = datetime.now(UTC).replace(tzinfo=None)
    for index, value in enumerate(VALUES):
        call(client, operator, "POST", "/measurements", 200,
             json=single(plan, index, value, serial="ORM-1", input_method="usb_caliper"))
    call(client, operator, "POST", "/measurements/batch", 200, json={"measurements": [
        single(plan, index, value, serial="BULK-1", input_method="usb_caliper") for index, value in enumerate(VALUES)]})
    after = datetime.now(UTC).replace(tzinfo=None)
    (orm_run, orm_values, orm_device), (bulk_run, bulk_values, bulk_device) = _stored(client, "ORM-1"), \
        _stored(client, "BULK-1")
    assert orm_run["status"] == "warning" and len(orm_values) == len(bulk_values) == 2
    serials = ("ORM-1", "BULK-1")
    # A run opened by a single value finishes itself; a batch's run is finished as it is written.
    _assert_same(orm_run, bulk_run, {"serial_number": serials, "auto_finish": (orm_run["auto_finish"], False)})
    assert orm_run["auto_finish"] in (True, 1)
    for orm_value, bulk_value in zip(orm_values, bulk_values, strict=True):
        _assert_same(orm_value, bulk_value, {"serial_number": serials})
    _assert_same(orm_device, bulk_device, {"serial_number": serials})
    _assert_linked(orm_run, orm_values, orm_device, before, after)
    _assert_linked(bulk_run, bulk_values, bulk_device, before, after)


def test_demo_history_is_stored_in_the_forms_the_orm_stores(client, plans, operator, database_url, tmp_path):
    demo_data(database_url, tmp_path / "demo", 7)
    plan = plans.recipe()
    for index, value in enumerate(VALUES):
        call(client, operator, "POST", "/measurements", 200, json=single(plan, index, value, serial="ORM-1"))
    orm_run, orm_values, orm_device = _stored(client, "ORM-1")
    # A demo run with a corrected value, so the correction columns are compared too.
    [corrected] = _rows(client, "SELECT run_id FROM measurements WHERE supersedes_id IS NOT NULL ORDER BY id LIMIT 1")
    [demo_run] = _rows(client, "SELECT * FROM runs WHERE id = :id", id=corrected["run_id"])
    demo_values = _rows(client, "SELECT * FROM measurements WHERE run_id = :id ORDER BY id", id=demo_run["id"])
    # The device's latest run may be its end-of-line test; the run itself is linked by the join below.
    [demo_device] = _rows(client, "SELECT * FROM tested_duts WHERE serial_number = :s", s=demo_run["serial_number"])
    assert len(demo_values) > 1
    pairs = [(orm_run, demo_run), (orm_device, demo_device)] + [(orm_values[0], v) for v in demo_values]
    for orm, demo in pairs:
        assert orm.keys() == demo.keys()
        for column in orm:
            if orm[column] is not None and demo[column] is not None:
                assert type(orm[column]) is type(demo[column]), (column, orm[column], demo[column])
                if column in FORM_ONLY:
                    assert _form(orm[column]) == _form(demo[column]), (column, orm[column], demo[column])
        # Every time and id column is filled on both paths, so none escapes the comparison above.
        assert all(orm[c] is not None and demo[c] is not None for c in FORM_ONLY & orm.keys() - {"finished_at"})
    # Whole demo tables join on the stored forms: every value has its run, every device its latest run.
    [unlinked] = _rows(client, "SELECT COUNT(*) AS n FROM measurements m LEFT JOIN runs r ON r.id = m.run_id "
                               "WHERE r.id IS NULL")
    [stale] = _rows(client, "SELECT COUNT(*) AS n FROM tested_duts d JOIN runs r ON r.id = d.last_run_id "
                            "WHERE r.started_at <> d.last_started_at")
    assert unlinked["n"] == stale["n"] == 0
