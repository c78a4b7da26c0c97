"""Running the API under uvicorn, and the schema check that precedes it."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import uvicorn
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import FastAPI

from ..config.server import Settings
from ..kit.db import make_engine
from ..migrations import alembic_config
from . import create_app


def check_schema_current(settings: Settings) -> str | None:
    """None when the database is at the newest migration, else what to do about it."""
    sqlite_path = settings.sqlite_path
    if sqlite_path is not None and not sqlite_path.exists():
        # Connecting would create an empty file; say what is missing instead.
        return f"No database at {sqlite_path}: run `tmf migrate` first."
    engine = make_engine(settings.resolved_database_url)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except Exception as exc:  # driver errors: the database is unreachable
        return f"Cannot reach the database: {exc}"
    finally:
        engine.dispose()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if current != head:
        return f"The database schema is at {current or 'nothing'}, not {head}: run `tmf migrate` first."
    return None


def served_app() -> FastAPI:
    """The application as `tmf serve` runs it (in each worker process)."""
    app = create_app()
    # What the process built so far lives as long as it does: frozen, a full collection no longer walks
    # it. Measured under a plant's load: full collections stalled every request 95 ms every 5-10 s,
    # 11-17 ms once frozen.
    gc.collect()
    gc.freeze()
    return app


def run_server(settings: Settings, host: str, port: int, workers: int,
               ssl_certfile: Path | None, ssl_keyfile: Path | None) -> None:
    """Serve the API; every worker builds its app from the same environment."""
    # Workers are separate processes: they read these instead of our in-memory settings.
    os.environ["DATA_DIR"] = str(settings.data_dir)
    _ = settings.pepper  # generate the secret once, before workers race to create it
    uvicorn.run(
        "tiemeasureflow.app.serving:served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
        ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
        # The app resolves client IPs itself, trusting only TRUSTED_PROXIES.
        proxy_headers=False,
        server_header=False,
        log_level=settings.log_level.lower(),
    )
