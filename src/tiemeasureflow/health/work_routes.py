"""GET /api/health/work: the slow work (image decoding, password checks) running and waiting now (Admin)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from ..auth.deps import require_admin
from ..kit import slowwork


class Lane(BaseModel):
    """One kind of slow work: jobs run at once at most, running now, waiting for a slot."""

    slots: int
    running: int
    waiting: int


class Work(BaseModel):
    """Slow work of this server process."""

    images: Lane
    passwords: Lane


router = APIRouter(prefix="/health", tags=["health"], dependencies=[Depends(require_admin)])


@router.get("/work", response_model=Work)
def work():
    """The image decoding and password checks this server process runs and queues now."""
    return Work.model_validate(slowwork.load())
