"""The database itself refuses a run status, judgment or input method outside the vocabulary."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tests.measurements.helpers import add, start_run
from tiemeasureflow.kit.vocabulary import INPUT_METHODS, JUDGMENTS, RUN_STATUSES


@pytest.fixture
def stored(client, plans, operator) -> tuple[str, int]:
    plan = plans.recipe()
    run = start_run(client, operator, plan, plans.station("ST-A"))
    value = add(client, operator, run["id"], plan.subtask_ids[0], 10.0)
    return run["id"], value["id"]


def _columns(conn, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(conn).get_columns(table)]


def copy_measurement(conn, measurement_id: int, **changed) -> None:
    """Insert a copy of a stored measurement with some columns changed, through the raw driver's SQL."""
    columns = [c for c in _columns(conn, "measurements") if c not in ("id", "xid")]
    picked = ", ".join(f":{c}" if c in changed else c for c in columns)
    conn.execute(sa.text(f"INSERT INTO measurements (id, {', '.join(columns)}) "  # noqa: S608 - names from the schema
                         f"SELECT (SELECT MAX(id) + 1 FROM measurements), {picked} FROM measurements WHERE id = :id"),
                 {"id": measurement_id, **changed})


def copy_run(conn, run_id: str, **changed) -> None:
    """Insert a copy of a stored run under a new id with some columns changed."""
    columns = [c for c in _columns(conn, "runs") if c != "id"]
    picked = ", ".join(f":{c}" if c in changed else c for c in columns)
    new_id = uuid.uuid4()
    conn.execute(sa.text(f"INSERT INTO runs (id, {', '.join(columns)}) "  # noqa: S608 - names from the schema
                         f"SELECT :new_id, {picked} FROM runs WHERE id = :id"),
                 {"id": _stored_uuid(conn, run_id), "new_id": _stored_uuid(conn, str(new_id)), **changed})


def _stored_uuid(conn, value: str):
    # SQLAlchemy stores UUIDs as 32 hex digits on SQLite and as the native type on PostgreSQL.
    return uuid.UUID(value).hex if conn.dialect.name == "sqlite" else uuid.UUID(value)


@pytest.mark.parametrize(("column", "bad"), [("pass_fail", "ok"), ("pass_fail", "PASS"),
                                             ("input_method", "telepathy"), ("input_method", "")])
def test_a_raw_insert_of_a_measurement_outside_the_vocabulary_is_refused(app, stored, column, bad):
    with pytest.raises(sa.exc.IntegrityError):
        with app.state.engine.begin() as conn:
            copy_measurement(conn, stored[1], **{column: bad})
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM measurements")).scalar_one() == 1


def test_a_raw_run_status_outside_the_vocabulary_is_refused_on_insert_and_update(app, stored):
    with pytest.raises(sa.exc.IntegrityError):
        with app.state.engine.begin() as conn:
            copy_run(conn, stored[0], status="done")
    with pytest.raises(sa.exc.IntegrityError):
        with app.state.engine.begin() as conn:
            conn.execute(sa.text("UPDATE runs SET status = 'done'"))
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT status FROM runs")).scalars().all() == ["in_progress"]


def test_every_word_of_the_vocabulary_is_accepted(app, stored):
    with app.state.engine.begin() as conn:
        for judgment in JUDGMENTS:
            copy_measurement(conn, stored[1], pass_fail=judgment)
        for method in INPUT_METHODS:
            copy_measurement(conn, stored[1], input_method=method)
        for status in RUN_STATUSES:
            copy_run(conn, stored[0], status=status)
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM measurements")).scalar_one() == 1 + 3 + 7
        assert conn.execute(sa.text("SELECT COUNT(*) FROM runs")).scalar_one() == 1 + 5
