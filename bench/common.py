"""Shared benchmark plumbing: databases, a real server process, timing and result files."""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from rich.console import Console
from rich.table import Table

from tiemeasureflow.kit.db import make_engine
from tiemeasureflow.migrations import upgrade

RESULTS = Path(__file__).parent / "results"
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
console = Console(width=120)
# Benchmarks come from one address: the limits are raised for their run.
UNLIMITED = {"RATE_LIMIT_LOGIN": "1000000", "RATE_LIMIT_GENERAL": "100000000"}


def pg_available() -> bool:
    """Whether the benchmark PostgreSQL server answers."""
    try:
        psycopg.connect(PG_SERVER, connect_timeout=3).close()
    except Exception:  # any failure means "not available"
        return False
    return True


@contextmanager
def database(kind: str):
    """A fresh migrated database of `kind` (sqlite or postgresql): yields (url, data_dir)."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"tmf-bench-{kind}-"))
    if kind == "sqlite":
        url = f"sqlite:///{data_dir / 'bench.db'}"
        _migrate(url)
        yield url, data_dir
        return
    name = f"tmf_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + f"/{name}"
    try:
        _migrate(url)
        yield url, data_dir
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _migrate(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a benchmark server runs with."""
    return {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir), "SECRET_KEY": "bench-secret",
            "LOG_LEVEL": "warning", **UNLIMITED, **extra}


@contextmanager
def api_server(url: str, data_dir: Path, workers: int = 1, **extra: str):
    """A real `tmf serve` process (uvicorn, as deployed); yields its base URL."""
    port = free_port()
    tmf = str(Path(sys.executable).with_name("tmf"))
    # The log goes to a file: a pipe nobody reads would fill up and block the server.
    log_path = data_dir / "server.log"
    log = log_path.open("wb")
    proc = subprocess.Popen([tmf, "serve", "--port", str(port), "--workers", str(workers)],
                            env=server_env(url, data_dir, **extra), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(log_path.read_text(errors="replace"))
            time.sleep(0.2)
        proc.base_url = base  # type: ignore[attr-defined]
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0..100) of the samples."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def timed(fn, repeat: int) -> list[float]:
    """Wall seconds of `repeat` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def median(samples: list[float]) -> float:
    """The median."""
    return statistics.median(samples)


def report(name: str, title: str, columns: list[str], rows: list[list], figures: dict) -> None:
    """Print a table and write the figures with the machine and date to bench/results/<name>.json."""
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*[f"{v:,.4g}" if isinstance(v, float) else str(v) for v in row])
    console.print(table)
    RESULTS.mkdir(exist_ok=True)
    meta = {"benchmark": name, "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}}
    (RESULTS / f"{name}.json").write_text(json.dumps({**meta, "figures": figures}, indent=2, default=str))


def login(base: str, username: str, password: str) -> str:
    """A session key."""
    res = httpx.post(f"{base}/api/auth/login", json={"username": username, "password": password}, timeout=30)
    res.raise_for_status()
    return res.json()["api_key"]
