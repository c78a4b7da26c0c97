"""Slow work on a real server: image decoding and password checks hold no writer's turn, a few at a time."""

from __future__ import annotations

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor

import httpx
from PIL import Image, ImageDraw

from .fixtures.app import TEST_PEPPER
from .fixtures.factories import DEFAULT_PASSWORD
from .fixtures.live import one_at_a_time, servers

pytestmark = one_at_a_time

# The largest image accepted (under 64 megapixels): about a second of decoding each.
SIDE = 7999
UPLOADS = 8
FAILED_LOGINS = 48
# Polls of the server's work before the batch is sent regardless.
POLLS = 400


def _large_png() -> bytes:
    image = Image.new("RGB", (SIDE, SIDE), (200, 210, 220))
    draw = ImageDraw.Draw(image)
    for x in range(0, SIDE, 400):
        draw.line([(x, 0), (SIDE - x, SIDE)], fill=(0, 0, 0), width=5)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _env(database_url: str, tmp_path) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER,
            "RATE_LIMIT_GENERAL": "1000000", "RATE_LIMIT_LOGIN": "1000000", "LOG_LEVEL": "warning"}


def _batch(plan) -> dict:
    return {"measurements": [{"subtask_id": subtask_id, "version_id": plan.version_id, "value": spec["nominal"],
                              "serial_number": "WHILE-SLOW-1"}
                             for subtask_id, spec in zip(plan.subtask_ids, plan.subtasks, strict=True)]}


async def _until(admin: httpx.AsyncClient, lane: str, held: int) -> list[dict]:
    """Poll the work of a lane until `held` jobs run or wait (or give up, for the assertions to tell); every answer."""
    seen = []
    for _ in range(POLLS):
        lane_load = (await admin.get("/api/health/work")).json()[lane]
        seen.append(lane_load)
        if lane_load["running"] + lane_load["waiting"] >= held:
            break
        await asyncio.sleep(0.05)
    return seen


async def _writes_while(base: str, keys: dict, plan, lane: str, held: int, slow_requests) -> dict:
    async with httpx.AsyncClient(base_url=base, timeout=300) as client:
        admin = httpx.AsyncClient(base_url=base, timeout=60, headers={"X-API-Key": keys["admin"]})
        slow = [asyncio.create_task(request) for request in slow_requests(client)]
        seen = await _until(admin, lane, held)
        batch = await client.post("/api/measurements/batch", json=_batch(plan), headers={"X-API-Key": keys["operator"]})
        after_batch = (await admin.get("/api/health/work")).json()[lane]
        unfinished = sum(not task.done() for task in slow)
        answers = await asyncio.gather(*slow)
        await admin.aclose()
        return {"seen": seen, "batch": batch, "after_batch": after_batch, "unfinished": unfinished,
                "answers": answers}


def _run(coroutine):
    # Its own thread and event loop: other tests (the browser's) may leave one running in this thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_a_batch_is_written_while_large_images_are_decoded(database_url, tmp_path, plans, admin, maker, operator):
    plan = plans.recipe()
    png = _large_png()

    def uploads(client):
        return [client.post("/api/files/upload", headers={"X-API-Key": maker.key},
                            files={"file": (f"drawing-{n}.png", png, "image/png")}) for n in range(UPLOADS)]

    keys = {"admin": admin.key, "operator": operator.key}
    with servers(1, _env(database_url, tmp_path), tmp_path) as (base,):
        result = _run(_writes_while(base, keys, plan, "images", UPLOADS, uploads))
    # Every upload had reached the server's image work before the batch was sent ...
    assert result["seen"][-1]["running"] + result["seen"][-1]["waiting"] == UPLOADS
    # ... and the batch was stored while they were still being decoded: no upload held the writer's turn.
    assert result["batch"].status_code == 200, result["batch"].text
    assert result["after_batch"]["running"] + result["after_batch"]["waiting"] > 0
    assert result["unfinished"] > 0
    # Decoding is bounded: never more images at once than the lane's slots.
    assert max(load["running"] for load in [*result["seen"], result["after_batch"]]) <= result["seen"][0]["slots"]
    assert [answer.status_code for answer in result["answers"]] == [200] * UPLOADS
    assert all(answer.json()["thumbnail_path"] for answer in result["answers"])


def test_a_batch_is_written_while_failed_logins_are_checked(database_url, tmp_path, plans, admin, operator):
    plan = plans.recipe()

    def failed_logins(client):
        return [client.post("/api/auth/login", json={"username": f"nobody-{n}", "password": "wrong-password"})
                for n in range(FAILED_LOGINS)]

    keys = {"admin": admin.key, "operator": operator.key}
    with servers(1, _env(database_url, tmp_path), tmp_path) as (base,):
        result = _run(_writes_while(base, keys, plan, "passwords", FAILED_LOGINS, failed_logins))
        signed_in = httpx.post(f"{base}/api/auth/login", json={"username": operator.username,
                                                              "password": DEFAULT_PASSWORD}, timeout=60)
    assert result["seen"][-1]["running"] + result["seen"][-1]["waiting"] == FAILED_LOGINS
    assert result["batch"].status_code == 200, result["batch"].text
    assert result["after_batch"]["running"] + result["after_batch"]["waiting"] > 0
    assert result["unfinished"] > 0
    assert max(load["running"] for load in [*result["seen"], result["after_batch"]]) <= result["seen"][0]["slots"]
    assert [answer.status_code for answer in result["answers"]] == [401] * FAILED_LOGINS
    assert signed_in.status_code == 200 and signed_in.json()["api_key"].startswith("tmf_")
