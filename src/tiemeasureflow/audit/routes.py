"""/api/audit: the audit trail, filtered and paginated (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ..auth.deps import SessionDep, require_admin
from ..kit.schemas import ID_MAX, Page, UtcDateTime, paginate
from . import service
from .schemas import AuditEventResponse

router = APIRouter(prefix="/audit", tags=["audit"], dependencies=[Depends(require_admin)])


@router.get("", response_model=Page[AuditEventResponse])
def list_audit_events(
    session: SessionDep,
    entity_type: Annotated[str | None, Query(max_length=50)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    actor_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    action: Annotated[str | None, Query(max_length=50)] = None,
    date_from: UtcDateTime | None = None,
    date_to: UtcDateTime | None = None,
    page: Annotated[int, Query(ge=1, le=ID_MAX)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
):
    """Audit events, newest first."""
    stmt = service.list_events(session, entity_type=entity_type, entity_id=entity_id, actor_id=actor_id,
                               action=action, date_from=date_from, date_to=date_to)
    items, total, pages = paginate(session, stmt, page, per_page)
    return Page[AuditEventResponse](items=items, total=total, page=page, per_page=per_page, pages=pages)
