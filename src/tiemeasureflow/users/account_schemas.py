"""Login payloads and responses."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..kit.schemas import StrictInput
from .schemas import UserResponse


class LoginRequest(StrictInput):
    """Username and password."""

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=256)


class LoginResponse(BaseModel):
    """The signed-in user and a new session key (shown once)."""

    user: UserResponse
    api_key: str
