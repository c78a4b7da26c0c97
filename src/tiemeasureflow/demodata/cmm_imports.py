"""The quality lab's CMM: its QIF results files for the flange, imported the way a watched folder does."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..imports import qif_writer
from ..imports.exporting import version_items
from ..imports.service import ImportRequest, import_file
from ..models import Recipe, utcnow

PART, STATION, PARTS = "FLANGE-110", "ST-CMM-QA", 12


def import_cmm_results(session: Session, seed: int) -> int:
    """One QIF results file per flange the CMM measured in the last days, imported; returns the runs created."""
    recipe = session.scalar(select(Recipe).where(Recipe.code == PART))
    if recipe is None or recipe.current_version is None:
        return 0
    rng = random.Random(seed)
    items = version_items(session, recipe.current_version.id)
    now, created = utcnow().replace(minute=0, second=0, microsecond=0), 0
    for n in range(1, PARTS + 1):
        values = []
        for item in items:
            low, high = item.ltl, item.utl
            centre = item.nominal if item.nominal is not None else 0.0
            width = (high - low) if low is not None and high is not None else abs((high or 1.0) - centre)
            values.append(qif_writer.Value(item.subtask_id, round(rng.gauss(centre, width / 7), 4), "pass"))
        when = now - timedelta(days=PARTS - n, hours=rng.randint(1, 6))
        body = qif_writer.document(qif_writer.qpid("demo-cmm", f"{seed}-{n}"), when, recipe.code, recipe.name, items,
                                   run={"serial_number": f"FL-CMM-{n:04d}", "status": "pass", "started_at": when},
                                   values=values)
        answer = import_file(session, ImportRequest("qif", body, f"{PART}-CMM-{n:04d}.qif", station_code=STATION), None)
        created += len(answer["runs"])
    return created
