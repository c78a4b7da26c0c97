"""Notifications: signed webhooks with retries and a delivery log, MQTT on the real broker, e-mail over SMTP."""

from __future__ import annotations

import uuid
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from tests.fixtures.app import make_settings
from tests.measurements.helpers import call, start_run

from .conftest import wait_for
from .helpers import alarms, batch
from .receivers import MqttSubscriber, WebhookReceiver, free_port

SECRET = "s3cret-for-tests"
EVENTS = ["alarm.raised", "alarm.acknowledged", "run.failed"]


def _hook(client, admin, url: str, events=EVENTS) -> dict:
    return call(client, admin, "POST", "/webhooks", 201, json={"url": url, "secret": SECRET, "events": events}).json()


def test_webhook_receives_signed_events_with_names(client, admin, operator, metrologist, plans):
    plan = plans.recipe()
    station = plans.station()
    with WebhookReceiver() as receiver:
        hook = _hook(client, admin, receiver.url)
        assert "secret" not in hook
        run = start_run(client, operator, plan, station, serial="W-1")
        call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201,
             json={"subtask_id": plan.subtask_ids[0], "value": 12.0})
        call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201,
             json={"subtask_id": plan.subtask_ids[1], "value": 20.0})
        call(client, operator, "POST", f"/runs/{run['id']}/finish", 200, json={})
        got = wait_for(lambda: len(receiver.verified(SECRET)) >= 2 and receiver.verified(SECRET), "two events")
        by_type = {e["event"]: e for e in got}
        raised = by_type["alarm.raised"]["data"]
        assert raised["kind"] == "tolerance" and raised["value"] == 12.0
        assert raised["station"]["code"] == station and raised["recipe"]["code"] == plan.code
        assert raised["characteristic"]["marker_number"] == 1 and raised["run"]["serial_number"] == "W-1"
        failed = by_type["run.failed"]["data"]
        assert failed["id"] == run["id"] and failed["status"] == "fail" and failed["station"]["code"] == station
        assert receiver.received[0]["headers"]["X-TMF-Event"] in EVENTS
        call(client, metrologist, "POST", f"/alarms/{raised['id']}/acknowledge", 200,
             json={"cause": "setup", "action": "Offset corrected"})
        acked = wait_for(lambda: [e for e in receiver.verified(SECRET) if e["event"] == "alarm.acknowledged"],
                         "the acknowledgement event")[0]["data"]
        assert acked["id"] == raised["id"] and acked["acknowledgement"]["cause"]["code"] == "setup"
        assert acked["acknowledgement"]["by"]["username"] == "metrologist"
        assert len(receiver.verified("wrong-secret")) == 0
    log = call(client, admin, "GET", f"/webhooks/{hook['id']}/deliveries", 200).json()
    assert log["total"] == 3 and {d["status"] for d in log["items"]} == {"delivered"}
    assert {d["response_status"] for d in log["items"]} == {204}


def test_receiver_outage_is_retried_and_never_blocks_a_measurement(client, admin, operator, plans):
    plan = plans.recipe()
    dead = f"http://127.0.0.1:{free_port()}/nobody-listens"
    hook = _hook(client, admin, dead, ["alarm.raised"])
    batch(client, operator, plan, [11.0])  # stored although the receiver is down
    assert alarms(client, admin)["total"] == 1
    failing = wait_for(lambda: [d for d in call(client, admin, "GET", f"/webhooks/{hook['id']}/deliveries", 200)
                                .json()["items"] if d["attempts"] >= 2], "two failed attempts")
    assert failing[0]["status"] == "pending" and failing[0]["error"] and failing[0]["delivered_at"] is None
    with WebhookReceiver(failures=1) as receiver:
        call(client, admin, "PATCH", f"/webhooks/{hook['id']}", 200, json={"url": receiver.url})
        got = wait_for(lambda: receiver.verified(SECRET), "the delivery once the receiver is back")
        assert got[0]["data"]["value"] == 11.0
    done = call(client, admin, "GET", f"/webhooks/{hook['id']}/deliveries", 200).json()["items"][0]
    assert done["status"] == "delivered" and done["attempts"] >= 3


def test_webhook_management_is_admin_only_and_validated(client, admin, metrologist):
    call(client, metrologist, "POST", "/webhooks", 403, json={"url": "http://127.0.0.1/x", "secret": SECRET,
                                                             "events": EVENTS})
    call(client, admin, "POST", "/webhooks", 422, json={"url": "ftp://host/x", "secret": SECRET, "events": EVENTS})
    call(client, admin, "POST", "/webhooks", 422, json={"url": "http://10.0.0.5/x", "secret": SECRET,
                                                       "events": ["nothing.happened"]})
    hook = _hook(client, admin, "http://10.0.0.5:8080/tmf")  # plant addresses are allowed
    assert [h["id"] for h in call(client, admin, "GET", "/webhooks", 200).json()] == [hook["id"]]
    updated = call(client, admin, "PATCH", f"/webhooks/{hook['id']}", 200, json={"events": ["run.failed"],
                                                                               "active": False}).json()
    assert updated["events"] == ["run.failed"] and updated["active"] is False
    call(client, admin, "DELETE", f"/webhooks/{hook['id']}", 204)
    call(client, admin, "GET", f"/webhooks/{hook['id']}", 404)
    call(client, admin, "GET", f"/webhooks/{hook['id']}/deliveries", 404)


@pytest.fixture
def smtp_server():
    """A local SMTP server collecting messages."""
    messages = []

    class Collect(Message):
        def handle_message(self, message):
            messages.append(message)

    controller = Controller(Collect(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, messages
    controller.stop()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, request):
    """Quick worker; MQTT at the local broker; e-mail to the test's SMTP server when it has one."""
    extra = {}
    if "smtp_server" in request.fixturenames:
        controller, _ = request.getfixturevalue("smtp_server")
        extra = dict(smtp_host="127.0.0.1", smtp_port=controller.port, smtp_to="quality@plant.example",
                     smtp_from="tmf@plant.example")
    return make_settings(database_url, tmp_path / "data", alarm_interval_seconds=0.1, webhook_retry_seconds=0.2,
                         mqtt_url="mqtt://127.0.0.1:1883", **extra)


def test_events_are_published_to_mqtt_with_qos_1(client, operator, metrologist, plans):
    # The broker is shared by every test process: codes of our own tell our messages and topic apart.
    own = uuid.uuid4().hex[:8].upper()
    plan = plans.recipe(code=f"RCP-{own}")
    station = plans.station(f"ST-{own}")
    with MqttSubscriber() as subscriber:
        run = start_run(client, operator, plan, station, serial="M-1")
        call(client, operator, "POST", f"/runs/{run['id']}/measurements", 201,
             json={"subtask_id": plan.subtask_ids[0], "value": 9.0})
        batch(client, operator, plan, [12.0], serial_prefix="NOSTATION")
        topics = f"tmf/{station}/alarm/raised", "tmf/-/alarm/raised"

        def ours_so_far():
            return [(t, p, q) for t, p, q in subscriber.messages
                    if t in topics and (p["data"].get("recipe") or {}).get("code") == plan.code]

        ours = wait_for(lambda: {t for t, _, _ in ours_so_far()} >= set(topics) and ours_so_far(),
                        "both alarms on the broker")
    assert {t for t, _, _ in ours} == set(topics) and {q for _, _, q in ours} == {1}
    at_station = next(p for t, p, _ in ours if t == topics[0])
    assert at_station["event"] == "alarm.raised" and at_station["data"]["run"]["serial_number"] == "M-1"


def test_events_are_mailed_through_smtp(client, operator, plans, smtp_server):
    _, messages = smtp_server
    plan = plans.recipe()
    batch(client, operator, plan, [12.0])
    wait_for(lambda: len(messages) >= 2, "the alarm and the failed run by e-mail")
    subjects = sorted(m["Subject"] for m in messages)
    assert any("alarm.raised" in s and plan.code in s for s in subjects)
    assert any("run.failed" in s for s in subjects)
    assert all(m["To"] == "quality@plant.example" for m in messages)
    body = message_from_bytes(messages[0].as_bytes()).get_payload()
    assert plan.code in body
