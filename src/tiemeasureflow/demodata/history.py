"""Synthetic production history: days of two shifts, runs per part, retests, corrections, in bulk."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy.orm import Session

from ..bulk import MEASUREMENT_COLUMNS, RUN_COLUMNS, formats_for
from ..measurements.judging import Limits, deviation, judge, worst
from ..models import Subtask
from . import bulk, plant
from .catalog import PARTS, Part
from .simulate import CharModel, draw_values

SHIFTS = (("A", 6), ("B", 14))  # name, start hour (UTC); eight hours each
SHIFT_HOURS = 8
RETEST_STATION = "ST-CMM-QA"
CORRECTION_RATE = 0.003
MANUAL_ENTRY_RATE = 0.15
FLUSH_EVERY = 20_000  # measurements per bulk insert and commit


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
    """Accumulates generated rows and writes them in bulk."""

    def __init__(self, session: Session, ids: plant.PlantIds, options: Options, progress: Callable[[int], None]):
        self.session, self.ids, self.options, self.progress = session, ids, options, progress
        self.rng = np.random.default_rng(options.seed)
        self.pick = random.Random(options.seed)
        self.next_id = bulk.next_measurement_id(session)
        self.fmt = formats_for(session)
        self.runs: list[tuple] = []
        self.values: list[tuple] = []
        self.duts: dict = {}
        self.counts = Counts()
        self.upsets = self._plan_upsets()
        # Parts that go on to the electrical end-of-line test: (part number, serial, lot, when).
        self.end_of_line: list[tuple[str, str, str, datetime]] = []

    def _plan_upsets(self) -> set[tuple[str, int, int, int]]:
        """A few shifts in which one characteristic's process is out of control."""
        upsets = set()
        for _ in range(max(3, self.options.days // 20)):
            part = self.pick.choice(PARTS)
            chars = [c for _t, _d, cs in part.tasks for c in cs]
            upsets.add((part.code, self.pick.randrange(len(chars)), self.pick.randrange(self.options.days),
                        self.pick.randrange(len(SHIFTS))))
        return upsets

    def models(self, part: Part) -> list[CharModel]:
        """The current version's characteristics joined to their process behaviour."""
        subtasks: list[Subtask] = plant.current_subtasks(self.session, self.ids.recipes[part.code])
        chars = [c for _t, _d, cs in part.tasks for c in cs]
        return [CharModel(s.id, s.characteristic_id, s.task.version_id,
                          Limits(s.nominal, s.ltl, s.lwl, s.uwl, s.utl), c) for s, c in zip(subtasks, chars)]

    def shift(self, part: Part, models: list[CharModel], day: int, shift_no: int, per_shift: int) -> None:
        """Generate one shift's runs of one part."""
        name, hour = SHIFTS[shift_no]
        start = self.options.end - timedelta(days=self.options.days - day) + timedelta(hours=hour)
        upsets = {i for (code, i, d, s) in self.upsets if code == part.code and d == day and s == shift_no}
        values = draw_values(self.rng, models, per_shift, day / max(1, self.options.days), shift_no == 1, upsets)
        station = self.ids.stations[part.stations[0]]
        operator = self.ids.shift_operators[(shift_no * 3 + PARTS.index(part)) % len(self.ids.shift_operators)]
        cycle = SHIFT_HOURS * 3600 / per_shift
        lot = f"L{start:%y%m%d}{name}-{part.code.split('-')[0][:3]}"
        for i in range(per_shift):
            began = start + timedelta(seconds=i * cycle + self.pick.uniform(0, cycle * 0.3))
            serial = f"{part.code}-{start:%y%m%d}{name}{i + 1:03d}-{self.options.seed}"
            status = self.run(part, models, values[i], serial, lot, station, operator, began)
            if status == "fail":
                retest = draw_values(self.rng, models, 1, 0.0, False, set())[0]
                self.counts.retests += 1
                self.run(part, models, retest, serial, lot, self.ids.stations[RETEST_STATION], operator,
                         began + timedelta(minutes=45))
        if len(self.values) >= FLUSH_EVERY:
            self.flush()

    def run(self, part: Part, models: list[CharModel], values: np.ndarray, serial: str, lot: str, station: int,
            operator: int, began: datetime) -> str:
        """One run: its values judged, a rare typing slip corrected, the run's status from the latest values."""
        run_uuid = uuid.UUID(int=self.pick.getrandbits(128), version=4)
        run_id = self.fmt.uuid(run_uuid)
        at = began
        judgments = []
        for model, value in zip(models, values.tolist()):
            at += timedelta(seconds=self.pick.uniform(8, 25))
            method = "manual" if self.pick.random() < MANUAL_ENTRY_RATE else "usb_caliper"
            if self.pick.random() < CORRECTION_RATE:
                slipped, _ = self._add(run_id, model, value + self.pick.choice((-1.0, 1.0)), serial, lot, operator,
                                    at, "manual", None, None)
                at += timedelta(seconds=15)
                judgments.append(self._add(run_id, model, value, serial, lot, operator, at, "manual", slipped,
                                           "Typing error: wrong digit entered")[1])
                self.counts.corrections += 1
            else:
                judgments.append(self._add(run_id, model, value, serial, lot, operator, at, method, None, None)[1])
        status = worst(judgments)
        self.runs.append((  # in RUN_COLUMNS order
            run_id, "station", self.ids.recipes[part.code], models[0].version_id, station, operator, part.code,
            serial, lot, status, self._attempt(part.code, serial, run_uuid, began), self.fmt.time(began),
            self.fmt.time(at + timedelta(seconds=5)), False,
        ))
        self.counts.runs += 1
        if part.hardpy and status != "fail":
            self.end_of_line.append((part.code, serial, lot, at))
        return status

    def _attempt(self, part_number: str, serial: str, run_id: uuid.UUID, began: datetime) -> int:
        count, _, _ = self.duts.get((part_number, serial), (0, None, None))
        self.duts[(part_number, serial)] = (count + 1, run_id, began)
        return count + 1

    def _add(self, run_id, model: CharModel, value: float, serial, lot, operator, at, method, supersedes,
             reason) -> tuple[int, str]:
        mid, self.next_id = self.next_id, self.next_id + 1
        verdict = judge(value, model.limits)
        self.values.append((  # in MEASUREMENT_COLUMNS order
            mid, run_id, model.subtask_id, model.version_id, model.characteristic_id, operator, value, verdict,
            deviation(value, model.limits.nominal), lot, serial, method, self.fmt.time(at), supersedes, reason,
        ))
        self.counts.measurements += 1
        return mid, verdict

    def flush(self) -> None:
        """Write what has accumulated and commit, so memory stays flat at any size."""
        written = len(self.values)
        bulk.insert_history(self.session, self.runs, self.values, self.duts)
        self.session.commit()
        self.runs, self.values, self.duts = [], [], {}
        self.progress(written)


def generate(session: Session, ids: plant.PlantIds, options: Options, maker_id: int,
             progress: Callable[[int], None] = lambda n: None) -> HistoryBuilder:
    """Generate the history day by day; planned revisions create new versions on their day."""
    builder = HistoryBuilder(session, ids, options, progress)
    natural = sum(p.parts_per_shift for p in PARTS) * len(SHIFTS) * options.days
    scale = (options.runs / natural) if options.runs else 1.0
    models = {p.code: builder.models(p) for p in PARTS}
    for day in range(options.days):
        for part in PARTS:
            due = [r for r in part.revisions if int(r[0] * options.days / 90) == day and day > 0]
            if due:
                builder.flush()
                for revision in due:
                    plant.revise(session, part, ids.recipes[part.code], revision, maker_id)
                session.flush()
                models[part.code] = builder.models(part)
            for shift_no in range(len(SHIFTS)):
                per_shift = max(1, round(part.parts_per_shift * scale))
                builder.shift(part, models[part.code], day, shift_no, per_shift)
    builder.flush()
    bulk.fix_sequences(session)
    session.commit()
    return builder
