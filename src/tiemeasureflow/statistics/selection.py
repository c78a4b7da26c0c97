"""One characteristic's selection as every statistic starts from it: values, versions, limits."""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from ..kit.errors import NotFound
from . import queries
from .queries import SpecRow, TimeBounds
from .schemas import Selection, SpecLimits
from .scope import SUBTASK_NOT_FOUND, CharacteristicScope, StatisticsFilters, resolve_characteristic


class CharacteristicData:
    """One characteristic's selection: its values in time order, versions, and limits."""

    window: int | None

    def __init__(self, session: Session, filters: StatisticsFilters, scope: CharacteristicScope | None = None,
                 newest: int | None = None) -> None:
        self.scope: CharacteristicScope = scope or resolve_characteristic(session, filters)
        # Only the newest values when the answer needs no more; None: the whole selection.
        self.window = newest
        self.time_bounds: TimeBounds | None = None
        if newest is None:
            self.values, self.versions, self.ids = queries.series(session, self.scope)
        else:
            self.values, self.versions, self.ids, self.time_bounds = queries.newest_series(session, self.scope, newest)
        versions = self.versions
        self.version_ids = [int(v) for v in np.unique(versions)]
        spec = queries.spec_for(session, self.scope.characteristic_id, self.version_ids or _given(filters.version_id))
        spec = spec or queries.spec_for(session, self.scope.characteristic_id, None)
        if spec is None:  # the subtask that named the characteristic is one of its subtasks
            raise NotFound(SUBTASK_NOT_FOUND)
        self.spec: SpecRow = spec
        self.numbers = queries.version_numbers(session, self.version_ids)

    def spec_limits(self) -> SpecLimits:
        """The limits of the newest version in the selection."""
        s = self.spec
        return SpecLimits(subtask_id=s.subtask_id, characteristic_id=s.characteristic_id, version_id=s.version_id,
                          version_number=s.version_number, marker_number=s.marker_number, label=s.label,
                          description=s.description, unit=s.unit, nominal=s.nominal, lsl=s.ltl, usl=s.utl,
                          lwl=s.lwl, uwl=s.uwl)

    def selection(self) -> Selection:
        """What the answer was computed from."""
        return Selection(characteristic_id=self.scope.characteristic_id, n=len(self.values),
                         version_ids=self.version_ids, version_numbers=[self.numbers[v] for v in self.version_ids])


def _given(version_id: int | None) -> list[int] | None:
    return [version_id] if version_id is not None else None
