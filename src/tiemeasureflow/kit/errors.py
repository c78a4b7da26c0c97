"""Typed application errors and the one error body shape."""

from __future__ import annotations

import logging
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel

log = logging.getLogger("tiemeasureflow")


class AppError(Exception):
    """An error a client can act on: an HTTP status and a readable detail."""

    status_code = 400
    default_detail = "Bad request"

    def __init__(self, detail: str | None = None, headers: dict[str, str] | None = None):
        self.detail = detail or self.default_detail
        self.headers = headers
        super().__init__(self.detail)


class BadRequest(AppError):
    """400: the request cannot be applied as sent."""


class Unauthorized(AppError):
    """401: no valid credentials."""

    status_code = 401
    default_detail = "Invalid or missing API key"


class Forbidden(AppError):
    """403: authenticated but not allowed."""

    status_code = 403
    default_detail = "Insufficient permissions"


class NotFound(AppError):
    """404: the resource does not exist."""

    status_code = 404
    default_detail = "Not found"


class Conflict(AppError):
    """409: the request conflicts with the current state."""

    status_code = 409
    default_detail = "Conflict"


class Unprocessable(AppError):
    """422: the payload is well-formed but its values are not acceptable."""

    status_code = 422
    default_detail = "Validation error"


class PayloadTooLarge(AppError):
    """413: the body is larger than allowed."""

    status_code = 413
    default_detail = "Request body too large"


class ServiceUnavailable(AppError):
    """503: a dependency (the database) does not answer."""

    status_code = 503
    default_detail = "Service unavailable"


DATABASE_UNAVAILABLE = "Database unavailable. Please try again shortly."
DATABASE_RETRY_AFTER_S = 5


class DatabaseUnavailable(ServiceUnavailable):
    """503: the database refused, reset or did not answer; Retry-After says when to try again."""

    default_detail = DATABASE_UNAVAILABLE

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)})


class ValidationProblem(BaseModel):
    """One problem found in a payload or parameter."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorResponse(BaseModel):
    """Every error body: a readable message, or the list of problems of a payload that failed validation."""

    detail: str | list[ValidationProblem]
    request_id: str | None = None


def error_response(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    """The one error body shape."""
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)
