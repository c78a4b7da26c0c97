"""Corrections keep the part's place: a corrected value stands where the value it corrects stood.

A correction is a new row recorded later, but it describes the same part as the value it
supersedes; charts order values by the time of the first value of each correction chain.
Corrections are few, so the ordered index read stays the common path and only a selection that
holds a correction is re-sorted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Measurement
from .scope import Scope, measurement_conditions
from .series_cache import Ids, Series, Values

CHUNK = 500


def in_place(session: Session, scope: Scope, values: Values, versions: Ids, ids: Ids,
             times: Callable[[], dict[int, datetime]] | None = None, since: datetime | None = None) -> Series:
    """The arrays re-ordered so that each correction sits at its chain's first value's place.

    `times` gives measured_at by id of the arrays when the caller read them already; otherwise the
    selection's are read. `since`: the oldest measured_at of the arrays, when they are the newest
    values only; a correction is recorded after the value it corrects, so only corrections from
    then on can be among them (their chains are followed further back by id).
    """
    if len(ids) == 0:
        return values, versions, ids
    links = _links(session, scope, since)
    corrected = [int(i) for i in ids if int(i) in links] if links else []
    if not corrected:
        return values, versions, ids
    if since is not None:
        _follow_back(session, links)
    roots = {c: _root(c, links) for c in corrected}
    moments = _times(session, scope, set(roots.values()), times)
    keys = [(moments[roots.get(int(i), int(i))], roots.get(int(i), int(i))) for i in ids]
    order: npt.NDArray[np.int64] = np.array(sorted(range(len(ids)), key=keys.__getitem__), dtype=np.int64)
    return values[order], versions[order], ids[order]


def _links(session: Session, scope: Scope, since: datetime | None = None) -> dict[int, int]:
    """{correction id: the id it supersedes} up to the scope's snapshot (recorded since `since` when given)."""
    stmt = select(Measurement.id, Measurement.supersedes_id).where(
        Measurement.supersedes_id.is_not(None), Measurement.id <= scope.max_id)
    if scope.characteristic_id is not None:
        stmt = stmt.where(Measurement.characteristic_id == scope.characteristic_id)
    if since is not None:
        stmt = stmt.where(Measurement.measured_at >= since)
    return {correction: supersedes for correction, supersedes in session.execute(stmt).tuples()
            if supersedes is not None}


def _follow_back(session: Session, links: dict[int, int]) -> None:
    """Add the links of superseded values that are corrections themselves, recorded before `since`."""
    ends = set(links.values()) - links.keys()
    while ends:
        found = {correction: supersedes for correction, supersedes in session.execute(
            select(Measurement.id, Measurement.supersedes_id).where(
                Measurement.id.in_(sorted(ends)), Measurement.supersedes_id.is_not(None))).tuples()
            if supersedes is not None}
        links.update(found)
        ends = set(found.values()) - links.keys()


def _root(measurement_id: int, links: dict[int, int]) -> int:
    while measurement_id in links:
        measurement_id = links[measurement_id]
    return measurement_id


def _times(session: Session, scope: Scope, roots: set[int],
           known: Callable[[], dict[int, datetime]] | None) -> dict[int, datetime]:
    """measured_at of the selection's values and of the chains' first values."""
    found = known() if known is not None else dict(session.execute(
        select(Measurement.id, Measurement.measured_at).where(*measurement_conditions(scope))).tuples().all())
    missing = sorted(roots - found.keys())
    for start in range(0, len(missing), CHUNK):
        found.update(session.execute(select(Measurement.id, Measurement.measured_at)
                                     .where(Measurement.id.in_(missing[start:start + CHUNK]))).tuples().all())
    return found
