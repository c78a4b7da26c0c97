"""The neutral form every reader produces and the importer stores: no XML, no K-fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

RESULTS, PLAN = "results", "plan"


class FormatError(ValueError):
    """The file is not a readable document of its format (the reason is the message)."""


@dataclass
class CharacteristicSpec:
    """One characteristic as the file defines it; `label` is unique within the document."""

    label: str
    measurement_type: str
    unit: str
    nominal: float | None = None
    ltl: float | None = None
    utl: float | None = None
    description: str | None = None


@dataclass
class Reading:
    """One measured value of one characteristic; `status` is the file's own verdict (pass/fail/None)."""

    label: str
    value: float
    status: str | None = None


@dataclass
class PartResult:
    """The values of one measured part: it becomes one run."""

    serial: str
    lot: str | None = None
    measured_at: datetime | None = None
    operator: str | None = None
    gauge: str | None = None
    readings: list[Reading] = field(default_factory=list)


@dataclass
class Document:
    """A parsed file: which part it is about, its characteristics and (for results) the measured parts."""

    format: str
    kind: str  # results | plan
    identity: str | None  # the document's own id (QIF QPId), when it has one
    part_number: str | None
    part_name: str | None
    characteristics: list[CharacteristicSpec]
    parts: list[PartResult] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # what the reader left out, and why
    more: list[Document] = field(default_factory=list)  # the further parts of a multi-part file, each its own recipe
