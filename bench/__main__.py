"""`python -m bench [name ...]`: run the benchmarks (all by default), each printing its table and writing JSON."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import auth, export, ingest, load, pdf_report, public_api
from .common import RESULTS, console, pg_available

SUITE = {
    "ingest": ingest.run,
    "statistics": None,  # its own script (bench/statistics_bench.py), run per database below
    "export": export.run,
    "public_api": public_api.run,
    "auth": auth.run,
    "pdf_report": pdf_report.run,
    "load": load.run,
}


def _statistics() -> None:
    script = Path(__file__).with_name("statistics_bench.py")
    targets = [[]] + ([["--database-url", "postgresql://postgres@127.0.0.1:5432/postgres"]] if pg_available() else [])
    for i, extra in enumerate(targets):
        name = "statistics_sqlite" if i == 0 else "statistics_postgresql"
        subprocess.run([sys.executable, str(script), *extra, "--json", str(RESULTS / f"{name}.json")], check=True)


def main(names: list[str]) -> None:
    """Run the named benchmarks in order."""
    for name in names or list(SUITE):
        if name not in SUITE:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(SUITE)}")
        console.rule(f"[bold]{name}")
        _statistics() if name == "statistics" else SUITE[name]()


main(sys.argv[1:])
