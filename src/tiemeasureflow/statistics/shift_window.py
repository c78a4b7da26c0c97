"""A shift as SQL: is a stored UTC time inside a local time-of-day window of the plant time zone?

The plant's UTC offset changes only at daylight-saving transitions, so the selection's time span
is cut into periods of one offset; inside each, the local time of day is the stored time shifted
by that offset, compared as "HH:MM:SS" text (the same on SQLite and PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import SQLColumnExpression, and_, func, or_, true
from sqlalchemy.sql import ColumnElement

# (from, to, offset seconds): a stretch of the time span in which the plant's UTC offset is constant.
Period = tuple[datetime | None, datetime | None, int]


@dataclass(frozen=True)
class ShiftWindow:
    """Local [starts, ends) of one shift, the plant zone, and the offset periods of the data's time span."""

    shift_id: int
    starts: str
    ends: str
    zone: str
    periods: tuple[Period, ...]

    @property
    def key(self) -> tuple[int, str, str, str]:
        """What the values of a selection depend on."""
        return (self.shift_id, self.starts, self.ends, self.zone)


def window(shift_id: int, starts: str, ends: str, zone: str, first: datetime | None,
           last: datetime | None) -> ShiftWindow:
    """The shift's window over the stored times from `first` to `last`."""
    return ShiftWindow(shift_id, starts, ends, zone, offset_periods(ZoneInfo(zone), first, last))


def offset_periods(zone: ZoneInfo, first: datetime | None, last: datetime | None
                   ) -> tuple[Period, ...]:
    """(from, to, offset seconds) pieces of constant offset; the first is open below, the last above."""
    if first is None or last is None:
        return ((None, None, 0),)
    periods: list[Period] = []
    start: datetime | None = None
    offset = _offset(zone, first)
    day = first
    while day < last:
        following = min(day + timedelta(days=1), last)
        if _offset(zone, following) != offset:
            change = _transition(zone, day, following, offset)
            periods.append((start, change, offset))
            start, offset = change, _offset(zone, change)
        day = following
    periods.append((start, None, offset))
    return tuple(periods)


def condition(column: SQLColumnExpression[datetime], dialect: str, shift: ShiftWindow) -> ColumnElement[bool]:
    """SQL: the stored UTC time `column` falls in the shift."""
    terms: list[ColumnElement[bool]] = []
    for start, end, offset in shift.periods:
        local = _local_time(column, dialect, offset)
        low, high = shift.starts + ":00", shift.ends + ":00"
        inside = and_(local >= low, local < high) if low < high else or_(local >= low, local < high)
        bounds = [column >= start] if start is not None else []
        bounds += [column < end] if end is not None else []
        terms.append(and_(*bounds, inside) if bounds else inside)
    return or_(*terms) if terms else true()


def local_time_of_day(moment: datetime, zone: str) -> str:
    """"HH:MM:SS" of a UTC time in the plant zone."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M:%S")


def in_window(time_of_day: str, starts: str, ends: str) -> bool:
    """Whether a local "HH:MM:SS" is inside [starts, ends) (crossing midnight when ends < starts)."""
    low, high = starts + ":00", ends + ":00"
    return low <= time_of_day < high if low < high else time_of_day >= low or time_of_day < high


def _local_time(column: SQLColumnExpression[datetime], dialect: str, offset: int) -> ColumnElement[str]:
    if dialect == "postgresql":
        return func.to_char(column + func.make_interval(0, 0, 0, 0, 0, 0, offset), "HH24:MI:SS")
    return func.strftime("%H:%M:%S", column, f"{offset:+d} seconds")


def _offset(zone: ZoneInfo, moment: datetime) -> int:
    offset = moment.astimezone(zone).utcoffset()
    # An aware time in a ZoneInfo always has an offset; None would mean a naive time slipped in.
    assert offset is not None
    return int(offset.total_seconds())


def _transition(zone: ZoneInfo, low: datetime, high: datetime, before: int) -> datetime:
    """The first second in (low, high] whose offset differs from `before`."""
    while (high - low) > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _offset(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0)
