"""`python -m bench [name ...]`: run the benchmarks (all by default), each printing its table and writing JSON."""

from __future__ import annotations

import sys

from . import (
    auth,
    export,
    ingest,
    ingest_steps,
    load,
    measurement_report,
    pdf_report,
    plant_load,
    public_api,
    qif_import,
    scaling,
    slow_work,
    statistics,
)
from .common import console

SUITE = {
    "ingest": ingest.run,
    "ingest_steps": ingest_steps.run,
    "statistics": statistics.run,
    "export": export.run,
    "public_api": public_api.run,
    "auth": auth.run,
    "pdf_report": pdf_report.run,
    "measurement_report": measurement_report.run,
    "load": load.run,
    "scaling": scaling.run,
    "plant_load": plant_load.run,
    "qif_import": qif_import.run,
    "slow_work": slow_work.run,
}


def main(names: list[str]) -> None:
    """Run the named benchmarks in order."""
    for name in names or list(SUITE):
        if name not in SUITE:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(SUITE)}")
        console.rule(f"[bold]{name}")
        SUITE[name]()


main(sys.argv[1:])
