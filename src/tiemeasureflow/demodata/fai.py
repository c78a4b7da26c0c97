"""The demo's first article inspections: a complete signed FAI with a numbered nonconformance, an open partial one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..fai import content
from ..fai import service as fai_service
from ..fai.schemas import CharacteristicNote, FaiComplete, FaiCreate, Form2Entry
from ..fai.scope import ordered_subtasks
from ..identity.principal import Principal
from ..models import FirstArticle, Recipe, RecipeVersion, User
from ..runs import service as runs_service
from ..runs.recording import NewValue
from ..runs.schemas import RunStart
from .catalog import ACCOUNTS

FORM2 = (
    Form2Entry(material_or_process="Steel bar C45, cold drawn", specification="EN 10083-2", code="1.0503",
               supplier="Acciaierie Demo", customer_approval="Approved source list", certificate_number="3.1-2291"),
    Form2Entry(material_or_process="Zinc-nickel plating", specification="ISO 19598", code="Fe//ZnNi8//Cn//T2",
               supplier="Galvanica Demo", certificate_number="CoC-7781"),
)
COMPLETE_PART, PARTIAL_PART = "FLANGE-110", "SHAFT-042"
PARTIAL_SERIAL = "FA-SHAFT-042-01"
COMPLETE_SERIAL, COMPLETE_STATION, GAUGE = "FA-FLANGE-110-01", "ST-CMM-QA", "CAL-101"
# The first article's offsets from nominal, in tolerance widths: the thickness (balloon 3) comes out 0.012 mm long.
OFFSETS = (0.2, -0.3, 1.24, 0.1)


def build_fais(session: Session) -> int:
    """Both FAIs, made once through the FAI service (audited, signed); returns how many were made."""
    if session.scalar(select(FirstArticle.id).limit(1)) is not None:
        return 0
    metrologist = session.scalar(select(User).where(User.username == "metrologist"))
    password = next(a[1] for a in ACCOUNTS if a[0] == "metrologist")
    principal = Principal(None, metrologist, "127.0.0.1")
    flange = session.scalar(select(Recipe).where(Recipe.code == COMPLETE_PART))
    version = session.get(RecipeVersion, flange.current_version_id)
    fai = fai_service.open_fai(session, FaiCreate(
        recipe_id=flange.id, version_number=version.version_number, serial_number=COMPLETE_SERIAL,
        reason=f"New drawing revision {version.version_number}: {version.change_notes}",
        manufacturing_reference="WO-24-0117", po_number="PO-4500123"), principal)
    _measure_first_article(session, flange.id)
    for entry in FORM2:
        fai_service.add_form2(session, fai.id, entry, principal)
    forms = content.build(session, fai)
    for number, row in enumerate(r for r in forms.rows if r.verdict == "fail"):
        fai_service.set_note(session, fai.id, row.characteristic_id, CharacteristicNote(
            nc_number=f"NCR-24-{101 + number}", comment="Use as is, approved by MRB"), principal)
    fai_service.complete_fai(session, fai.id, FaiComplete(password=password, meaning="Verified"), principal)
    made = 1
    shaft = session.scalar(select(Recipe).where(Recipe.code == PARTIAL_PART))
    current = session.get(RecipeVersion, shaft.current_version_id)
    if current.version_number > 1:
        fai_service.open_fai(session, FaiCreate(
            recipe_id=shaft.id, version_number=current.version_number, serial_number=PARTIAL_SERIAL, kind="partial",
            reason=f"Drawing revision {current.version_number}: {current.change_notes}"), principal)
        made += 1
    return made


def _measure_first_article(session: Session, recipe_id: int) -> None:
    """The operator measures the first article at the CMM station, one value per balloon, with the caliper."""
    operator = Principal(None, session.scalar(select(User).where(User.username == "operator")), "127.0.0.1")
    run = runs_service.start_run(session, RunStart(recipe_id=recipe_id, serial_number=COMPLETE_SERIAL,
                                                   station_code=COMPLETE_STATION), operator)
    subtasks = [s for _, s in ordered_subtasks(session.get(RecipeVersion, run.version_id))]
    values = [NewValue(s.id, s.nominal + offset * (s.utl - s.nominal), "manual", None, False, GAUGE)
              for s, offset in zip(subtasks, OFFSETS, strict=False)]
    runs_service.add_values(session, run.id, values, True, operator)
    runs_service.finish_run(session, run.id, False, operator)
