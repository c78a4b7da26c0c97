"""Public API paging over a million runs: test_run and tested_dut, first page and deep by cursor and offset.

Baseline in the same run: the raw database answering the same page (the same keyset SQL, the same
columns, 100 rows fetched through sqlite3 / psycopg directly) at the same positions.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
from sqlalchemy.orm import Session

from tiemeasureflow.kit.bulk import copy_rows
from tiemeasureflow.kit.db import make_engine, make_sessionmaker
from tiemeasureflow.models import Run, TestedDut
from tiemeasureflow.runs import layouts

from .common import api_server, database, login, percentile, pg_available, report
from .fixtures import build_plant

RUNS = int(os.environ.get("BENCH_PUBLIC_API_RUNS", 1_000_000))
DEVICES_EVERY = 4  # every fourth run is a retest of the previous serial
SAMPLES = int(os.environ.get("BENCH_PUBLIC_API_SAMPLES", 200))
OFFSET_SAMPLES = 30  # a deep offset reads every row before it: fewer samples keep the run short
WARMUP = 5
PAGE = 100
DEEP = 1000  # deep pages start this many items before the end
CHUNK = 50_000
HIDDEN = "in_progress"  # the one status the lists leave out
RUN_COLS = ", ".join(f"runs.{c.name}" for c in Run.__table__.columns)
DUT_COLS = ", ".join(f"tested_duts.{c.name}" for c in TestedDut.__table__.columns)


def _fill(url: str, plan: dict) -> int:
    """A million finished station runs of one part and their device index, as the API writes them; the device count."""
    engine = make_engine(url)
    session: Session = make_sessionmaker(engine)()
    start = datetime(2024, 1, 1, tzinfo=UTC)
    statuses = ("pass", "pass", "pass", "warning", "fail")
    duts: dict[str, dict] = {}
    for base in range(0, RUNS, CHUNK):
        rows = []
        for i in range(base, min(RUNS, base + CHUNK)):
            retest = i % DEVICES_EVERY == 1
            serial = f"SN{i - retest:08d}"
            at = start + timedelta(seconds=30 * i)
            rid = uuid.UUID(int=i + 1, version=4)
            # Recipe version and station set, as for a run measured at a station: the list loads both.
            rows.append({"id": rid, "source": "station", "recipe_id": plan["recipe_id"],
                         "version_id": plan["version_id"], "station_id": plan["station_id"],
                         "part_number": "SHAFT-042", "serial_number": serial, "lot_number": f"LOT{i // 500:05d}",
                         "status": statuses[i % 5], "attempt": 1 + retest, "started_at": at,
                         "finished_at": at + timedelta(seconds=25)})
            duts[serial] = {"part_number": "SHAFT-042", "serial_number": serial, "last_run_id": rid,
                            "last_started_at": at, "attempt_count": 1 + retest}
        copy_rows(session, layouts.RUNS, layouts.RUNS.rows(session, rows))
        session.commit()
    copy_rows(session, layouts.DEVICES, layouts.DEVICES.rows(session, duts.values()))
    session.commit()
    session.close()
    engine.dispose()
    if url.startswith("postgresql"):
        # Autovacuum vacuums and analyses a table soon after a bulk load; do not measure the minutes before.
        with psycopg.connect(_driver_url(url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE runs, tested_duts")
    return len(duts)


def _driver_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


class RawPages:
    """The API's page queries, sent straight through the driver."""

    def __init__(self, url: str):
        self.sqlite = url.startswith("sqlite")
        if self.sqlite:
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"))
            self.mark = "?"
        else:
            self.conn = psycopg.connect(_driver_url(url), autocommit=True)
            self.mark = "%s"

    def _values(self, position: tuple[datetime, object] | None) -> list:
        if position is None:
            return []
        at, item = position
        at = at.astimezone(UTC).replace(tzinfo=None)
        if self.sqlite:
            at = at.strftime("%Y-%m-%d %H:%M:%S.%f")
            item = item.hex if isinstance(item, uuid.UUID) else item
        return [at, at, at, item]

    def query(self, kind: str, position: tuple[datetime, object] | None, offset: int) -> tuple[str, list]:
        """The SQL and parameters of one page: `kind` is test_run or tested_dut."""
        m = self.mark
        status = f"runs.status NOT IN ({m})"
        if kind == "test_run":
            sql, t, i = f"SELECT {RUN_COLS} FROM runs WHERE {status}", "runs.started_at", "runs.id"
        else:
            sql = (f"SELECT {DUT_COLS}, {RUN_COLS} FROM tested_duts JOIN runs ON runs.id = tested_duts.last_run_id "
                   f"WHERE {status}")
            t, i = "tested_duts.last_started_at", "tested_duts.id"
        if position is not None:
            sql += f" AND {t} >= {m} AND ({t} > {m} OR ({t} = {m} AND {i} > {m}))"
        sql += f" ORDER BY {t}, {i} LIMIT {m} OFFSET {m}"
        return sql, [HIDDEN, *self._values(position), PAGE + 1, offset]

    def fetch(self, sql: str, params: list) -> int:
        """Rows of one page."""
        cur = self.conn.cursor()
        cur.execute(sql, params)
        rows = cur.fetchall()
        cur.close()
        return len(rows)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def _position(cursor: str) -> tuple[datetime, object]:
    # The cursor is the API's own: (time, id) of the last item of the previous page.
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    item = uuid.UUID(payload["i"]) if "-" in payload["i"] else int(payload["i"])
    return datetime.fromisoformat(payload["t"]), item


def _api_call(client: httpx.Client, path: str, params: dict) -> Callable[[], None]:
    def call() -> None:
        res = client.get(path, params=params)
        res.raise_for_status()
        call.last = res  # type: ignore[attr-defined]
    return call


def _latencies(call: Callable[[], object], samples: int) -> list[float]:
    for _ in range(WARMUP):
        call()
    out = []
    for _ in range(samples):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _check(res: httpx.Response, name: str) -> None:
    # A deep page that came back short or empty would measure nothing.
    if len(res.json()) != PAGE:
        raise RuntimeError(f"{name}: expected a page of {PAGE}, got {len(res.json())}")


def _cases(client: httpx.Client, devices: int) -> dict[str, tuple[str, str, dict, tuple | None, int]]:
    """Name -> (list, path, API params, raw keyset position, raw offset)."""
    cases = {}
    for kind, count in (("test_run", RUNS), ("tested_dut", devices)):
        deep = count - DEEP
        cursor = client.get(f"/{kind}", params={"limit": PAGE, "offset": deep - PAGE}).headers["X-Next-Cursor"]
        first = client.get(f"/{kind}", params={"limit": PAGE}).headers["X-Next-Cursor"]
        cases[f"{kind} first page"] = (kind, f"/{kind}", {"limit": PAGE}, None, 0)
        cases[f"{kind} 2nd page, cursor"] = (kind, f"/{kind}", {"limit": PAGE, "cursor": first}, _position(first), 0)
        cases[f"{kind} deep, cursor"] = (kind, f"/{kind}", {"limit": PAGE, "cursor": cursor}, _position(cursor), 0)
        cases[f"{kind} deep, offset"] = (kind, f"/{kind}", {"limit": PAGE, "offset": deep}, None, deep)
    return cases


def _measure(url: str, base_url: str, key: str, devices: int) -> dict[str, dict]:
    out = {}
    raw = RawPages(url)
    with httpx.Client(base_url=f"{base_url}/integration/api/v1", headers={"X-API-KEY": key}, timeout=60) as client:
        for name, (kind, path, params, position, offset) in _cases(client, devices).items():
            samples = OFFSET_SAMPLES if offset else SAMPLES
            call = _api_call(client, path, params)
            api_ms = _latencies(call, samples)
            _check(call.last, name)  # type: ignore[attr-defined]
            sql, values = raw.query(kind, position, offset)
            if raw.fetch(sql, values) != PAGE + 1:
                raise RuntimeError(f"{name}: the raw query did not return a full page")
            raw_ms = _latencies(lambda sql=sql, values=values: raw.fetch(sql, values), samples)
            out[name] = {"samples": samples, "api_p50_ms": percentile(api_ms, 50), "api_p99_ms": percentile(api_ms, 99),
                         "raw_p50_ms": percentile(raw_ms, 50), "raw_p99_ms": percentile(raw_ms, 99)}
            out[name]["ratio_p50"] = out[name]["api_p50_ms"] / out[name]["raw_p50_ms"]
        # The floor every page pays: one HTTP round trip to the same server, no query.
        floor = _latencies(_api_call(client, "/healthcheck", {}), SAMPLES)
        out["healthcheck (HTTP floor)"] = {"samples": SAMPLES, "api_p50_ms": percentile(floor, 50),
                                           "api_p99_ms": percentile(floor, 99)}
    raw.close()
    return out


def run() -> dict:
    """Measure every available database; print and write the figures."""
    figures, table = {}, []
    for kind in ["sqlite"] + (["postgresql"] if pg_available() else []):
        with database(kind) as (url, data_dir):
            plan = build_plant(url, data_dir)
            devices = _fill(url, plan)
            with api_server(url, data_dir) as server:
                admin = login(server.base_url, "admin", "demo-admin")
                key = httpx.post(f"{server.base_url}/api/integration-keys", json={"kind": "integration", "name": "b"},
                                 headers={"X-API-Key": admin}).json()["api_key"]
                figures[kind] = _measure(url, server.base_url, key, devices)
            for name, f in figures[kind].items():
                table.append([kind, name, f["samples"], f["api_p50_ms"], f["api_p99_ms"], f.get("raw_p50_ms", "-"),
                              f.get("raw_p99_ms", "-"), f.get("ratio_p50", "-")])
    report("public_api", f"Public API over {RUNS:,} runs, pages of {PAGE}: latency in ms",
           ["database", "request", "samples", "API p50", "API p99", "raw p50", "raw p99", "API/raw p50"], table, figures)
    return figures


if __name__ == "__main__":
    run()
