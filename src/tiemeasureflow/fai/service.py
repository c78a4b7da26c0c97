"""FAI rules: open (full or partial), edit while open, Form 2 entries, notes, completion with a signature."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..auth.passwords import verify_password
from ..identity.principal import Principal
from ..kit.db import get_or_404
from ..kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from ..kit.schemas import paginate
from ..models import FaiCharacteristicNote, FaiForm2Row, FaiRun, FirstArticle, Recipe, RecipeVersion, utcnow
from ..recipes.versioning import RELEASED
from . import content, scope
from .schemas import CharacteristicNote, FaiComplete, FaiCreate, FaiUpdate, Form2Entry


def get_fai(session: Session, fai_id: int) -> FirstArticle:
    """One FAI, or 404."""
    fai = get_or_404(session, FirstArticle, fai_id, "FAI not found")
    return fai


def _open_fai(session: Session, fai_id: int) -> FirstArticle:
    fai = session.get(FirstArticle, fai_id, with_for_update=True)
    if fai is None:
        raise NotFound("FAI not found")
    if fai.status != "open":
        raise Conflict("The FAI is complete and signed; it no longer changes")
    return fai


def open_fai(session: Session, data: FaiCreate, principal: Principal) -> FirstArticle:
    """Open an FAI of a released version for one serial; a partial one covers what changed since the baseline."""
    recipe = get_or_404(session, Recipe, data.recipe_id, "Recipe not found")
    version = session.scalar(select(RecipeVersion).where(RecipeVersion.recipe_id == recipe.id,
                                                         RecipeVersion.version_number == data.version_number))
    if version is None:
        raise NotFound("Version not found")
    if version.status != RELEASED:
        raise Conflict(f"Version {version.version_number} is a draft: an FAI inspects a released version")
    baseline = None
    if data.kind == "partial":
        baseline, covered = scope.partial_scope(session, version)
    else:
        covered = [s.characteristic_id for _, s in scope.ordered_subtasks(version)]
        if not covered:
            raise Conflict(f"Version {version.version_number} has no characteristic to inspect")
    fai = FirstArticle(report_number=f"pending-{uuid.uuid4().hex}", recipe_id=recipe.id, version_id=version.id,
                       serial_number=data.serial_number, kind=data.kind, reason=data.reason,
                       baseline_version_id=baseline.id if baseline else None, scope_json=covered,
                       manufacturing_reference=data.manufacturing_reference, po_number=data.po_number,
                       comments=data.comments, status="open", created_by=principal.user_id)
    session.add(fai)
    session.flush()
    # The report number is the record's own: unique without a counter of its own.
    fai.report_number = f"FAI-{fai.id:05d}"
    session.flush()
    record(session, principal.actor, "create", "fai", fai.id, new={
        "report_number": fai.report_number, "recipe_id": recipe.id, "version_number": version.version_number,
        "serial_number": fai.serial_number, "kind": fai.kind, "reason": fai.reason, "scope": covered})
    return fai


def list_fais(session: Session, recipe_id: int | None, serial_number: str | None, status: str | None,
              page: int, per_page: int) -> tuple[list[FirstArticle], int, int]:
    """FAIs, newest first, by recipe, serial and status."""
    stmt = select(FirstArticle)
    if recipe_id is not None:
        stmt = stmt.where(FirstArticle.recipe_id == recipe_id)
    if serial_number is not None:
        stmt = stmt.where(FirstArticle.serial_number == serial_number)
    if status is not None:
        stmt = stmt.where(FirstArticle.status == status)
    return paginate(session, stmt.order_by(FirstArticle.created_at.desc(), FirstArticle.id.desc()), page, per_page)


def update_fai(session: Session, fai_id: int, data: FaiUpdate, principal: Principal) -> FirstArticle:
    """Change Form 1 fields of an open FAI."""
    fai = _open_fai(session, fai_id)
    changes = {k: v for k, v in data.model_dump(exclude_unset=True).items() if getattr(fai, k) != v}
    if changes:
        old = {k: getattr(fai, k) for k in changes}
        for key, value in changes.items():
            setattr(fai, key, value)
        session.flush()
        record(session, principal.actor, "update", "fai", fai.id, old=old, new=changes)
    return fai


def add_form2(session: Session, fai_id: int, data: Form2Entry, principal: Principal) -> FaiForm2Row:
    """Add a Form 2 row (blank fields allowed)."""
    fai = _open_fai(session, fai_id)
    count = session.scalar(select(func.count()).select_from(FaiForm2Row).where(FaiForm2Row.fai_id == fai.id))
    if count >= 200:
        raise Conflict("An FAI holds at most 200 Form 2 rows")
    row = FaiForm2Row(fai_id=fai.id, **data.model_dump())
    session.add(row)
    session.flush()
    record(session, principal.actor, "create", "fai_form2_row", row.id, new={"fai_id": fai.id, **data.model_dump()})
    session.expire(fai, ["form2_rows"])
    return row


def _form2_row(session: Session, fai: FirstArticle, row_id: int) -> FaiForm2Row:
    row = session.get(FaiForm2Row, row_id)
    if row is None or row.fai_id != fai.id:
        raise NotFound("Form 2 row not found")
    return row


def update_form2(session: Session, fai_id: int, row_id: int, data: Form2Entry, principal: Principal) -> None:
    """Replace a Form 2 row's fields."""
    fai = _open_fai(session, fai_id)
    row = _form2_row(session, fai, row_id)
    new = data.model_dump()
    old = {k: getattr(row, k) for k in new}
    if old != new:
        for key, value in new.items():
            setattr(row, key, value)
        session.flush()
        record(session, principal.actor, "update", "fai_form2_row", row.id, old=old, new=new)


def delete_form2(session: Session, fai_id: int, row_id: int, principal: Principal) -> None:
    """Remove a Form 2 row."""
    fai = _open_fai(session, fai_id)
    row = _form2_row(session, fai, row_id)
    old = {k: getattr(row, k) for k in content.FORM2_FIELDS}
    session.delete(row)
    session.flush()
    session.expire(fai, ["form2_rows"])
    record(session, principal.actor, "delete", "fai_form2_row", row_id, old={"fai_id": fai.id, **old})


def set_note(session: Session, fai_id: int, characteristic_id: int, data: CharacteristicNote,
             principal: Principal) -> None:
    """Set a characteristic's nonconformance number and comment (Form 3 fields 11 and 12)."""
    fai = _open_fai(session, fai_id)
    if characteristic_id not in fai.scope_json:
        raise NotFound("Characteristic is not in this FAI's scope")
    note = session.scalar(select(FaiCharacteristicNote).where(FaiCharacteristicNote.fai_id == fai.id,
                                                              FaiCharacteristicNote.characteristic_id == characteristic_id))
    new = data.model_dump(exclude_unset=True)
    if note is None:
        note = FaiCharacteristicNote(fai_id=fai.id, characteristic_id=characteristic_id)
        session.add(note)
    old = {k: getattr(note, k) for k in new}
    changed = {k: v for k, v in new.items() if old[k] != v}
    for key, value in changed.items():
        setattr(note, key, value)
    session.flush()
    session.expire(fai, ["notes"])
    if changed:
        record(session, principal.actor, "update", "fai_characteristic", f"{fai.id}:{characteristic_id}",
               old={k: old[k] for k in changed}, new=changed)


def complete_fai(session: Session, fai_id: int, data: FaiComplete, principal: Principal) -> FirstArticle:
    """Complete an FAI: every characteristic has an accepted result, nonconforming ones are numbered; signed."""
    fai = _open_fai(session, fai_id)
    user = principal.user
    if user is None:
        raise Forbidden("An FAI is signed by a person: use a user's key")
    forms = content.build(session, fai)
    if forms.missing:
        raise Conflict(f"No accepted result yet for characteristic {', '.join(forms.missing)}")
    if forms.unnumbered:
        raise Conflict(f"Nonconforming characteristic {', '.join(forms.unnumbered)} needs a nonconformance number")
    if not verify_password(user.password_hash, data.password):
        raise Unprocessable("Password does not match: the FAI is not signed")
    for run in forms.runs:
        session.add(FaiRun(fai_id=fai.id, run_id=uuid.UUID(run["id"])))
    fai.status = "complete"
    fai.signed_by, fai.signed_by_name = user.id, user.display_name
    fai.signed_at, fai.signature_meaning = utcnow(), data.meaning
    fai.content_sha256 = forms.digest()
    session.flush()
    session.expire(fai, ["runs"])
    record(session, principal.actor, "complete", "fai", fai.id, new={
        "report_number": fai.report_number, "signed_by": user.id, "signed_by_name": user.display_name,
        "meaning": data.meaning, "signed_at": fai.signed_at.isoformat(), "content_sha256": fai.content_sha256,
        "runs": [run["id"] for run in forms.runs]})
    return fai


def detail(session: Session, fai: FirstArticle) -> dict[str, Any]:
    """The FAI with its forms' content, as the API answers it."""
    forms = content.build(session, fai)
    return {**summary(session, fai, forms), "reason": fai.reason, "manufacturing_reference": fai.manufacturing_reference,
            "po_number": fai.po_number, "comments": fai.comments, "organisation": forms.organisation,
            "baseline_version_number": int(forms.baseline_revision) if forms.baseline_revision else None,
            "characteristics": [vars(r) for r in forms.rows], "form2": forms.form2,
            "runs": forms.runs,
            "missing": forms.missing, "unnumbered": forms.unnumbered,
            "signature": None if fai.signed_at is None else {
                "name": fai.signed_by_name, "user_id": fai.signed_by, "signed_at": fai.signed_at,
                "meaning": fai.signature_meaning, "content_sha256": fai.content_sha256}}


def summary(session: Session, fai: FirstArticle, forms: content.FaiContent | None = None) -> dict[str, Any]:
    """The FAI as a list shows it."""
    version = session.get(RecipeVersion, fai.version_id)
    recipe = session.get(Recipe, fai.recipe_id)
    return {"id": fai.id, "report_number": fai.report_number, "recipe_id": fai.recipe_id, "part_number": recipe.code,
            "part_name": version.name, "version_number": version.version_number, "serial_number": fai.serial_number,
            "kind": fai.kind, "status": fai.status, "created_at": fai.created_at, "signed_at": fai.signed_at}
