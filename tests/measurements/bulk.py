"""Many measurements inserted in bulk (Core executemany) for export, sync and memory tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tiemeasureflow.models import Measurement

from .helpers import call


def bulk_measurements(client, user, plan, station: str, count: int, chunk: int = 5000) -> list[float]:
    """Insert `count` measurements into one run of the plan; returns the values in id order."""
    run = call(client, user, "POST", "/runs", 201, json={
        "recipe_id": plan.recipe_id, "serial_number": f"BULK-{uuid.uuid4().hex[:8]}", "lot_number": "LOT-BULK",
        "station_code": station}).json()
    subtask_id, characteristic_id = plan.subtask_ids[0], plan.characteristic_ids[0]
    start = datetime(2025, 1, 1, tzinfo=UTC)
    values = [10.0 + ((i * 7919) % 1000 - 500) / 997.0 for i in range(count)]
    with client.app.state.engine.begin() as conn:
        for offset in range(0, count, chunk):
            rows = [{
                "run_id": uuid.UUID(run["id"]), "subtask_id": subtask_id, "version_id": plan.version_id,
                "characteristic_id": characteristic_id, "measured_by": user.id, "value": values[i],
                "pass_fail": "pass", "deviation": values[i] - 10.0, "lot_number": "LOT-BULK",
                "serial_number": run["serial_number"], "input_method": "import",
                "measured_at": start + timedelta(seconds=i), "supersedes_id": None, "correction_reason": None,
            } for i in range(offset, min(count, offset + chunk))]
            conn.execute(sa.insert(Measurement), rows)
    return values
