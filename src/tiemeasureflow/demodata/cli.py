"""`tmf demo-data`: generate a plant's history of any size, reproducibly, in bulk."""

from __future__ import annotations

import sqlite3
from typing import Annotated

import psycopg
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import IntegrityError

from ..config.server import Settings

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def demo_data(
    runs: Annotated[int | None, typer.Option(min=1, help="Station runs to generate (default: the plant's natural volume)")] = None,
    days: Annotated[int, typer.Option(min=1, max=3650, help="Days of history, ending today")] = 90,
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same data")] = 42,
) -> None:
    """Generate demo history (plant, runs, measurements, corrections, HardPy runs) into the configured database."""
    from .history import VALUES_PER_RUN, Options, planned_runs
    from .seed import seed

    settings = Settings()
    options = Options(days=days, seed=seed_value, runs=runs)
    # A rough total for the bar (retests and corrections add a little).
    expected = int(planned_runs(options) * VALUES_PER_RUN)
    with Progress(TextColumn("generating"), BarColumn(), MofNCompleteColumn(), TextColumn("measurements"),
                  TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("history", total=max(expected, 1))
        try:
            summary = seed(settings, options, progress=lambda n: bar.advance(task, n))
        # Bulk rows go straight to the driver, so its own error classes arrive too.
        except (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError) as exc:
            # The history is one transaction, so nothing of it was stored.
            bar.stop()
            err.print(f"No history stored: its rows collide with rows already in the database "
                      f"({getattr(exc, 'orig', exc)}). The same seed gives the same run ids: load another --seed, "
                      f"or into a fresh database.")
            raise typer.Exit(1) from None
        bar.update(task, total=summary.measurements, completed=summary.measurements)
    console.print(f"{summary.runs} runs ({summary.retests} retests), {summary.measurements} measurements "
                  f"({summary.corrections} corrections), {summary.hardpy_runs} HardPy runs "
                  f"into {settings.resolved_database_url.split('@')[-1]}")
    console.print(rate_line(summary.measurements, summary.history_seconds))


def rate_line(measurements: int, seconds: float) -> str:
    """The bulk history phase's speed, e.g. "354,082 measurements in 6.1 s (58,000 measurements/s)"."""
    rate = measurements / seconds if seconds > 0 else 0.0
    return (f"History phase (bulk insert): {measurements:,} measurements in {seconds:.1f} s "
            f"({rate:,.0f} measurements/s)")


def register(app: typer.Typer) -> None:
    """Add the command to the tmf application."""
    app.command("demo-data")(demo_data)
