"""`tmf maintain`: create the measurements' monthly partitions ahead and list those that exist."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..config.server import Settings
from ..kit.db import make_engine, make_sessionmaker, unit_of_work
from ..models.partitioning import MONTHS_AHEAD
from . import partitions

console = Console()
err = Console(stderr=True, soft_wrap=True)


def _month(text: str | None) -> date:
    if text is None:
        return partitions.current_month()
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a month (YYYY-MM)", param_hint="--start") from None


def maintain(
    months: Annotated[int, typer.Option(min=1, max=1200, help="How many months, from --start, must have partitions")]
    = MONTHS_AHEAD + 1,
    start: Annotated[str | None, typer.Option(help="First month, YYYY-MM (default: the current month)")] = None,
) -> None:
    """Create the measurements' monthly partitions ahead (PostgreSQL) and list those that exist."""
    first = _month(start)
    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    try:
        if engine.dialect.name != "postgresql":
            console.print("SQLite keeps measurements in one table: nothing to maintain.")
            return
        factory = make_sessionmaker(engine)
        with unit_of_work(factory) as session:
            created = partitions.create_ahead(session, first, months)
        with unit_of_work(factory, write=False) as session:
            found = partitions.existing(session)
    finally:
        engine.dispose()
    if not found:
        err.print("The measurements table is not partitioned: run `tmf migrate` first.")
        raise typer.Exit(1)
    console.print(f"Created {len(created)} partition(s)" + (f": {', '.join(created)}" if created else ""))
    table = Table("partition", "range", "rows")
    for part in found:
        table.add_row(part.name, part.bounds.replace("FOR VALUES ", "").replace(" 00:00:00", ""), f"{part.rows:,}" if part.exact else f"~{part.rows:,}")
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the command to the tmf application."""
    app.command("maintain")(maintain)
