"""Payloads and responses of /api/fai."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from ..kit.schemas import ID_MAX, StrictInput
from ..kit.vocabulary import JUDGMENTS

MEANINGS = ("Verified", "Reviewed", "Approved")


def _whole_number(value):
    # JSON does not tell 3 from 3.0 and JSON Schema calls both integers; anything else stays strict.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Id = Annotated[int, Field(ge=1, le=ID_MAX), BeforeValidator(_whole_number)]
Short = Annotated[str, StringConstraints(max_length=255)]
Text = Annotated[str, StringConstraints(max_length=2_000)]


class FaiCreate(StrictInput):
    """Open an FAI: a recipe version (its number) and a part serial; partial covers what changed."""

    recipe_id: Id
    version_number: Id
    serial_number: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    kind: Literal["full", "partial"] = "full"
    reason: Text | None = Field(None, description="Why the FAI is done (required in practice for a partial one)")
    manufacturing_reference: Short | None = Field(None, description="Form 1 field 9: work order or traveller")
    po_number: Short | None = Field(None, description="Form 1 field 12")
    comments: Text | None = Field(None, description="Form 1 comments")


class FaiUpdate(StrictInput):
    """Change Form 1 fields of an open FAI."""

    reason: Text | None = None
    manufacturing_reference: Short | None = None
    po_number: Short | None = None
    comments: Text | None = None


class Form2Entry(StrictInput):
    """A Form 2 row (fields 5-13): material, special process or functional test; every field may be blank."""

    material_or_process: Short | None = None
    specification: Short | None = None
    code: Annotated[str, StringConstraints(max_length=100)] | None = None
    supplier: Short | None = None
    customer_approval: Short | None = None
    certificate_number: Short | None = None
    functional_test: Short | None = None
    acceptance_report: Short | None = None
    comments: Text | None = None


class CharacteristicNote(StrictInput):
    """Form 3 fields 11 and 12 of one characteristic; null clears."""

    nc_number: Annotated[str, StringConstraints(max_length=100)] | None = None
    comment: Text | None = None


class FaiComplete(StrictInput):
    """Complete an FAI with an electronic signature: the signer's password and what the signature means."""

    password: Annotated[str, StringConstraints(min_length=1, max_length=1_000)]
    meaning: Literal[MEANINGS] = Field(description="What the signature means")  # type: ignore[valid-type]


class Form2Row(BaseModel):
    """A stored Form 2 row (blank fields as empty text)."""

    id: int
    material_or_process: str
    specification: str
    code: str
    supplier: str
    customer_approval: str
    certificate_number: str
    functional_test: str
    acceptance_report: str
    comments: str


class Form3Row(BaseModel):
    """One Form 3 row: fields 5-12 and the accepted value behind them."""

    characteristic_id: int
    subtask_id: int
    number: str = Field(description="Field 5: the balloon label")
    location: str = Field(description="Field 6: task, sheet and drawing zone")
    designator: str = Field(description="Field 7: the class as the customer's designator")
    requirement: str = Field(description="Field 8: nominal and tolerance as on the drawing")
    results: str = Field(description="Field 9: the accepted value with its unit")
    tooling: str = Field(description="Field 10: the gauge (asset tag and name)")
    nc_number: str = Field(description="Field 11: filled only on nonconforming rows")
    comment: str = Field(description="Field 12")
    description: str | None
    unit: str
    value: float | None
    verdict: Literal[JUDGMENTS] | None  # type: ignore[valid-type] = Field(description="null: no result yet")
    run_id: uuid.UUID | None


class Signature(BaseModel):
    """The completing electronic signature."""

    name: str
    user_id: int | None
    signed_at: datetime
    meaning: str
    content_sha256: str


class LinkedRun(BaseModel):
    """A run the FAI rests on."""

    id: uuid.UUID
    status: str
    started_at: datetime
    attempt: int


class FaiSummary(BaseModel):
    """An FAI in a list."""

    id: int
    report_number: str
    recipe_id: int
    part_number: str
    part_name: str
    version_number: int
    serial_number: str
    kind: str
    status: Literal["open", "complete"]
    created_at: datetime
    signed_at: datetime | None


class FaiDetail(FaiSummary):
    """An FAI with its forms' content and what still keeps it open."""

    reason: str | None
    baseline_version_number: int | None
    manufacturing_reference: str | None
    po_number: str | None
    comments: str | None
    organisation: str
    characteristics: list[Form3Row]
    form2: list[Form2Row]
    runs: list[LinkedRun]
    missing: list[str] = Field(description="Labels in scope without an accepted result")
    unnumbered: list[str] = Field(description="Nonconforming labels without a nonconformance number")
    signature: Signature | None
