"""Idempotency-Key on creating writes: a repeat answers the first answer and stores nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.measurements.helpers import call, count_rows, single


@pytest.fixture
def plan(plans):
    return plans.recipe()


def keyed(key: str) -> dict:
    return {"headers": {"Idempotency-Key": key}}


def batch_body(plan, serial: str) -> dict:
    return {"measurements": [single(plan, i, 10.0, serial=serial) for i in range(len(plan.subtask_ids))]}


def test_a_repeated_batch_answers_the_first_answer_and_stores_nothing(client, app, plan, operator):
    body = batch_body(plan, "IDEM-1")
    first = call(client, operator, "POST", "/measurements/batch", 200, json=body, **keyed("batch-1"))
    runs, values = count_rows(app, "runs"), count_rows(app, "measurements")
    again = call(client, operator, "POST", "/measurements/batch", 200, json=body, **keyed("batch-1"))
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (count_rows(app, "runs"), count_rows(app, "measurements")) == (runs, values)


def test_key_order_and_spacing_of_the_body_do_not_make_another_request(client, app, plan, operator):
    body = single(plan, 0, 10.1, serial="IDEM-ORDER")
    first = call(client, operator, "POST", "/measurements/", 200, json=body, **keyed("k-order")).json()
    text = "{ " + ", ".join(f'"{k}": {__import__("json").dumps(v)}' for k, v in reversed(body.items())) + " }"
    again = call(client, operator, "POST", "/measurements/", 200, content=text,
                 headers={"Idempotency-Key": "k-order", "Content-Type": "application/json"}).json()
    assert again == first


def test_the_same_key_with_another_body_is_refused(client, app, plan, operator):
    call(client, operator, "POST", "/measurements/", 200, json=single(plan, 0, 10.1, serial="IDEM-2"),
         **keyed("k-2"))
    values = count_rows(app, "measurements")
    res = call(client, operator, "POST", "/measurements/", 422, json=single(plan, 0, 10.2, serial="IDEM-2"),
               **keyed("k-2"))
    assert "Idempotency-Key" in res.json()["detail"]
    other_route = call(client, operator, "POST", "/measurements/batch", 422,
                       json={"measurements": [single(plan, 0, 10.1, serial="IDEM-2")]}, **keyed("k-2"))
    assert "Idempotency-Key" in other_route.json()["detail"]
    assert count_rows(app, "measurements") == values


def test_runs_and_run_values_replay_with_their_status(client, app, plan, operator, plans):
    station = plans.station()
    body = {"recipe_id": plan.recipe_id, "serial_number": "IDEM-RUN", "station_code": station}
    run = call(client, operator, "POST", "/runs", 201, json=body, **keyed("run-1")).json()
    assert call(client, operator, "POST", "/runs", 201, json=body, **keyed("run-1")).json() == run
    assert count_rows(app, "runs") == 1
    value = {"subtask_id": plan.subtask_ids[0], "value": 10.0}
    stored = call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201, json=value,
                  **keyed("v-1")).json()
    again = call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201, json=value, **keyed("v-1"))
    assert again.json() == stored and count_rows(app, "measurements") == 1
    several = {"measurements": [{"subtask_id": s, "value": 10.0} for s in plan.subtask_ids[1:]]}
    listed = call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201, json=several,
                  **keyed("v-2")).json()
    assert call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201, json=several,
                **keyed("v-2")).json() == listed
    assert count_rows(app, "measurements") == len(plan.subtask_ids)


def test_without_a_key_every_request_stores(client, app, plan, operator):
    body = single(plan, 0, 10.1, serial="IDEM-NONE")
    first = call(client, operator, "POST", "/measurements/", 200, json=body).json()
    second = call(client, operator, "POST", "/measurements/", 200, json=body).json()
    assert first["id"] != second["id"]


def test_keys_belong_to_their_user(client, app, plan, operator, factory):
    other = factory.user("MeasurementTec", username="operator2")
    body = single(plan, 0, 10.1, serial="IDEM-USERS")
    mine = call(client, operator, "POST", "/measurements/", 200, json=body, **keyed("shared")).json()
    theirs = call(client, other, "POST", "/measurements/", 200, json=body, **keyed("shared")).json()
    assert mine["id"] != theirs["id"]


def test_a_refused_request_keeps_its_key_free(client, app, plan, operator):
    bad = {"measurements": [single(plan, 0, 10.0, serial="IDEM-BAD") | {"version_id": 999999}]}
    call(client, operator, "POST", "/measurements/batch", 404, json=bad, **keyed("k-bad"))
    assert count_rows(app, "idempotency_keys") == 0


def test_an_expired_key_is_a_new_request(client, app, plan, operator, settings):
    body = single(plan, 0, 10.1, serial="IDEM-OLD")
    first = call(client, operator, "POST", "/measurements/", 200, json=body, **keyed("k-old")).json()
    stale = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=settings.idempotency_key_hours, minutes=1)
    with app.state.engine.begin() as conn:
        conn.execute(sa.text("UPDATE idempotency_keys SET created_at = :t"), {"t": stale})
    second = call(client, operator, "POST", "/measurements/", 200, json=body, **keyed("k-old")).json()
    assert second["id"] != first["id"]


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "é"])
def test_malformed_keys_are_refused(client, plan, operator, key):
    res = client.post("/api/measurements/", json=single(plan, 0, 10.1),
                      headers={**operator.headers, "Idempotency-Key": key.encode("utf-8")})
    assert res.status_code == 422


def test_keys_are_kept_at_least_a_day():
    from tiemeasureflow.config.server import Settings
    assert Settings().idempotency_key_hours >= 24
    with pytest.raises(ValueError):
        Settings(idempotency_key_hours=23)
