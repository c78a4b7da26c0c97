"""Corrections keep the part's place: a corrected value stands where the value it corrects stood.

A correction is a new row recorded later, but it describes the same part as the value it
supersedes; charts order values by the time of the first value of each correction chain.
Corrections are few, so the ordered index read stays the common path and only a selection that
holds a correction is re-sorted.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Measurement
from .scope import Scope, measurement_conditions
from .series_cache import Ids, Series, Values

CHUNK = 500


def in_place(session: Session, scope: Scope, values: Values, versions: Ids, ids: Ids) -> Series:
    """The arrays re-ordered so that each correction sits at its chain's first value's place."""
    if len(ids) == 0:
        return values, versions, ids
    links = _links(session, scope)
    corrected = [int(i) for i in ids if int(i) in links] if links else []
    if not corrected:
        return values, versions, ids
    roots = {c: _root(c, links) for c in corrected}
    times = _times(session, scope, set(roots.values()))
    keys = [(times[roots.get(int(i), int(i))], roots.get(int(i), int(i))) for i in ids]
    order: npt.NDArray[np.int64] = np.array(sorted(range(len(ids)), key=keys.__getitem__), dtype=np.int64)
    return values[order], versions[order], ids[order]


def _links(session: Session, scope: Scope) -> dict[int, int]:
    """{correction id: the id it supersedes} up to the scope's snapshot."""
    stmt = select(Measurement.id, Measurement.supersedes_id).where(
        Measurement.supersedes_id.is_not(None), Measurement.id <= scope.max_id)
    if scope.characteristic_id is not None:
        stmt = stmt.where(Measurement.characteristic_id == scope.characteristic_id)
    return {correction: supersedes for correction, supersedes in session.execute(stmt).tuples()
            if supersedes is not None}


def _root(measurement_id: int, links: dict[int, int]) -> int:
    while measurement_id in links:
        measurement_id = links[measurement_id]
    return measurement_id


def _times(session: Session, scope: Scope, roots: set[int]) -> dict[int, datetime]:
    """measured_at of the selection's values and of the chains' first values."""
    found = dict(session.execute(select(Measurement.id, Measurement.measured_at)
                                 .where(*measurement_conditions(scope))).all())
    missing = sorted(roots - found.keys())
    for start in range(0, len(missing), CHUNK):
        found.update(session.execute(select(Measurement.id, Measurement.measured_at)
                                     .where(Measurement.id.in_(missing[start:start + CHUNK]))).all())
    return found
