"""Synthetic production history: days of two shifts, runs per part, retests, corrections, in bulk."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy.orm import Session

from ..measurements import partitions
from ..measurements.judging import ToleranceLimits
from ..models import Subtask
from ..runs.layouts import DEVICES, MEASUREMENTS, RUNS
from . import bulk, plant
from .batch import FAIL, Batch, build
from .catalog import PARTS, Part
from .simulate import CharModel, draw_values

SHIFTS = (("A", 6), ("B", 14))  # name, start hour (UTC); eight hours each
SHIFT_HOURS = 8
RETEST_STATION = "ST-CMM-QA"
RETEST_AFTER_S = 45 * 60
FLUSH_EVERY = 20_000  # measurements per bulk insert (and progress step)
# Expected values per station run, for sizing before generating (the catalogue averages 3.4).
VALUES_PER_RUN = 3.5


@dataclass
class Options:
    """What to generate."""

    days: int = 90
    seed: int = 42
    runs: int | None = None  # total station runs wanted; None means the catalogue's natural volume
    end: datetime = field(default_factory=lambda: datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0))


@dataclass
class Counts:
    """What was generated."""

    runs: int = 0
    measurements: int = 0
    corrections: int = 0
    retests: int = 0


class HistoryBuilder:
    """Generates shifts as arrays and writes the rows in bulk."""

    def __init__(self, session: Session, ids: plant.PlantIds, options: Options, progress: Callable[[int], None]):
        self.session, self.ids, self.options, self.progress = session, ids, options, progress
        self.rng = np.random.default_rng(options.seed)
        self.next_id = bulk.next_measurement_id(session)
        self.runs: list[tuple] = []
        self.values: list[tuple] = []
        self.duts: list[tuple] = []
        self.counts = Counts()
        self.upsets = self._plan_upsets()
        # Parts that go on to the electrical end-of-line test: (part number, serial, lot, when).
        self.end_of_line: list[tuple[str, str, str, datetime]] = []
        # One writer thread: the database stores a chunk while the next one is generated.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history-writer")
        self._pending: Future[None] | None = None

    def _plan_upsets(self) -> set[tuple[str, int, int, int]]:
        """A few shifts in which one characteristic's process is out of control."""
        upsets = set()
        for _ in range(max(3, self.options.days // 20)):
            part = PARTS[self.rng.integers(len(PARTS))]
            chars = [c for _t, _d, cs in part.tasks for c in cs]
            upsets.add((part.code, int(self.rng.integers(len(chars))), int(self.rng.integers(self.options.days)),
                        int(self.rng.integers(len(SHIFTS)))))
        return upsets

    def models(self, part: Part) -> list[CharModel]:
        """The current version's characteristics joined to their process behaviour."""
        subtasks: list[Subtask] = plant.current_subtasks(self.session, self.ids.recipes[part.code])
        chars = [c for _t, _d, cs in part.tasks for c in cs]
        return [CharModel(s.id, s.characteristic_id, s.task.version_id,
                          ToleranceLimits(s.nominal, s.ltl, s.lwl, s.uwl, s.utl), c) for s, c in zip(subtasks, chars, strict=False)]

    def shift(self, part: Part, models: list[CharModel], day: int, shift_no: int, per_shift: int) -> None:
        """Generate one shift's runs of one part, then the retests of its failed parts at the CMM."""
        name, hour = SHIFTS[shift_no]
        start = self.options.end - timedelta(days=self.options.days - day) + timedelta(hours=hour)
        upsets = {i for (code, i, d, s) in self.upsets if code == part.code and d == day and s == shift_no}
        values = draw_values(self.rng, models, per_shift, day / max(1, self.options.days), shift_no == 1, upsets)
        cycle = SHIFT_HOURS * 3600 / per_shift
        began = np.arange(per_shift) * cycle + self.rng.uniform(0, cycle * 0.3, per_shift)
        prefix = f"{part.code}-{start:%y%m%d}{name}"
        batch = Batch(
            part.code, self.ids.recipes[part.code], self.ids.stations[part.stations[0]],
            self.ids.shift_operators[(shift_no * 3 + PARTS.index(part)) % len(self.ids.shift_operators)],
            f"L{start:%y%m%d}{name}-{part.code.split('-')[0][:3]}",
            [f"{prefix}{i:03d}-{self.options.seed}" for i in range(1, per_shift + 1)], start, began, 1)
        failed = self._add(part, models, values, batch)
        if failed.size:
            retests = draw_values(self.rng, models, failed.size, 0.0, False, set())
            self.counts.retests += int(failed.size)
            self._add(part, models, retests, Batch(
                batch.part_code, batch.recipe_id, self.ids.stations[RETEST_STATION], batch.operator_id, batch.lot,
                [batch.serials[i] for i in failed.tolist()], start, began[failed] + RETEST_AFTER_S, 2))
        if len(self.values) >= FLUSH_EVERY:
            self.flush()

    def _add(self, part: Part, models: list[CharModel], values: np.ndarray, batch: Batch) -> np.ndarray:
        """Queue a batch's rows and its devices' attempts; returns the positions of the failed runs."""
        rows = build(self.rng, models, values, batch, self.next_id)
        self.next_id = rows.next_id
        runs, measured = len(rows.run_ids), 0
        self.runs += RUNS.from_columns(self.session, runs, rows.runs)
        for columns in rows.measurements:
            count = len(columns["id"])
            self.values += MEASUREMENTS.from_columns(self.session, count, columns)
            measured += count
        self.duts += DEVICES.from_columns(self.session, runs, {
            "part_number": part.code, "serial_number": batch.serials, "last_run_id": rows.run_ids,
            "last_started_at": rows.started, "attempt_count": batch.attempt})
        self.counts.runs += runs
        self.counts.measurements += measured
        self.counts.corrections += rows.corrections
        if part.hardpy:
            for i in np.flatnonzero(rows.status != FAIL).tolist():
                self.end_of_line.append((part.code, batch.serials[i], batch.lot,
                                         batch.start + timedelta(seconds=float(rows.finished[i]) - 5)))
        return np.flatnonzero(rows.status == FAIL)

    def flush(self) -> None:
        """Hand what has accumulated to the writer, so memory stays flat at any size (the caller commits).

        The session belongs to the writer until `settle`: at most one chunk is written while the next is made.
        """
        self.settle()
        written = len(self.values)
        self._pending = self._writer.submit(bulk.insert_history, self.session, self.runs, self.values, self.duts)
        self.runs, self.values, self.duts = [], [], []
        self.progress(written)

    def settle(self) -> None:
        """Wait until the chunk being written is stored (raising its error); the session is the caller's again."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        """Wait for the writer whatever happened to it (before a rollback), then stop it."""
        pending, self._pending = self._pending, None
        if pending is not None:
            wait([pending])
        self._writer.shutdown()


def planned_runs(options: Options) -> int:
    """How many station runs the options ask for (before retests)."""
    scale = _scale(options)
    return sum(max(1, round(p.parts_per_shift * scale)) for p in PARTS) * len(SHIFTS) * options.days


def _scale(options: Options) -> float:
    natural = sum(p.parts_per_shift for p in PARTS) * len(SHIFTS) * options.days
    return (options.runs / natural) if options.runs else 1.0


def generate(session: Session, ids: plant.PlantIds, options: Options, maker_id: int,
             progress: Callable[[int], None] = lambda n: None) -> HistoryBuilder:
    """Generate the history day by day in one transaction; planned revisions create new versions on their day."""
    builder = HistoryBuilder(session, ids, options, progress)
    first = options.end - timedelta(days=options.days)
    try:
        # Monthly partitions for the whole span (PostgreSQL), so history does not pile up in the default one.
        partitions.create_ahead(session, first.date().replace(day=1),
                                (options.end.year - first.year) * 12 + options.end.month - first.month + 1)
        with bulk.history_load(session, planned_runs(options) * VALUES_PER_RUN):
            try:
                _days(session, builder, maker_id)
            finally:
                builder.close()  # the writer lets go of the session before anything else uses it
            bulk.fix_sequences(session)
        bulk.analyze(session)
        session.commit()
    except BaseException:
        session.rollback()  # back to the table as it was, indexes included
        raise
    return builder


def _days(session: Session, builder: HistoryBuilder, maker_id: int) -> None:
    """Every day's shifts of every part, and each part's planned revisions on their day."""
    options, ids = builder.options, builder.ids
    scale = _scale(options)
    models = {p.code: builder.models(p) for p in PARTS}
    for day in range(options.days):
        for part in PARTS:
            due = [r for r in part.revisions if int(r[0] * options.days / 90) == day and day > 0]
            if due:
                builder.flush()
                builder.settle()
                for revision in due:
                    plant.revise(session, part, ids.recipes[part.code], revision, maker_id)
                session.flush()
                models[part.code] = builder.models(part)
            for shift_no in range(len(SHIFTS)):
                per_shift = max(1, round(part.parts_per_shift * scale))
                builder.shift(part, models[part.code], day, shift_no, per_shift)
    builder.flush()
    builder.settle()
