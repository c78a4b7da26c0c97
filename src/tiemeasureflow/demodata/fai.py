"""The demo's first article inspections: a complete signed FAI with a numbered nonconformance, an open partial one.

Made through the FAI and run services, with values, ids and times derived from the seed and the
history's last day, so a seed gives the same FAIs in any fresh database.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..fai import content
from ..fai import service as fai_service
from ..fai.schemas import CharacteristicNote, FaiComplete, FaiCreate, Form2Entry
from ..fai.scope import ordered_subtasks
from ..identity.principal import Principal
from ..models import FirstArticle, Recipe, RecipeVersion, User
from ..models.base import clock_at
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
# The first article's offsets from nominal, in half tolerances: the thickness (balloon 3) comes out
# about 0.012 mm long; the seed moves each by at most JITTER, never across a limit.
OFFSETS = (0.2, -0.3, 1.24, 0.1)
JITTER = 0.04
# On the history's last day (hours after its midnight, UTC): opened, measured, signed; the partial one.
OPENED_H, MEASURED_H, SIGNED_H, PARTIAL_H = 7.0, 7.5, 11.0, 13.0
VALUE_EVERY_S = 40


def build_fais(session: Session, end: datetime, seed: int) -> int:
    """Both FAIs, made once through the FAI service (audited, signed) on the day before `end`; returns how many."""
    if session.scalar(select(FirstArticle.id).limit(1)) is not None:
        return 0
    rng = random.Random(f"first-article-{seed}")
    day = end - timedelta(days=1)

    def at(hours: float) -> datetime:
        return day + timedelta(hours=hours, seconds=rng.randrange(15 * 60))

    with clock_at(at(OPENED_H)):
        fai = _open_complete(session)
    _measure_first_article(session, fai.recipe_id, at(MEASURED_H), rng)
    with clock_at(at(SIGNED_H)):
        _sign(session, fai)
    with clock_at(at(PARTIAL_H)):
        return 1 + _open_partial(session)


def _metrologist(session: Session) -> Principal:
    return Principal(None, session.scalar(select(User).where(User.username == "metrologist")), "127.0.0.1")


def _open_complete(session: Session) -> FirstArticle:
    """The full FAI of the flange's new drawing revision, with its Form 2 entries."""
    principal = _metrologist(session)
    flange = session.scalar(select(Recipe).where(Recipe.code == COMPLETE_PART))
    version = session.get(RecipeVersion, flange.current_version_id)
    fai = fai_service.open_fai(session, FaiCreate(
        recipe_id=flange.id, version_number=version.version_number, serial_number=COMPLETE_SERIAL,
        reason=f"New drawing revision {version.version_number}: {version.change_notes}",
        manufacturing_reference="WO-24-0117", po_number="PO-4500123"), principal)
    for entry in FORM2:
        fai_service.add_form2(session, fai.id, entry, principal)
    return fai


def _sign(session: Session, fai: FirstArticle) -> None:
    """Number the nonconforming characteristics, then sign the FAI complete."""
    principal = _metrologist(session)
    password = next(a[1] for a in ACCOUNTS if a[0] == "metrologist")
    forms = content.build(session, fai)
    for number, row in enumerate(r for r in forms.rows if r.verdict == "fail"):
        fai_service.set_note(session, fai.id, row.characteristic_id, CharacteristicNote(
            nc_number=f"NCR-24-{101 + number}", comment="Use as is, approved by MRB"), principal)
    fai_service.complete_fai(session, fai.id, FaiComplete(password=password, meaning="Verified"), principal)


def _open_partial(session: Session) -> int:
    """The partial FAI of the shaft's latest revision, still open; 1 when made."""
    principal = _metrologist(session)
    shaft = session.scalar(select(Recipe).where(Recipe.code == PARTIAL_PART))
    current = session.get(RecipeVersion, shaft.current_version_id)
    if current.version_number > 1:
        fai_service.open_fai(session, FaiCreate(
            recipe_id=shaft.id, version_number=current.version_number, serial_number=PARTIAL_SERIAL, kind="partial",
            reason=f"Drawing revision {current.version_number}: {current.change_notes}"), principal)
        return 1
    return 0


def _measure_first_article(session: Session, recipe_id: int, start: datetime, rng: random.Random) -> None:
    """The operator measures the first article at the CMM station, one value per balloon, with the caliper."""
    operator = Principal(None, session.scalar(select(User).where(User.username == "operator")), "127.0.0.1")
    run_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    with clock_at(start):
        run = runs_service.start_run(session, RunStart(recipe_id=recipe_id, serial_number=COMPLETE_SERIAL,
                                                       station_code=COMPLETE_STATION), operator, run_id=run_id)
    subtasks = [s for _, s in ordered_subtasks(session.get(RecipeVersion, run.version_id))]
    for number, (sub, offset) in enumerate(zip(subtasks, OFFSETS, strict=False), start=1):
        moved = offset + rng.uniform(-JITTER, JITTER)
        reading = round(sub.nominal + moved * (sub.utl - sub.nominal), 3)  # the caliper's resolution
        value = NewValue(sub.id, reading, "manual", None, False, GAUGE)
        with clock_at(start + timedelta(seconds=number * VALUE_EVERY_S)):
            runs_service.add_values(session, run.id, [value], True, operator)
    with clock_at(start + timedelta(seconds=(len(subtasks) + 1) * VALUE_EVERY_S)):
        runs_service.finish_run(session, run.id, False, operator)
