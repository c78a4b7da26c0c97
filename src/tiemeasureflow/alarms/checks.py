"""Every alarm check over the characteristics that received values: one detection pass's work."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import Session

from .detection import check_capability, check_rules, window
from .drift_detection import check_drift


def detect(session: Session, new_rows: list) -> None:
    """Run the rule, EWMA/CUSUM and capability checks for every characteristic that received values."""
    by_characteristic: dict[int, set[int]] = defaultdict(set)
    for row in new_rows:
        by_characteristic[row.characteristic_id].add(row.id)
    for characteristic_id, ids in by_characteristic.items():
        rows = window(session, characteristic_id)
        check_rules(session, characteristic_id, rows, ids)
        check_drift(session, characteristic_id, rows, ids)
        check_capability(session, characteristic_id, rows)
