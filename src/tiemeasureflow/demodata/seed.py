"""Fill a database with the demo plant and its history."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from ..config.server import Settings
from ..kit.db import make_engine, make_sessionmaker
from ..migrations import upgrade
from ..models import Run, User
from . import gauges, history, plant
from .cmm_imports import import_cmm_results
from .fai import build_fais
from .hardpy_runs import upload_end_of_line
from .loop import build_loop


@dataclass
class Summary:
    """What a seeding did."""

    runs: int = 0
    measurements: int = 0
    corrections: int = 0
    retests: int = 0
    hardpy_runs: int = 0
    skipped_history: bool = False
    history_seconds: float = 0.0  # the bulk history phase only (no plant, no HardPy uploads)


def seed(settings: Settings, options: history.Options, *, only_if_empty: bool = False,
         progress: Callable[[int], None] = lambda n: None) -> Summary:
    """Migrate, build the plant, then generate history (skipped when asked and runs exist already)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    session = make_sessionmaker(engine)()
    try:
        ids = plant.build_plant(session, settings.resolved_upload_dir)
        gauges.build(session, ids, options.seed)
        session.commit()
        if only_if_empty and session.scalar(select(Run.id).limit(1)) is not None:
            return Summary(skipped_history=True)
        maker_id = session.scalar(select(User.id).where(User.username == "maker"))
        started = time.perf_counter()
        builder = history.generate(session, ids, options, maker_id, progress)
        elapsed = time.perf_counter() - started
        hardpy = upload_end_of_line(session, builder.end_of_line, options.seed)
        import_cmm_results(session, options.seed)
        build_loop(session, options.seed)
        build_fais(session, options.end, options.seed)
        session.commit()
        c = builder.counts
        return Summary(c.runs, c.measurements, c.corrections, c.retests, hardpy, history_seconds=elapsed)
    finally:
        session.close()
        engine.dispose()
