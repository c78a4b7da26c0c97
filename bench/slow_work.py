"""Ingest while slow work runs: batches per second alone, beside a maker uploading the largest image in a
loop, beside four loops of failed logins; and the server's peak memory under four uploads at once."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import httpx
from PIL import Image, ImageDraw

from .common import api_server, database, login, pg_available, report
from .fixtures import build_plant
from .ingest import _payloads

BATCHES = 60
SIDE = 7999  # the largest accepted image: just under 64 megapixels
LOGIN_LOOPS = 4
UPLOAD_LOOPS_FOR_MEMORY = 4


def _large_png() -> bytes:
    image = Image.new("RGB", (SIDE, SIDE), (200, 210, 220))
    draw = ImageDraw.Draw(image)
    for x in range(0, SIDE, 400):
        draw.line([(x, 0), (SIDE - x, SIDE)], fill=(0, 0, 0), width=5)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _upload_loop(base: str, key: str, png: bytes, stop: threading.Event, done: list[int]) -> None:
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=300) as client:
        while not stop.is_set():
            res = client.post("/api/files/upload", files={"file": ("large.png", png, "image/png")})
            done.append(res.status_code)


def _login_loop(base: str, n: int, stop: threading.Event, done: list[int]) -> None:
    with httpx.Client(base_url=base, timeout=300) as client:
        while not stop.is_set():
            res = client.post("/api/auth/login", json={"username": f"nobody-{n}", "password": "wrong"})
            done.append(res.status_code)


def _batches_per_s(base: str, key: str, bodies: list[dict], loops: list) -> tuple[float, int]:
    """Batches per second while the loops run; and how many loop requests were answered meanwhile."""
    stop, done = threading.Event(), []
    threads = [threading.Thread(target=fn, args=(*args, stop, done)) for fn, args in loops]
    for thread in threads:
        thread.start()
    time.sleep(1 if loops else 0)  # let the loops get going
    answered_before = len(done)
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=300) as client:
        start = time.perf_counter()
        for body in bodies:
            client.post("/api/measurements/batch", json=body).raise_for_status()
        elapsed = time.perf_counter() - start
    answered = len(done) - answered_before
    stop.set()
    for thread in threads:
        thread.join()
    return len(bodies) / elapsed, answered


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _memory(base: str, key: str, png: bytes, pid: int) -> tuple[float, float]:
    """Peak memory (MiB) before and after UPLOAD_LOOPS_FOR_MEMORY uploads of the large image sent at once."""
    before = _peak_rss_mb(pid)
    threads = [threading.Thread(target=lambda: httpx.post(
        f"{base}/api/files/upload", headers={"X-API-Key": key}, timeout=300,
        files={"file": ("large.png", png, "image/png")})) for _ in range(UPLOAD_LOOPS_FOR_MEMORY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return before, _peak_rss_mb(pid)


def run() -> dict:
    """Measure every available database; print and write the figures."""
    png = _large_png()
    figures, rows = {}, []
    kinds = ["sqlite"] + (["postgresql"] if pg_available() else [])
    for kind in kinds:
        with database(kind) as (url, data_dir):
            plan = build_plant(url, data_dir)
            with api_server(url, data_dir) as server:
                base = server.base_url
                operator = login(base, "operator", "demo-operator")
                maker = login(base, "maker", "demo-maker")
                # First, on the fresh process: its peak memory is a high-water mark.
                rss_before, rss_peak = _memory(base, maker, png, server.pid)
                alone, _ = _batches_per_s(base, operator, _payloads(plan, "alone")[:BATCHES], [])
                uploading, uploads = _batches_per_s(base, operator, _payloads(plan, "upl")[:BATCHES],
                                                    [(_upload_loop, (base, maker, png))])
                logins_loop = [(_login_loop, (base, n)) for n in range(LOGIN_LOOPS)]
                failing, logins = _batches_per_s(base, operator, _payloads(plan, "login")[:BATCHES], logins_loop)
        figures[kind] = {"batches_per_s_alone": alone, "batches_per_s_with_upload_loop": uploading,
                         "uploads_answered_meanwhile": uploads, "batches_per_s_with_4_failed_login_loops": failing,
                         "failed_logins_answered_meanwhile": logins, "peak_rss_mb_before_4_uploads": rss_before,
                         "peak_rss_mb_after_4_uploads": rss_peak, "png_bytes": len(png)}
        rows.append([kind, alone, uploading, uploads, failing, logins, rss_before, rss_peak])
    report("slow_work", "Batch ingest (100 values per batch) beside slow work",
           ["database", "batches/s alone", "with upload loop", "uploads meanwhile", "with 4 login loops",
            "logins meanwhile", "peak MiB before", "peak MiB after 4 uploads"], rows, figures)
    return figures


if __name__ == "__main__":
    run()
