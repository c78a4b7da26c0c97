"""The watched import folder: QIF and DFQ files dropped by CMM software, each imported exactly once.

A file is imported in one transaction, then moved to `done/` (or `failed/`) with a `.log` beside
it. Killed between the commit and the move, the next pass imports it again, which stores nothing
(the import is idempotent by QPId or content hash), and moves it then. A file still being written
(changed within the last `settle` seconds) waits for the next pass.
"""

from __future__ import annotations

import json
import logging
import os
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ..kit.db import unit_of_work
from ..kit.errors import AppError
from ..kit.periodic import PeriodicThread, running
from .service import ImportRequest, import_file

log = logging.getLogger(__name__)
FORMATS = {".qif": "qif", ".dfq": "dfq", ".dfd": "dfq"}
DONE, FAILED = "done", "failed"


@dataclass(frozen=True)
class Outcome:
    """What one pass did with one file."""

    path: Path
    folder: str  # done | failed
    message: str


def _content(path: Path) -> tuple[bytes, list[Path]]:
    """The file's bytes (a DFD followed by its DFX values) and every file that belongs to it."""
    if path.suffix.lower() != ".dfd":
        return path.read_bytes(), [path]
    values = next((p for p in path.parent.glob(path.stem + ".*") if p.suffix.lower() == ".dfx"), None)
    if values is None:
        return path.read_bytes(), [path]
    return path.read_bytes().rstrip(b"\r\n") + b"\r\n" + values.read_bytes(), [path, values]


def _move(paths: list[Path], folder: Path, log_text: str) -> None:
    folder.mkdir(exist_ok=True)
    first = paths[0]
    target = folder / first.name
    if target.exists():  # a file of the same name came before: keep both
        target = folder / f"{first.stem}.{time.strftime('%Y%m%d%H%M%S')}{first.suffix}"
    (folder / (target.name + ".log")).write_text(log_text, encoding="utf-8")
    for path in paths:
        os.replace(path, folder / (target.stem + path.suffix) if path is not first else target)


def import_path(factory: sessionmaker[Session], path: Path, station_code: str | None = None,
                recipe_code: str | None = None) -> dict:
    """Import one file (a DFD with its DFX) in its own transaction; AppError when refused."""
    content, _ = _content(path)
    request = ImportRequest(FORMATS[path.suffix.lower()], content, path.name, recipe_code=recipe_code,
                            station_code=station_code)
    with unit_of_work(factory) as session:
        return import_file(session, request, None)


def describe(answer: dict) -> str:
    """One line about an import's answer."""
    if answer["duplicate"]:
        return f"already imported (import {answer['import_id']}): {len(answer['runs'])} runs, nothing new stored"
    return (f"{answer['kind']} for recipe {answer['recipe']['code']} version {answer['version']['version_number']}: "
            f"{len(answer['runs'])} runs, {answer['measurements']} values, {len(answer['skipped'])} skipped, "
            f"{len(answer['disagreements'])} disagreements with the file's verdicts")


def scan_once(factory: sessionmaker[Session], folder: Path, settle: float = 1.0,
              station_code: str | None = None) -> list[Outcome]:
    """Import every settled file of the folder and move it to done/ or failed/ with its log."""
    outcomes = []
    now = time.time()
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in FORMATS):
        try:
            if now - path.stat().st_mtime < settle:
                continue
            try:
                answer = import_path(factory, path, station_code)
            except AppError as exc:
                _move(_content(path)[1], folder / FAILED, f"{path.name}: refused ({exc.status_code}): {exc.detail}\n")
                outcomes.append(Outcome(path, FAILED, str(exc.detail)))
                continue
            message = describe(answer)
            _move(_content(path)[1], folder / DONE, f"{path.name}: {message}\n{json.dumps(answer, indent=2)}\n")
            outcomes.append(Outcome(path, DONE, message))
        except FileNotFoundError:
            continue  # another watcher took it
    return outcomes


def _scan_pass(factory: sessionmaker[Session], folder: Path, station_code: str | None) -> None:
    """One pass over the import folder, each file's outcome logged (a file that fails stays for the next pass)."""
    folder.mkdir(parents=True, exist_ok=True)
    for outcome in scan_once(factory, folder, station_code=station_code):
        log.info("import %s -> %s: %s", outcome.path.name, outcome.folder, outcome.message)


@asynccontextmanager
async def import_watch_lifespan(app):
    """Watch IMPORT_DIR for the server's lifetime when it is set."""
    settings = app.state.settings
    watcher = None
    if settings.import_dir is not None:
        watcher = PeriodicThread("import-watch", settings.import_interval_seconds, partial(
            _scan_pass, app.state.sessionmaker, settings.import_dir, settings.import_station_code or None))
    async with running(watcher):
        yield
