"""Benchmark data: the demo plant, a logged-in client, generated history."""

from __future__ import annotations

from pathlib import Path

from tiemeasureflow.audit.sealer import audited_sessions
from tiemeasureflow.config.server import Settings
from tiemeasureflow.demodata import plant
from tiemeasureflow.demodata.history import Options
from tiemeasureflow.demodata.seed import seed

BENCH_SECRET = "bench-secret"


def settings_for(url: str, data_dir: Path) -> Settings:
    """Settings matching the benchmark server's environment."""
    return Settings(_env_file=None, database_url=url, data_dir=data_dir, secret_key=BENCH_SECRET)


def build_plant(url: str, data_dir: Path) -> dict:
    """The demo plant without history; returns the first recipe's current version and subtasks."""
    # Audited sessions with the server's key: events keyed otherwise would stop the server's sealer.
    factory = audited_sessions(settings_for(url, data_dir))
    engine = factory.kw["bind"]
    session = factory()
    try:
        ids = plant.build_plant(session, settings_for(url, data_dir).resolved_upload_dir)
        session.commit()
        recipe_id = ids.recipes["SHAFT-042"]
        subtasks = plant.current_subtasks(session, recipe_id)
        return {"recipe_id": recipe_id, "version_id": subtasks[0].task.version_id,
                "subtask_ids": [s.id for s in subtasks], "nominals": [s.nominal for s in subtasks],
                "station_id": ids.stations["ST-LATHE-1"], "recipes": ids.recipes}
    finally:
        session.close()
        engine.dispose()


def generate_history(url: str, data_dir: Path, runs: int, days: int = 90, seed_value: int = 1) -> dict:
    """Bulk demo history of about `runs` station runs; returns the counts."""
    summary = seed(settings_for(url, data_dir), Options(days=days, seed=seed_value, runs=runs))
    return {"runs": summary.runs, "measurements": summary.measurements}
