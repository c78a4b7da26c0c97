"""`tmf import`: QIF and DFQ files into the database, once each, or a watched folder."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..kit.errors import AppError
from .watch import FORMATS, describe, import_path, scan_once

import_app = typer.Typer(help="Import measuring-machine files (QIF 3.0, AQDEF DFQ).", no_args_is_help=True)
console, err = Console(soft_wrap=True), Console(stderr=True, soft_wrap=True)
StationOption = Annotated[str | None, typer.Option(help="The measuring station (CMM) the runs belong to")]
RecipeOption = Annotated[str | None, typer.Option(help="Land on the recipe with this code")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print each import's answer as JSON")]


def _factory():
    from ..audit.sealer import audited_sessions
    from ..config.server import Settings

    return audited_sessions(Settings())


def _import(files: list[Path], fmt: str, station: str | None, recipe: str | None, as_json: bool) -> None:
    factory, failed = _factory(), 0
    for path in files:
        if FORMATS.get(path.suffix.lower()) != fmt:
            err.print(f"{path}: not a .{fmt} file")
            failed += 1
            continue
        try:
            answer = import_path(factory, path, station, recipe)
        except AppError as exc:
            err.print(f"{path}: refused: {exc.detail}")
            failed += 1
            continue
        if as_json:
            sys.stdout.write(json.dumps(answer) + "\n")
        else:
            console.print(f"{path}: {describe(answer)}")
    if failed:
        raise typer.Exit(1)


@import_app.command("qif")
def import_qif(files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False)],
               station_code: StationOption = None, recipe_code: RecipeOption = None, as_json: JsonOption = False):
    """Import QIF 3.0 results (judged runs) or plans (draft versions)."""
    _import(files, "qif", station_code, recipe_code, as_json)


@import_app.command("dfq")
def import_dfq(files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False)],
               station_code: StationOption = None, recipe_code: RecipeOption = None, as_json: JsonOption = False):
    """Import AQDEF DFQ files (a .dfd takes the .dfx of the same name with it)."""
    _import(files, "dfq", station_code, recipe_code, as_json)


@import_app.command("watch")
def watch(folder: Annotated[Path, typer.Argument(file_okay=False)],
          interval: Annotated[float, typer.Option(min=0.1, help="Seconds between passes")] = 2.0,
          station_code: StationOption = None,
          once: Annotated[bool, typer.Option("--once", help="One pass, then exit")] = False):
    """Import every .qif/.dfq/.dfd dropped in the folder once; move it to done/ or failed/ with a .log."""
    folder.mkdir(parents=True, exist_ok=True)
    factory = _factory()
    console.print(f"Watching {folder.resolve()} (every {interval:g} s)")
    sys.stdout.flush()
    try:
        while True:
            for outcome in scan_once(factory, folder, station_code=station_code):
                console.print(f"{outcome.path.name} -> {outcome.folder}/: {outcome.message}")
                sys.stdout.flush()
            if once:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        return
