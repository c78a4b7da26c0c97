"""HardPy measurements as characteristics of a part number: which there are, and one's values in time order.

A characteristic is a numeric measurement of a case, named `module::case::name` (an unnamed
measurement by its place in the case: `module::case::#2`), across every uploaded run of the part number.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVarTuple

import numpy as np
from sqlalchemy import ColumnElement, Select, SQLColumnExpression, and_, case, func, select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from ..kit.errors import NotFound, Unprocessable
from ..models import HardpyCase, HardpyMeasurement, HardpyReport, Run
from .hardpy_schemas import HardpyCharacteristic

SEPARATOR = "::"
NOT_FOUND = "No numeric HardPy measurement with this key for this part number"
# An unnamed measurement is told apart by its place in the case; a named one by its name alone.
_PLACE = case((HardpyMeasurement.name.is_(None), HardpyMeasurement.position), else_=-1)
_WHEN = func.coalesce(HardpyCase.start_time, Run.started_at)
Columns = TypeVarTuple("Columns")


@dataclass(frozen=True)
class Key:
    """A measurement's address inside a test plan."""

    module_id: str
    case_id: str
    name: str | None
    position: int | None

    @classmethod
    def parse(cls, text: str) -> Key:
        """`module::case::name`, or `module::case::#n` for the unnamed measurement at place n."""
        parts = text.split(SEPARATOR, 2)
        if len(parts) != 3 or not parts[0] or not parts[1] or not parts[2]:
            raise Unprocessable("measurement is module::case::name (module::case::#n for an unnamed one)")
        last = parts[2]
        if last.startswith("#") and last[1:].isdigit():
            return cls(parts[0], parts[1], None, int(last[1:]))
        return cls(parts[0], parts[1], last, None)

    def text(self) -> str:
        """The key as the routes take it."""
        last = self.name if self.name is not None else f"#{self.position}"
        return SEPARATOR.join((self.module_id, self.case_id, last))

    def conditions(self) -> list[ColumnElement[bool]]:
        """SQL conditions selecting this measurement's rows."""
        found = [HardpyCase.module_id == self.module_id, HardpyCase.case_id == self.case_id]
        if self.name is not None:
            return [*found, HardpyMeasurement.name == self.name]
        return [*found, HardpyMeasurement.name.is_(None), HardpyMeasurement.position == self.position]


@dataclass(frozen=True)
class Filters:
    """Which runs of the part number count."""

    part_number: str
    date_from: datetime | None = None
    date_to: datetime | None = None
    serial_number: str | None = None
    lot_number: str | None = None
    stand_name: str | None = None


@dataclass(frozen=True)
class Value:
    """One value with what a chart point shows."""

    id: int
    value: float
    at: datetime
    run_id: uuid.UUID
    serial_number: str | None
    lot_number: str | None
    stand_name: str | None
    unit: str | None
    lsl: float | None
    usl: float | None
    operation: str | None
    comparison: float | None
    result: bool | None


def _numeric(statement: Select[*Columns], filters: Filters | None) -> Select[*Columns]:
    """The numeric HardPy values among the statement's rows, of the runs the filters count (None: every run)."""
    statement = statement.join(HardpyCase, HardpyCase.id == HardpyMeasurement.case_id) \
        .join(Run, Run.id == HardpyCase.run_id) \
        .where(Run.source == "hardpy", HardpyMeasurement.kind == "numeric", HardpyMeasurement.value_number.is_not(None))
    if filters is None:
        return statement
    statement = statement.where(Run.part_number == filters.part_number)
    if filters.date_from is not None:
        statement = statement.where(_WHEN >= filters.date_from)
    if filters.date_to is not None:
        statement = statement.where(_WHEN <= filters.date_to)
    if filters.serial_number is not None:
        statement = statement.where(Run.serial_number == filters.serial_number)
    if filters.lot_number is not None:
        statement = statement.where(Run.lot_number == filters.lot_number)
    if filters.stand_name is not None:
        statement = statement.join(HardpyReport, HardpyReport.run_id == Run.id) \
            .where(HardpyReport.stand_name == filters.stand_name)
    return statement


def characteristics(session: Session, part_number: str | None) -> list[HardpyCharacteristic]:
    """Every numeric measurement of the part number's runs (of every part number when None), with its newest limits."""
    groups = _numeric(select(
        Run.part_number, HardpyCase.module_id, HardpyCase.case_id, HardpyMeasurement.name, _PLACE.label("place"),
        func.count().label("n"), func.count(func.distinct(Run.id)).label("runs"),
        func.max(HardpyMeasurement.id).label("newest"),
    ), Filters(part_number) if part_number is not None else None).group_by(
        Run.part_number, HardpyCase.module_id, HardpyCase.case_id, HardpyMeasurement.name, _PLACE)
    rows = session.execute(groups).all()
    newest = {m.id: (m, c) for m, c in session.execute(
        select(HardpyMeasurement, HardpyCase).join(HardpyCase, HardpyCase.id == HardpyMeasurement.case_id)
        .where(HardpyMeasurement.id.in_([r.newest for r in rows])))} if rows else {}
    found = []
    for r in rows:
        m, c = newest[r.newest]
        key = Key(r.module_id, r.case_id, r.name, None if r.name is not None else r.place)
        lsl, usl = spec_limits(m.lower_limit, m.upper_limit, m.operation, m.comparison_number)
        found.append(HardpyCharacteristic(
            part_number=r.part_number, key=key.text(), module_id=r.module_id, module_name=c.module_name,
            case_id=r.case_id, case_name=c.name, name=r.name, position=key.position, unit=m.unit,
            operation=m.operation, lsl=lsl, usl=usl, count=r.n, runs=r.runs))
    return sorted(found, key=lambda f: (f.part_number, f.module_id, f.case_id, f.name or "", f.position or 0))


class Series:
    """One HardPy characteristic's values in time order, with the details of each."""

    def __init__(self, session: Session, filters: Filters, key: Key) -> None:
        self.filters, self.key = filters, key
        statement = _numeric(select(*_columns()), filters).where(and_(*key.conditions())) \
            .order_by(_WHEN, Run.id, HardpyCase.position, HardpyMeasurement.position)
        rows = [r for r in session.execute(statement).all() if math.isfinite(r.value_number)]
        stands = dict(session.execute(select(HardpyReport.run_id, HardpyReport.stand_name)
                                      .where(HardpyReport.run_id.in_({r.run_id for r in rows}))).all()) if rows else {}
        self.details = [_value(r, stands.get(r.run_id)) for r in rows]
        self.values = np.array([v.value for v in self.details], dtype=float)
        self.runs = len({v.run_id for v in self.details})
        last = rows[-1] if rows else session.execute(
            _numeric(select(*_columns()), Filters(filters.part_number)).where(and_(*key.conditions()))
            .order_by(HardpyMeasurement.id.desc()).limit(1)).first()
        if last is None:
            raise NotFound(NOT_FOUND)
        # The newest value's unit and limits describe the characteristic, as a recipe's newest version does.
        self.newest = _value(last, None)
        self.names = (last.module_name, last.case_name)


def _columns() -> tuple[SQLColumnExpression[Any], ...]:
    return (HardpyMeasurement.id, HardpyMeasurement.value_number, _WHEN.label("at"), Run.id.label("run_id"),
            Run.serial_number, Run.lot_number, HardpyMeasurement.unit, HardpyMeasurement.lower_limit,
            HardpyMeasurement.upper_limit, HardpyMeasurement.operation, HardpyMeasurement.comparison_number,
            HardpyMeasurement.result, HardpyCase.module_name, HardpyCase.name.label("case_name"))


def spec_limits(lower: float | None, upper: float | None, operation: str | None,
                comparison: float | None) -> tuple[float | None, float | None]:
    """LSL and USL: the lower and upper limits, or a one-sided comparison's value (ge/gt: lower, le/lt: upper)."""
    if lower is None and operation in ("ge", "gt"):
        lower = comparison
    if upper is None and operation in ("le", "lt"):
        upper = comparison
    return lower, upper


def _value(r: Row[*tuple[Any, ...]], stand_name: str | None) -> Value:
    lsl, usl = spec_limits(r.lower_limit, r.upper_limit, r.operation, r.comparison_number)
    return Value(r.id, float(r.value_number), r.at, r.run_id, r.serial_number, r.lot_number, stand_name, r.unit,
                 lsl, usl, r.operation, r.comparison_number, r.result)
