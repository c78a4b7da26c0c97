"""`tmf archive` and `tmf restore`: run as the schema owner (MIGRATION_DATABASE_URL), like `tmf migrate`."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.exc import DBAPIError

from ..config.server import Settings, audit_checkpoint, audit_hmac_key, postgres_url
from ..kit.db import make_engine, make_sessionmaker, unit_of_work
from ..kit.errors import AppError

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _owner_factory(settings: Settings):
    """Sessions as the schema owner: only it may open the removal gate on PostgreSQL."""
    from ..audit.sealer import install

    url = postgres_url(settings.migration_database_url) if settings.migration_database_url else None
    factory = make_sessionmaker(make_engine(url or settings.resolved_database_url))
    install(factory, audit_checkpoint(settings), audit_hmac_key(settings))
    return factory


def _refused(exc: DBAPIError) -> str:
    """A database refusal as one line; a missing privilege points at the owner's URL."""
    reason = str(exc.orig).strip().splitlines()[0]
    if "permission denied" in reason:
        return (f"The database refused ({reason}): archive and restore run as the schema owner; "
                "set MIGRATION_DATABASE_URL as for tmf migrate. Nothing was changed.")
    return f"The database refused ({reason}). Nothing was changed."


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(f"--before must be a date like 2026-01-01, not {text!r}")
        raise typer.Exit(2) from None


def archive(
    before: Annotated[str, typer.Option(help="First day of a month: every closed month before it is archived")],
) -> None:
    """Move the measurements of closed months before a date to a verified archive file, then remove them."""
    from . import service
    from .package import DamagedArchive, discard

    settings = Settings()
    try:
        cutoff = service.check_cutoff(_day(before), datetime.now(UTC).date())
    except AppError as exc:
        err.print(exc.detail)
        raise typer.Exit(2) from None
    folder = settings.resolved_archive_dir
    folder.mkdir(parents=True, exist_ok=True)
    factory = _owner_factory(settings)
    written = None
    try:
        with tempfile.TemporaryDirectory(dir=folder, prefix=".parts-") as work:
            with unit_of_work(factory, write=False) as session:
                written = service.write_archive(session, cutoff, folder, Path(work))
        if written is None:
            console.print(f"Nothing to archive before {cutoff:%Y-%m-%d}.")
            return
        with unit_of_work(factory) as session:
            service.remove_archived(session, cutoff, written)
    except (AppError, DamagedArchive, DBAPIError) as exc:
        if written is not None:  # not registered, nothing removed: leave no file that looks like an archive
            discard(written.path)
        if isinstance(exc, DBAPIError):
            err.print(_refused(exc))
        else:
            err.print(getattr(exc, "detail", None) or f"The archive file failed its check, nothing removed: {exc}")
        raise typer.Exit(1) from None
    console.print(f"Archived {written.measurements} measurements and {written.runs} runs "
                  f"({written.kept_runs} runs stay, their values archived) from {written.period_from:%Y-%m} "
                  f"to before {cutoff:%Y-%m-%d} into {written.path}")
    console.print(f"SHA-256 {written.sha256}")


def restore(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="An archive file")],
) -> None:
    """Verify an archive file and bring its runs and measurements back with their original ids and times."""
    from . import service

    factory = _owner_factory(Settings())
    try:
        with unit_of_work(factory) as session:
            done = service.restore(session, file.resolve())
    except AppError as exc:
        err.print(exc.detail)
        raise typer.Exit(1) from None
    except DBAPIError as exc:
        err.print(_refused(exc))
        raise typer.Exit(1) from None
    console.print(f"Restored {done.measurements} measurements and {done.runs} runs from {file.name} "
                  f"({done.period_from:%Y-%m} to before {done.period_before:%Y-%m-%d}).")


def register(app: typer.Typer) -> None:
    """Add the commands to the tmf application."""
    app.command("archive")(archive)
    app.command("restore")(restore)
