"""A batch of runs (one shift, or its retests) generated as arrays, then turned into driver rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import repeat

import numpy as np

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
    """A batch ready for the driver, plus what the caller needs to carry on."""

    runs: list[tuple]
    measurements: list[tuple]
    run_ids: list
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


def _times(start: datetime, seconds: np.ndarray, sqlite: bool) -> list:
    """Datetimes `seconds` after `start`, in the form the driver stores (see `tiemeasureflow.kit.bulk`)."""
    base = np.datetime64(start.replace(tzinfo=None), "us")
    stamps = base + np.rint(seconds.ravel() * 1e6).astype("timedelta64[us]")
    if not sqlite:
        return stamps.tolist()  # naive UTC datetimes
    # SQLAlchemy's SQLite text form: ISO with a space and always six decimals. The "T" is
    # overwritten in numpy's own buffer (four bytes a character), much cheaper than per string.
    text = np.datetime_as_string(stamps, unit="us")
    text.view(np.uint32).reshape(len(text), -1)[:, 10] = ord(" ")
    return text.tolist()


def _run_ids(rng: np.random.Generator, n: int, sqlite: bool) -> list:
    """n random version-4 UUIDs in the driver's form (hex text on SQLite), made in one go."""
    raw = np.frombuffer(rng.bytes(16 * n), dtype=np.uint8).reshape(n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    if sqlite:
        text = raw.tobytes().hex()
        return [text[i:i + 32] for i in range(0, 32 * n, 32)]
    data = raw.tobytes()
    return [uuid.UUID(bytes=data[i:i + 16]) for i in range(0, 16 * n, 16)]


def build(rng: np.random.Generator, models: list[CharModel], values: np.ndarray, batch: Batch, next_id: int,
          sqlite: bool) -> BatchRows:
    """Rows of the batch's runs and values: typing slips corrected, the run's status from the latest values."""
    n, k = values.shape
    gaps = rng.uniform(8, 25, (n, k))
    fixes = rng.random((n, k)) < CORRECTION_RATE
    manual = rng.random((n, k)) < MANUAL_ENTRY_RATE
    run_ids = _run_ids(rng, n, sqlite)
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
    measurements = _slips(rng, models, values, fixes, at, ids, row_run_ids, batch, sqlite)
    measurements += zip(
        ids.tolist(), row_run_ids, subtasks, repeat(version), chars, repeat(batch.operator_id), values.ravel().tolist(),
        VERDICTS[codes.ravel()].tolist(), _deviations(values, models).ravel().tolist(), repeat(batch.lot),
        row_serials, methods.tolist(), _times(batch.start, at, sqlite), supersedes.tolist(), reasons.tolist(),
    )
    status = codes.max(axis=1)
    finished = at[:, -1] + 5
    runs = list(zip(
        run_ids, repeat("station"), repeat(batch.recipe_id), repeat(version), repeat(batch.station_id),
        repeat(batch.operator_id), repeat(batch.part_code), batch.serials, repeat(batch.lot),
        VERDICTS[status].tolist(), repeat(batch.attempt), _times(batch.start, batch.began, sqlite),
        _times(batch.start, finished, sqlite), repeat(False),
    ))
    return BatchRows(runs, measurements, run_ids, status, finished, int(fixes.sum()), int(ids[-1]) + 1)


def _slips(rng: np.random.Generator, models: list[CharModel], values: np.ndarray, fixes: np.ndarray,
           at: np.ndarray, ids: np.ndarray, row_run_ids: list, batch: Batch, sqlite: bool) -> list[tuple]:
    """The wrong values typed before each correction: off by one in a digit, judged like any value."""
    cells = np.flatnonzero(fixes.ravel())
    if cells.size == 0:
        return []
    wrong = (values.ravel()[cells] + rng.choice((-1.0, 1.0), cells.size)).tolist()
    typed_at = _times(batch.start, at.ravel()[cells] - SLIP_TO_FIX_S, sqlite)
    k = values.shape[1]
    out = []
    for cell, value, when in zip(cells.tolist(), wrong, typed_at, strict=False):
        model = models[cell % k]
        out.append((int(ids[cell]) - 1, row_run_ids[cell], model.subtask_id, model.version_id,
                    model.characteristic_id, batch.operator_id, value, judge(value, model.limits),
                    deviation(value, model.limits.nominal), batch.lot, batch.serials[cell // k], "manual", when,
                    None, None))
    return out
