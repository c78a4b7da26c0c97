"""The import answer: what a file became, what was matched, what was left out and why."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class ImportedRecipe(BaseModel):
    """The recipe the file landed on."""

    id: int
    code: str
    created: bool


class ImportedVersion(BaseModel):
    """The version whose characteristics the values were judged against (a draft for a plan)."""

    id: int
    version_number: int
    status: str


class ImportedCharacteristics(BaseModel):
    """Balloon labels created for the file, and those matched to existing characteristics."""

    created: list[str]
    matched: list[str]


class ImportedRun(BaseModel):
    """One measured part as a finished run."""

    id: str
    serial_number: str
    lot_number: str | None
    status: str
    attempt: int
    values: int
    started_at: str


class Skipped(BaseModel):
    """Something of the file that was not stored, and why."""

    what: str
    reason: str


class Disagreement(BaseModel):
    """A value the file judged differently from TieMeasureFlow's rules (within/out of tolerance)."""

    serial_number: str
    label: str
    value: float
    file_status: str
    judgment: str


class ImportedPart(BaseModel):
    """One part of the file (a DFQ file may describe several): its recipe, version, characteristics and runs."""

    recipe: ImportedRecipe
    version: ImportedVersion
    characteristics: ImportedCharacteristics
    run_ids: list[str]
    measurements: int


class ImportResult(BaseModel):
    """The answer to an import; `duplicate` when the same file (QPId or content) was imported before."""

    import_id: int
    format: Literal["qif", "dfq"]
    kind: Literal["results", "plan"]
    filename: str | None
    duplicate: bool
    recipe: ImportedRecipe
    version: ImportedVersion
    characteristics: ImportedCharacteristics
    runs: list[ImportedRun]
    measurements: int
    skipped: list[Skipped]
    disagreements: list[Disagreement]
    parts: list[ImportedPart] = []  # every part of the file, the first being the one named above
