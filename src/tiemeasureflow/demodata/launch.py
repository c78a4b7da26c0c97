"""`tmf demo`: seed the embedded database once, then serve the API and the station client together."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..config.server import Settings
from .catalog import ACCOUNTS, SHIFT_OPERATOR_PASSWORD
from .history import Options
from .seed import seed

DEMO_STATION = "ST-LATHE-1"
DEFAULT_DAYS = 90
DEMO_SEED = 42
console = Console(width=110)


def demo_settings(data_dir: Path) -> Settings:
    """Settings for the embedded demo database; exported so the API worker builds the same ones."""
    os.environ["DATA_DIR"] = str(data_dir.resolve())
    os.environ["DATABASE_URL"] = ""
    os.environ.pop("UPLOAD_DIR", None)
    return Settings()


def _print_welcome(settings: Settings, host: str, api_port: int, client_port: int, history_note: str) -> None:
    console.print(f"\n[bold]TieMeasureFlow demo[/bold] - data in {settings.data_dir} ({history_note})")
    console.print(f"  Station client: http://{host}:{client_port}/   (station {DEMO_STATION})")
    console.print(f"  API:            http://{host}:{api_port}/api   (OpenAPI: http://{host}:{api_port}/api/docs)")
    table = Table("username", "password", "roles")
    for username, password, _name, roles, is_admin, _lang in ACCOUNTS:
        table.add_row(username, password, ", ".join(roles + (["Admin"] if is_admin else [])))
    table.add_row("op.rossi ... op.marino", SHIFT_OPERATOR_PASSWORD, "MeasurementTec (shift operators)")
    console.print(table)
    console.print("Press Ctrl-C to stop both servers.\n")
    sys.stdout.flush()


def run_demo(data_dir: Path, host: str, api_port: int, client_port: int, days: int = DEFAULT_DAYS) -> None:
    """Seed (first time only, `days` of history), start the client in a thread and the API in the foreground."""
    from waitress import create_server

    from ..app.serving import run_server
    from ..config.client import ClientSettings
    from ..web.app import create_web_app

    settings = demo_settings(data_dir)
    console.print(f"Preparing the demo plant (the first start generates {days} days of history)...")
    summary = seed(settings, Options(days=days, seed=DEMO_SEED), only_if_empty=True)
    note = "existing history kept" if summary.skipped_history else (
        f"{summary.runs} runs, {summary.measurements} measurements, {summary.hardpy_runs} HardPy runs generated")
    # The client reads the same DATA_DIR, so it signs its sessions with the demo's generated secret.
    web = create_web_app(ClientSettings(), api_url=f"http://{host}:{api_port}", station_code=DEMO_STATION)
    client = create_server(web, host=host, port=client_port, threads=8, ident="TieMeasureFlow client")
    thread = threading.Thread(target=client.run, name="station-client", daemon=True)
    thread.start()
    _print_welcome(settings, host, api_port, client_port, note)
    try:
        run_server(settings, host, api_port, 1, None, None)  # returns after Ctrl-C
    finally:
        client.close()
        thread.join(timeout=5)
        console.print("Demo stopped.")
