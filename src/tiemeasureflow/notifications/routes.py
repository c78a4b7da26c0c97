"""/api/webhooks: receivers of events and their delivery log (admin)."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, status
from sqlalchemy import func, select

from ..auth.deps import AdminPrincipal, SessionDep, require_admin
from ..kit.errors import ErrorResponse
from ..kit.schemas import ID_MAX, Page
from . import service
from .schemas import DeliveryResponse, WebhookCreate, WebhookResponse, WebhookUpdate

router = APIRouter(prefix="/webhooks", tags=["notifications"], dependencies=[Depends(require_admin)])

WebhookId = Annotated[int, Path(ge=1, le=ID_MAX)]
NOT_FOUND = {404: {"model": ErrorResponse, "description": "Webhook not found"}}


@router.get("", response_model=list[WebhookResponse])
def list_webhooks(session: SessionDep):
    """Every webhook."""
    return service.list_webhooks(session)


@router.post("", response_model=WebhookResponse, status_code=status.HTTP_201_CREATED)
def create_webhook(data: WebhookCreate, session: SessionDep, admin: AdminPrincipal):
    """Register a receiver: events are POSTed to its URL, signed with its secret."""
    return service.create_webhook(session, data, admin)


@router.get("/{webhook_id}", response_model=WebhookResponse, responses=NOT_FOUND)
def get_webhook(webhook_id: WebhookId, session: SessionDep):
    """One webhook."""
    return service.get_webhook(session, webhook_id)


@router.patch("/{webhook_id}", response_model=WebhookResponse, responses=NOT_FOUND)
def update_webhook(webhook_id: WebhookId, data: WebhookUpdate, session: SessionDep, admin: AdminPrincipal):
    """Change a webhook's URL, secret, events, description or active flag."""
    return service.update_webhook(session, webhook_id, data, admin)


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def delete_webhook(webhook_id: WebhookId, session: SessionDep, admin: AdminPrincipal):
    """Delete a webhook and its delivery log."""
    service.delete_webhook(session, webhook_id, admin)


@router.get("/{webhook_id}/deliveries", response_model=Page[DeliveryResponse], responses=NOT_FOUND)
def list_deliveries(
    webhook_id: WebhookId, session: SessionDep,
    status_: Annotated[Literal["pending", "delivered", "failed"] | None, Query(alias="status")] = None,
    page: Annotated[int, Query(ge=1, le=ID_MAX)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
):
    """The webhook's deliveries, newest first: attempts, receiver status, error, delivery time."""
    stmt = service.deliveries(session, webhook_id, status_)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    items = [service.delivery_response(d, t) for d, t in rows]
    pages = max(1, math.ceil(total / per_page)) if total else 0
    return Page[DeliveryResponse](items=items, total=total, page=page, per_page=per_page, pages=pages)
