"""The first article inspections of a device, for its history."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import FirstArticle, RecipeVersion


def fais_of(session: Session, recipe_ids: list[int], serial_number: str) -> list[dict]:
    """The FAIs opened for this serial on any of these recipes, in opening order."""
    if not recipe_ids:
        return []
    rows = session.execute(
        select(FirstArticle.id, FirstArticle.report_number, FirstArticle.recipe_id, RecipeVersion.version_number,
               FirstArticle.kind, FirstArticle.status, FirstArticle.created_at, FirstArticle.signed_at)
        .join(RecipeVersion, RecipeVersion.id == FirstArticle.version_id)
        .where(FirstArticle.recipe_id.in_(recipe_ids), FirstArticle.serial_number == serial_number)
        .order_by(FirstArticle.id)).all()
    return [{"id": r.id, "report_number": r.report_number, "recipe_id": r.recipe_id,
             "version_number": r.version_number, "kind": r.kind, "status": r.status,
             "opened_at": r.created_at.isoformat().replace("+00:00", "Z"),
             "signed_at": r.signed_at.isoformat().replace("+00:00", "Z") if r.signed_at else None,
             "report_url": f"/api/fai/{r.id}/report.pdf"} for r in rows]
