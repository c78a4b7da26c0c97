"""How many of a characteristic's newest values a control chart reads.

A chart shows the newest `limit` points; reading a long history only to draw its end costs seconds
cold. Without a date range the chart reads the newest values only: with frozen limits the shown
points and the rules' look-back, otherwise at least LIMITS_WINDOW_VALUES to compute the limits from.
A date range reads the whole range, as before.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import limits
from .scope import CharacteristicScope

# Computed limits come from at most this many newest values (when the points shown need fewer).
LIMITS_WINDOW_VALUES = 10_000
# Points before the first one shown that the run rules may look back on (a rule's K is at most 50).
RULE_HISTORY = 50


def values_needed(session: Session, scope: CharacteristicScope, chart: str, size: int, limit: int) -> int | None:
    """The newest values the chart needs, or None for the whole selection (a date range was given)."""
    f = scope.filters
    if f.date_from is not None or f.date_to is not None:
        return None
    shown = (limit + RULE_HISTORY) * size
    if limits.active_for_characteristic(session, scope.characteristic_id, chart, size) is not None:
        return shown
    return max(shown, -(-LIMITS_WINDOW_VALUES // size) * size)
