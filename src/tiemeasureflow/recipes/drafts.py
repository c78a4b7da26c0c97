"""Drafts and release: the next version is prepared beside production and made current with a signature.

After every edit, the version it landed in gets its balloon labels (1..N in task and balloon order)
and its automatic change summary (against the version before it) recomputed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.service import record
from ..auth.passwords import verify_password
from ..identity.principal import Principal
from ..kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from ..models import RecipeVersion, utcnow
from .diff import summary_lines, version_diff
from .schemas import ReleaseRequest
from .versioning import DRAFT, RELEASED, copy_version, lock_recipe, open_draft


def relabel(version: RecipeVersion) -> None:
    """Number the version's characteristics 1..N in task order, then balloon order."""
    position = 0
    for task in sorted(version.tasks, key=lambda t: (t.order_index, t.id or 0)):
        for subtask in sorted(task.subtasks, key=lambda s: (s.marker_number, s.id or 0)):
            position += 1
            subtask.label = str(position)


def previous_version(session: Session, version: RecipeVersion) -> RecipeVersion | None:
    """The version just before this one."""
    return session.scalar(select(RecipeVersion).where(RecipeVersion.recipe_id == version.recipe_id,
                                                      RecipeVersion.version_number == version.version_number - 1))


def after_edit(session: Session, version: RecipeVersion) -> None:
    """Labels and automatic change summary of the version an edit landed in."""
    session.flush()
    relabel(version)
    session.flush()
    session.expire(version, ["tasks"])
    before = previous_version(session, version)
    if before is not None:
        version.change_summary = "\n".join(summary_lines(version_diff(session, before, version))) or None
    session.flush()


def create_draft(session: Session, recipe_id: int, principal: Principal) -> RecipeVersion:
    """Open version N+1 as a draft (a copy of the current version); 409 when one is open already."""
    recipe = lock_recipe(session, recipe_id)
    if not recipe.active:
        raise Conflict("Recipe is inactive")
    existing = open_draft(session, recipe.id)
    if existing is not None:
        raise Conflict(f"Version {existing.version_number} is already an open draft")
    landing = copy_version(session, recipe, recipe.current_version, principal.actor, None, status=DRAFT)
    after_edit(session, landing.version)
    return landing.version


def release_version(session: Session, recipe_id: int, number: int, data: ReleaseRequest,
                    principal: Principal) -> RecipeVersion:
    """Make a draft current, signed by the caller (password re-entered) with the chosen meaning."""
    recipe = lock_recipe(session, recipe_id)
    version = session.scalar(select(RecipeVersion).where(RecipeVersion.recipe_id == recipe.id,
                                                         RecipeVersion.version_number == number))
    if version is None:
        raise NotFound("Version not found")
    if version.status != DRAFT:
        raise Conflict(f"Version {number} is not a draft; a released version never changes")
    if not recipe.active:
        raise Conflict("Recipe is inactive")
    user = principal.user
    if user is None:
        raise Forbidden("A release is signed by a person: use a user's key")
    if not verify_password(user.password_hash, data.password):
        raise Unprocessable("Password does not match: the release is not signed")
    after_edit(session, version)
    version.status = RELEASED
    version.change_notes = data.change_notes
    version.signed_by, version.signed_by_name = user.id, user.display_name
    version.signed_at, version.signature_meaning = utcnow(), data.meaning
    recipe.name, recipe.description = version.name, version.description
    recipe.current_version = version
    session.flush()
    record(session, principal.actor, "release", "recipe_version", version.id,
           new={"recipe_id": recipe.id, "version_number": number, "change_notes": data.change_notes,
                "signed_by": user.id, "signed_by_name": user.display_name, "meaning": data.meaning,
                "signed_at": version.signed_at.isoformat(), "change_summary": version.change_summary})
    return version
