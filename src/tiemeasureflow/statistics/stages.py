"""Stages: stretches of a selection with one set of tolerances, each judged against its own limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from .. import spc
from . import queries
from .convert import finite
from .schemas import Stage

if TYPE_CHECKING:
    from .selection import CharacteristicData


class Tolerances(Protocol):
    """What a stage is judged against: a version's subtask, or HardPy's limits."""

    @property
    def ltl(self) -> float | None:
        """Lower tolerance limit."""
        ...

    @property
    def utl(self) -> float | None:
        """Upper tolerance limit."""
        ...

    @property
    def nominal(self) -> float | None:
        """Nominal value."""
        ...


# The tolerances of a stage as one comparable key: (lower, upper, nominal).
ToleranceKey = tuple[float | None, float | None, float | None]


@dataclass(frozen=True)
class Span:
    """Points [first, stop) of a chart (values [first*size, stop*size)) sharing one version's tolerances."""

    first: int
    stop: int
    spec: Tolerances | None
    version_ids: tuple[int, ...]


def spans(session: Session, data: CharacteristicData, size: int, points: int) -> list[Span]:
    """Split `points` chart points where the tolerances change; a subgroup belongs to its last value's version."""
    if points == 0:
        return [Span(0, 0, data.spec, tuple(data.version_ids))]
    specs = queries.specs_by_version(session, data.scope.characteristic_id, data.version_ids)
    keys = {v: _tolerance(specs.get(v)) for v in data.version_ids}
    last_versions = data.versions[size - 1:points * size:size]
    point_keys = [keys[int(v)] for v in last_versions]
    found: list[Span] = []
    first = 0
    for i in range(1, points + 1):
        if i == points or point_keys[i] != point_keys[first]:
            in_span = np.unique(data.versions[first * size:i * size])
            newest = max((specs[int(v)] for v in in_span if int(v) in specs), key=lambda s: s.version_number,
                         default=data.spec)
            found.append(Span(first, i, newest, tuple(int(v) for v in in_span)))
            first = i
    return found


def capability_stage(index: int, span: Span, values: npt.NDArray[np.float64], size: int, estimator: str,
                     constants: str, numbers: dict[int, int], limits: spc.ChartLimits | None = None,
                     chart: bool = True) -> Stage:
    """A stage's limits and capability against its own tolerances."""
    spec = span.spec
    within = spc.sigma_within(values, size, estimator, constants)
    cap = spc.capability(values, spec.ltl if spec else None, spec.utl if spec else None,
                         spec.nominal if spec else None, within=within)
    limits = limits or spc.ChartLimits(None, None, None)
    return Stage(index=index, version_ids=list(span.version_ids),
                 version_numbers=[numbers.get(v, 0) for v in span.version_ids],
                 first_x=span.first if chart else None, last_x=span.stop - 1 if chart and span.stop else None,
                 n=len(values), lsl=spec.ltl if spec else None, usl=spec.utl if spec else None,
                 nominal=spec.nominal if spec else None, center_line=finite(limits.center), ucl=finite(limits.ucl),
                 lcl=finite(limits.lcl), cp=finite(cap.cp), cpk=finite(cap.cpk), pp=finite(cap.pp),
                 ppk=finite(cap.ppk))


def change_note(stages: list[Stage]) -> str | None:
    """A sentence naming the tolerance changes, or None when there is one stage."""
    if len(stages) < 2:
        return None
    parts = [f"version {'/'.join(map(str, s.version_numbers))}: {_fmt(s.lsl)}..{_fmt(s.usl)}" for s in stages]
    return "the tolerances change inside the selection (" + " -> ".join(parts) + "); each stage is judged " \
           "against its own limits"


def _tolerance(spec: queries.SpecRow | None) -> ToleranceKey:
    return (spec.ltl, spec.utl, spec.nominal) if spec else (None, None, None)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
