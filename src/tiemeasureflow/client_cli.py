"""`tmf client`: the station client's command, which loads none of the server's code (nor SQLAlchemy)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

# The command alone, for `tmf client` (see launcher.py); `tmf`'s full command set registers it too.
app = typer.Typer(help="TieMeasureFlow station client.", no_args_is_help=True)
console = Console(soft_wrap=True)


@app.callback()
def _station_client() -> None:
    # A callback keeps `client` a named subcommand of this one-command app, as it is of the full `tmf`.
    pass


@app.command()
def client(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 5000,
    api_url: Annotated[str | None, typer.Option(help="The API server (default: API_URL)")] = None,
    station_code: Annotated[str | None, typer.Option(help="This station's code (default: STATION_CODE)")] = None,
) -> None:
    """Run the station web client (talks to the API over HTTP)."""
    from .config.client import ClientSettings
    from .web.serving import run_client

    settings = ClientSettings()
    target = api_url or settings.api_url
    console.print(f"Station client on http://{host}:{port} -> API {target}, "
                  f"station {station_code or settings.station_code or '(not configured)'}")
    sys.stdout.flush()
    run_client(settings, host, port, api_url=api_url, station_code=station_code)
