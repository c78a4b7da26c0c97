"""kill -9 of a real server and lost answers during batches: retries with the same key store every part once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import httpx

from tests.fixtures.app import TEST_PEPPER
from tests.fixtures.live import _wait_until_up, free_port, one_at_a_time
from tests.fixtures.lossy_proxy import LossyProxy
from tests.measurements.helpers import single

pytestmark = one_at_a_time

BATCHES = 40
PARTS_PER_BATCH = 8
KILLS = 12
# Share of answers lost on the way back (the server committed; the client sees a dropped connection).
LOSS = 0.2


def _start(port: int, env: dict, cwd) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "tiemeasureflow", "serve", "--port", str(port)],
                            env={**os.environ, **env}, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_until_up(proc, f"http://127.0.0.1:{port}")
    return proc


def _batch(plan, n: int) -> dict:
    return {"measurements": [single(plan, i, 10.0 + 0.01 * part, serial=f"KILL-{n:03d}-{part}")
                             for part in range(PARTS_PER_BATCH) for i in range(len(plan.subtask_ids))]}


class Traffic:
    """What the sender is doing: the killer aims at requests in flight."""

    def __init__(self) -> None:
        self.in_flight = threading.Event()
        self.durations: list[float] = []
        self.answers: dict[int, list] = {}
        self.problems: list = []
        self.stop = threading.Event()

    def typical(self) -> float:
        done = sorted(self.durations[-20:])
        return done[len(done) // 2] if done else 0.05


def _send_all(base: str, key: str, plan, traffic: Traffic) -> None:
    """Send every batch in turn, retrying each with its own key until it is answered 200."""
    answers, problems, stop = traffic.answers, traffic.problems, traffic.stop
    # A connection per request, so the proxy decides per request whether its answer is lost.
    headers = {"X-API-Key": key, "Connection": "close"}
    with httpx.Client(base_url=base, headers=headers, timeout=httpx.Timeout(30, connect=2)) as client:
        for n in range(BATCHES):
            while not stop.is_set():
                began = time.monotonic()
                traffic.in_flight.set()
                try:
                    res = client.post("/api/measurements/batch", json=_batch(plan, n),
                                      headers={"Idempotency-Key": f"batch-{n}"})
                except httpx.TransportError:
                    traffic.in_flight.clear()
                    time.sleep(0.05)  # the server is down: retry, as a station's queue does
                    continue
                traffic.in_flight.clear()
                traffic.durations.append(time.monotonic() - began)
                if res.status_code == 200:
                    answers[n] = res.json()
                    break
                if res.status_code not in (409, 503):
                    problems.append((n, res.status_code, res.text))
                    return


def test_retries_after_kill_9_store_every_part_exactly_once(database_url, tmp_path, plans, operator,
                                                            metrologist):
    plan = plans.recipe()
    env = {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER,
           "RATE_LIMIT_GENERAL": "1000000", "LOG_LEVEL": "warning"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    rng = random.Random(13)
    traffic = Traffic()
    proc = _start(port, env, tmp_path)
    proxy = LossyProxy(port, LOSS, seed=13)
    sender = threading.Thread(target=_send_all, args=(f"http://127.0.0.1:{proxy.port}", operator.key, plan, traffic))
    try:
        sender.start()
        for _ in range(KILLS):
            # Aimed at a request in flight, at a moment spread over its usual duration: before, during
            # and after its commit.
            time.sleep(rng.uniform(0.0, 0.3))
            traffic.in_flight.wait(timeout=30)
            time.sleep(rng.uniform(0.0, 1.3 * traffic.typical()))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc = _start(port, env, tmp_path)
        sender.join(timeout=300)
        assert not sender.is_alive()
        with httpx.Client(base_url=base, headers=metrologist.headers, timeout=30) as reader:
            stored = {}
            for n in range(BATCHES):
                for part in range(PARTS_PER_BATCH):
                    serial = f"KILL-{n:03d}-{part}"
                    runs = reader.get("/api/runs", params={"serial_number": serial}).json()["items"]
                    values = reader.get("/api/measurements/", params={"serial_number": serial, "per_page": 100})
                    stored[serial] = (len(runs), sorted(m["id"] for m in values.json()["items"]))
    finally:
        traffic.stop.set()
        proxy.close()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    answers = traffic.answers
    assert traffic.problems == []
    assert proxy.lost > 0
    assert sorted(answers) == list(range(BATCHES))
    per_part = len(plan.subtask_ids)
    for n, answer in answers.items():
        for part in range(PARTS_PER_BATCH):
            serial = f"KILL-{n:03d}-{part}"
            answered = sorted(m["id"] for m in answer if m["serial_number"] == serial)
            assert stored[serial] == (1, answered) and len(answered) == per_part, serial
