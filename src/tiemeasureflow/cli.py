"""The `tmf` command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .archive import cli as archive_commands
from .client_cli import client
from .config.server import Settings, describe_settings
from .demodata import cli as demo_data_commands
from .imports.cli import import_app
from .kit.db import make_engine, unit_of_work
from .measurements import maintain_cli

app = typer.Typer(help="TieMeasureFlow: measurements, inspection plans, SPC and reports.", no_args_is_help=True)
users_app = typer.Typer(help="Manage users.", no_args_is_help=True)
keys_app = typer.Typer(help="Manage integration and stand keys.", no_args_is_help=True)
audit_app = typer.Typer(help="Inspect the audit trail.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")
app.add_typer(import_app, name="import")
# Messages are printed whole (a path never breaks a line); tables take the terminal's width at print time.
console = Console(soft_wrap=True)
# Errors are never wrapped: scripts and logs read them whole, whatever the terminal width.
err = Console(stderr=True, soft_wrap=True)


def _settings() -> Settings:
    return Settings()


def _session_factory(settings: Settings):
    from .audit.sealer import audited_sessions

    return audited_sessions(settings)


@app.command()
def migrate() -> None:
    """Create or upgrade the database schema to the newest version."""
    from .audit.checkpoint import checkpoint_head
    from .config.server import audit_checkpoint, audit_hmac_key, postgres_url
    from .migrations import upgrade
    from .migrations.roles import grant_application_role

    settings = _settings()
    if settings.sqlite_path is not None:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    owner_url = postgres_url(settings.migration_database_url) if settings.migration_database_url else None
    engine = make_engine(owner_url or settings.resolved_database_url)
    upgrade(engine, audit_key=audit_hmac_key(settings))
    if owner_url:
        from sqlalchemy.engine import make_url

        app_role = make_url(settings.resolved_database_url).username
        if app_role and app_role != make_url(owner_url).username:
            with engine.begin() as conn:
                grant_application_role(conn, app_role)
            console.print(f"Role {app_role} may read and write data; the schema stays the owner's.")
    with engine.connect() as conn:
        checkpoint_head(conn, audit_checkpoint(settings))
    engine.dispose()
    console.print("Database is at the newest schema version.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    ssl_certfile: Annotated[Path | None, typer.Option(help="TLS certificate (PEM) to serve HTTPS")] = None,
    ssl_keyfile: Annotated[Path | None, typer.Option(help="TLS private key (PEM)")] = None,
) -> None:
    """Run the API server."""
    from .app.serving import check_schema_current, run_server
    from .kit.ratelimit import is_shared_storage

    if (ssl_certfile is None) != (ssl_keyfile is None):
        err.print("--ssl-certfile and --ssl-keyfile go together.")
        raise typer.Exit(2)
    settings = _settings()
    if workers > 1 and not is_shared_storage(settings.rate_limit_storage_url):
        # Each worker would keep its own counters: the limits would silently multiply by --workers.
        err.print(f"--workers {workers} needs RATE_LIMIT_STORAGE_URL=redis://... so the workers share rate-limit "
                  "counters; with memory:// run one worker.")
        raise typer.Exit(2)
    problem = check_schema_current(settings)
    if problem:
        err.print(problem)
        raise typer.Exit(1)
    writable_folder(settings.resolved_upload_dir)  # refuse to start rather than fail every upload
    run_server(settings, host, port, workers, ssl_certfile, ssl_keyfile)


@app.command("config")
def show_config() -> None:
    """List every setting of the server and the station client with its current value and default (secrets masked)."""
    table = Table()
    # Names and values stay on one line each (a path or URL can be copied whole); the meaning wraps.
    for header in ("variable", "value", "default"):
        table.add_column(header, no_wrap=True)
    table.add_column("meaning")
    from .config.client import ClientSettings

    for row in describe_settings(_settings(), ClientSettings()):
        table.add_row(*row)
    Console().print(table)  # made now: the width of the terminal (or COLUMNS) of this call


@users_app.command("create")
def users_create(
    username: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, help="The user's password")],
    role: Annotated[list[str] | None, typer.Option("--role", help="Maker, MeasurementTec or Metrologist (repeatable)")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an administrator")] = False,
    display_name: Annotated[str | None, typer.Option(help="Shown name (default: the username)")] = None,
) -> None:
    """Create a user."""
    from pydantic import ValidationError

    from .kit.errors import AppError
    from .users.schemas import UserCreate
    from .users.service import create_user

    try:
        data = UserCreate(username=username, password=password, display_name=display_name or username,
                          roles=role or [], is_admin=admin)
        with unit_of_work(_session_factory(_settings())) as session:
            user = create_user(session, data, None)
            console.print(f"Created user {user.username} (id {user.id}).")
    except ValidationError as exc:
        err.print(f"Invalid user: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")
        raise typer.Exit(2) from None
    except AppError as exc:
        err.print(exc.detail)
        raise typer.Exit(1) from None


@keys_app.command("create")
def keys_create(
    kind: Annotated[str, typer.Option(help="integration (public API reader) or stand (HardPy uploads)")],
    name: Annotated[str, typer.Option(help="What the key is for")],
) -> None:
    """Create a key and print it once, alone on its own line."""
    from .audit.service import record
    from .auth.keys import issue_key

    if kind not in ("integration", "stand"):
        err.print("--kind must be integration or stand")
        raise typer.Exit(2)
    if not 1 <= len(name.strip()) <= 255 or not name.isprintable():
        err.print("--name must be 1 to 255 printable characters")
        raise typer.Exit(2)
    settings = _settings()
    with unit_of_work(_session_factory(settings)) as session:
        key, raw = issue_key(session, settings.pepper, kind, name=name)
        record(session, None, "create", "api_key", key.id, new={"kind": kind, "name": name, "via": "cli"})
    err.print(f"Created {kind} key {key.id} '{name}'. It is shown once; store it now:")
    print(raw)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the keyed audit chain against its head, its checkpoint and the runs' verdicts."""
    from .audit.verify import verify_chain
    from .config.server import audit_checkpoint, audit_hmac_key

    settings = _settings()
    with unit_of_work(_session_factory(settings), write=False) as session:
        result = verify_chain(session, audit_hmac_key(settings), audit_checkpoint(settings))
    if result.ok:
        console.print(f"Audit trail intact: {result.checked} events verified.")
        return
    where = f" at event {result.first_bad_id}" if result.first_bad_id else ""
    err.print(f"AUDIT TRAIL BROKEN{where}: {result.reason} ({result.checked} events verified before it).")
    raise typer.Exit(1)


@app.command("csv-sync")
def csv_sync(
    path: Annotated[Path | None, typer.Option(help="The CSV file (default: CSV_SYNC_PATH)")] = None,
    follow: Annotated[bool, typer.Option("--follow", help="Keep appending new measurements until stopped")] = False,
    interval: Annotated[float | None, typer.Option(min=0.1, help="Seconds between passes with --follow "
                                                  "(default: CSV_SYNC_INTERVAL_SECONDS)")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows written and fsynced per step")] = 1000,
) -> None:
    """Append every measurement not yet in the CSV sync file, exactly once."""
    import time

    from .measurements.csv_sync import sync_once

    settings = _settings()
    target = path or settings.csv_sync_path
    if target is None:
        err.print("Give --path or set CSV_SYNC_PATH.")
        raise typer.Exit(2)
    factory = _session_factory(settings)
    try:
        while True:
            result = sync_once(factory, target.resolve(), batch_size)
            console.print(f"{target}: {result.appended} measurements appended, up to id {result.last_id}.")
            if not follow:
                return
            time.sleep(interval or settings.csv_sync_interval_seconds)
    except KeyboardInterrupt:
        return


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="API port")] = 8000,
    client_port: Annotated[int, typer.Option(help="Station client port")] = 5000,
    data_dir: Annotated[Path, typer.Option(help="Folder for the demo database and uploads")] = Path("demo-data"),
    days: Annotated[int, typer.Option(min=1, max=3650, help="Days of history the first start generates")] = 90,
) -> None:
    """Run the API and the station client on an embedded SQLite plant full of demo data."""
    from .demodata.launch import run_demo

    run_demo(data_dir, host, port, client_port, days)


app.command()(client)
demo_data_commands.register(app)
archive_commands.register(app)
maintain_cli.register(app)


def writable_folder(folder: Path) -> None:
    """Create the folder if needed and prove a file can be written in it (OSError otherwise)."""
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=folder) as probe:
        probe.write(b"x")
        probe.flush()
        os.fsync(probe.fileno())
