"""A batch of runs (one shift, or its retests) generated as arrays: whole columns of the bulk layouts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np

from ..kit.bulk import utc_stamp
from ..measurements.judging import ToleranceLimits, deviation, judge
from .simulate import CharModel

CORRECTION_RATE = 0.003
MANUAL_ENTRY_RATE = 0.15
CORRECTION_REASON = "Typing error: wrong digit entered"
SLIP_TO_FIX_S = 15.0  # seconds between a typing slip and its correction
VERDICTS = np.array(["pass", "warning", "fail"], dtype=object)  # index = severity
PASS, WARNING, FAIL = 0, 1, 2


@dataclass
class Batch:
    """Who measured which parts where; `began` is each run's start in seconds after `start`."""

    part_code: str
    recipe_id: int
    station_id: int
    operator_id: int
    lot: str
    serials: list[str]
    start: datetime
    began: np.ndarray
    attempt: int


@dataclass
class BatchRows:
    """A batch as columns by name (`runs.layouts`; slips before their corrections), plus what the caller needs."""

    runs: dict[str, Any]
    measurements: list[dict[str, Any]]
    run_ids: list[uuid.UUID]
    started: np.ndarray  # naive-UTC datetime64 per run
    status: np.ndarray  # severity per run
    finished: np.ndarray  # seconds after `start`
    corrections: int
    next_id: int


def judge_matrix(values: np.ndarray, models: list[CharModel]) -> np.ndarray:
    """Severity codes of a parts x characteristics matrix, with the same inclusive rules as `judge`."""
    pass_low, pass_high, tol_low, tol_high = _bands(tuple(m.limits for m in models))
    return np.select([(values >= pass_low) & (values <= pass_high), (values >= tol_low) & (values <= tol_high)],
                     [PASS, WARNING], FAIL)


@lru_cache(maxsize=64)
def _bands(limits: tuple[ToleranceLimits, ...]) -> np.ndarray:
    """Pass and tolerance bands per characteristic, as rows: pass low, pass high, tolerance low, high."""
    return np.array([(*lim.warning_band, *lim.tolerance_band) for lim in limits]).T


def _deviations(values: np.ndarray, models: list[CharModel]) -> np.ndarray:
    nominals = [m.limits.nominal for m in models]
    if all(n is not None for n in nominals):
        return values - np.array(nominals)
    out = np.empty(values.shape, dtype=object)  # value - nominal, None where there is no nominal
    for j, nominal in enumerate(nominals):
        out[:, j] = None if nominal is None else values[:, j] - nominal
    return out


def _times(start: datetime, seconds: np.ndarray) -> np.ndarray:
    """Naive-UTC datetime64 values `seconds` after `start` (the bulk layout renders them for the driver)."""
    return utc_stamp(start) + np.rint(seconds.ravel() * 1e6).astype("timedelta64[us]")


def _run_ids(rng: np.random.Generator, n: int) -> list[uuid.UUID]:
    """n random version-4 UUIDs, made in one go."""
    raw = np.frombuffer(rng.bytes(16 * n), dtype=np.uint8).reshape(n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    data = raw.tobytes()
    return [uuid.UUID(bytes=data[i:i + 16]) for i in range(0, 16 * n, 16)]


def build(rng: np.random.Generator, models: list[CharModel], values: np.ndarray, batch: Batch,
          next_id: int) -> BatchRows:
    """Rows of the batch's runs and values: typing slips corrected, the run's status from the latest values."""
    n, k = values.shape
    gaps = rng.uniform(8, 25, (n, k))
    fixes = rng.random((n, k)) < CORRECTION_RATE
    manual = rng.random((n, k)) < MANUAL_ENTRY_RATE
    run_ids = _run_ids(rng, n)
    # A slip is typed, then the right value 15 s later; every later value waits for it.
    at = batch.began[:, None] + np.cumsum(gaps + SLIP_TO_FIX_S * fixes, axis=1)
    codes = judge_matrix(values, models)
    # Ids in typing order, so a correction always has a higher id than the slip it supersedes.
    ids = next_id - 1 + np.cumsum((1 + fixes).ravel())
    flat_fixes = fixes.ravel()
    supersedes = np.full(n * k, None, dtype=object)
    supersedes[flat_fixes] = (ids[flat_fixes] - 1).tolist()
    reasons = np.where(flat_fixes, CORRECTION_REASON, None)
    methods = np.where(flat_fixes | manual.ravel(), "manual", "usb_caliper")
    row_run_ids = [r for r in run_ids for _ in range(k)]
    row_serials = [s for s in batch.serials for _ in range(k)]
    subtasks, chars = [m.subtask_id for m in models] * n, [m.characteristic_id for m in models] * n
    version = models[0].version_id
    # Slips first: a correction's foreign key needs its slip already in the table.
    measurements = _slips(rng, models, values, fixes, at, ids, row_run_ids, batch) + [{
        "id": ids.tolist(), "run_id": row_run_ids, "subtask_id": subtasks, "version_id": version,
        "characteristic_id": chars, "measured_by": batch.operator_id, "value": values.ravel().tolist(),
        "pass_fail": VERDICTS[codes.ravel()].tolist(), "deviation": _deviations(values, models).ravel().tolist(),
        "lot_number": batch.lot, "serial_number": row_serials, "input_method": methods.tolist(),
        "measured_at": _times(batch.start, at), "supersedes_id": supersedes.tolist(), "correction_reason": reasons.tolist(),
    }]
    status = codes.max(axis=1)
    finished = at[:, -1] + 5
    started = _times(batch.start, batch.began)
    runs = {
        "id": run_ids, "source": "station", "recipe_id": batch.recipe_id, "version_id": version,
        "station_id": batch.station_id, "operator_id": batch.operator_id, "part_number": batch.part_code,
        "serial_number": batch.serials, "lot_number": batch.lot, "status": VERDICTS[status].tolist(),
        "attempt": batch.attempt, "started_at": started, "finished_at": _times(batch.start, finished),
        "auto_finish": False,
    }
    return BatchRows(runs, measurements, run_ids, started, status, finished, int(fixes.sum()), int(ids[-1]) + 1)


def _slips(rng: np.random.Generator, models: list[CharModel], values: np.ndarray, fixes: np.ndarray,
           at: np.ndarray, ids: np.ndarray, row_run_ids: list, batch: Batch) -> list[dict[str, Any]]:
    """The wrong values typed before each correction: off by one in a digit, judged like any value."""
    cells = np.flatnonzero(fixes.ravel())
    if cells.size == 0:
        return []
    wrong = (values.ravel()[cells] + rng.choice((-1.0, 1.0), cells.size)).tolist()
    k = values.shape[1]
    chosen = [models[cell % k] for cell in cells.tolist()]
    return [{
        "id": (ids[cells] - 1).tolist(), "run_id": [row_run_ids[cell] for cell in cells.tolist()],
        "subtask_id": [m.subtask_id for m in chosen], "version_id": [m.version_id for m in chosen],
        "characteristic_id": [m.characteristic_id for m in chosen], "measured_by": batch.operator_id, "value": wrong,
        "pass_fail": [judge(v, m.limits) for v, m in zip(wrong, chosen, strict=True)],
        "deviation": [deviation(v, m.limits.nominal) for v, m in zip(wrong, chosen, strict=True)],
        "lot_number": batch.lot, "serial_number": [batch.serials[cell // k] for cell in cells.tolist()],
        "input_method": "manual", "measured_at": _times(batch.start, at.ravel()[cells] - SLIP_TO_FIX_S),
    }]
