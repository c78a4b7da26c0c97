"""One characteristic's selection as every statistic starts from it: values, versions, limits."""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from . import queries
from .schemas import Selection, SpecLimits
from .scope import Scope, StatisticsFilters, resolve


class CharacteristicData:
    """One characteristic's selection: its values in time order, versions, and limits."""

    window: int | None

    def __init__(self, session: Session, filters: StatisticsFilters, scope: Scope | None = None,
                 newest: int | None = None):
        self.scope: Scope = scope or resolve(session, filters, need_subtask=True)
        # Only the newest values when the answer needs no more; None: the whole selection.
        self.window = newest
        self.time_bounds: tuple | None = None
        if newest is None:
            self.values, self.versions, self.ids = queries.series(session, self.scope)
        else:
            self.values, self.versions, self.ids, self.time_bounds = queries.newest_series(session, self.scope, newest)
        versions = self.versions
        self.version_ids = [int(v) for v in np.unique(versions)]
        spec = queries.spec_for(session, self.scope.characteristic_id, self.version_ids or _given(filters.version_id))
        self.spec = spec or queries.spec_for(session, self.scope.characteristic_id, None)
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
