"""The handlers that turn every failure into `{"detail": ...}`, and the error responses in OpenAPI."""


from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from .dbguard import is_unavailable
from .errors import DATABASE_RETRY_AFTER_S, DATABASE_UNAVAILABLE, AppError, ErrorResponse, error_response
from .ratelimit import is_rate_limited

log = logging.getLogger("tiemeasureflow")
# The answer when the database refuses a value the request schema let through.
DATABASE_REFUSED_VALUE = "A value is out of the range or format the database can store"


def _clean_validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    # Keep what helps the caller; drop echoed input (may hold passwords) and internals.
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in errors]


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that shape every error response."""

    @app.exception_handler(AppError)
    async def _app_error(_request: Request, exc: AppError) -> JSONResponse:
        return error_response(exc.status_code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, _clean_validation_errors(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "HTTP error"
        if exc.status_code == 405:
            return error_response(405, detail, {"Allow": ", ".join(_allowed_methods(request, exc))})
        if exc.status_code == 413:
            # The reference answers an oversized body with 400.
            return error_response(400, BODY_TOO_LARGE)
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            # A body that is not even JSON (or not UTF-8) fails validation like any other bad payload.
            problem = {"loc": ["body"], "msg": "Request body could not be parsed", "type": "body_unparsable"}
            return error_response(422, [problem])
        return error_response(exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(DataError)
    async def _data_error(request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value (out of range, malformed); the transaction was rolled back.
        log.warning("database refused a value request_id=%s %s %s: %s", getattr(request.state, "request_id", "-"),
                    request.method, request.url.path, exc.orig)
        return error_response(422, DATABASE_REFUSED_VALUE)

    async def _database_away(request: Request, exc: Exception) -> JSONResponse:
        # Refused, reset, timed out or unopenable: a condition the client can wait out, not a bug.
        log.warning("database unavailable request_id=%s %s %s: %s", getattr(request.state, "request_id", "-"),
                    request.method, request.url.path, getattr(exc, "orig", None) or exc)
        outage = getattr(request.app.state, "db_outage", None)
        # A read replica that went away says nothing about the primary: its writes go on.
        on_replica = getattr(request.state, "on_read_replica", False)
        if outage is not None and is_unavailable(exc) and not request.app.state.settings.is_sqlite and not on_replica:
            outage.note()
        return error_response(503, DATABASE_UNAVAILABLE, {"Retry-After": str(DATABASE_RETRY_AFTER_S)})

    for error_class in (OperationalError, InterfaceError, PoolTimeout, DisconnectionError):
        app.add_exception_handler(error_class, _database_away)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", "-")
        log.error("unhandled error request_id=%s %s %s", request_id, request.method, request.url.path, exc_info=exc)
        body = {"detail": "Internal server error", "request_id": request_id}
        return JSONResponse(body, status_code=500, headers={"X-Request-ID": request_id})

    install_openapi_errors(app)


def _allowed_methods(request: Request, exc: StarletteHTTPException) -> list[str]:
    # Starlette names only the first route matching the path; a path served by several routes
    # (GET and PUT declared separately) must list them all, as the OpenAPI document does.
    starlette_allow = (getattr(exc, "headers", None) or {}).get("Allow", "")
    methods = {m.strip().upper() for m in starlette_allow.split(",") if m.strip()}
    path = request.scope.get("path", "")
    paths = request.app.openapi().get("paths", {})
    # A literal path (/measurements/batch) wins over a template that also matches it (/measurements/{id}).
    templates = [path] if path in paths else [t for t in paths if re.fullmatch(_template_regex(t), path)]
    for template in templates:
        methods |= {m.upper() for m in paths[template] if m in _METHODS}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _template_regex(template: str) -> str:
    return re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))


BODY_TOO_LARGE = "Request body too large"
ERROR_DESCRIPTIONS = {
    400: "The request cannot be applied as sent (or its body is too large)",
    401: "Missing, unknown, revoked or expired API key",
    403: "The key's user lacks the required role",
    404: "Not found",
    422: "The payload or a parameter failed validation",
    429: "Rate limit exceeded; Retry-After says how many seconds to wait",
}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}
_METHODS = frozenset({"get", "put", "post", "delete", "patch"})


def install_openapi_errors(app: FastAPI) -> None:
    """Make the app's OpenAPI list, for every operation, the errors the shared machinery can answer."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document_error_responses(generate())
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to post-process the schema


def document_error_responses(schema: dict[str, Any]) -> None:
    """Add 400/401/403/404/422/429 with the ErrorResponse body wherever an operation can return them."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorResponse"] = error_schema
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            codes = set()
            if operation.get("security"):
                codes |= {401, 403}
            if "{" in path:
                codes.add(404)
            if operation.get("requestBody"):
                codes |= {400, 422}
            if operation.get("parameters"):
                codes.add(422)
            if is_rate_limited(path):
                codes.add(429)
            _add_responses(operation.setdefault("responses", {}), codes)


def _add_responses(responses: dict[str, Any], codes: set[int]) -> None:
    for code in sorted(codes):
        entry = responses.setdefault(str(code), {"description": ERROR_DESCRIPTIONS[code]})
        entry.setdefault("content", {"application/json": {"schema": _ERROR_REF}})
        if code == 429:
            retry_after = {"description": "Seconds to wait", "schema": {"type": "integer"}}
            entry.setdefault("headers", {"Retry-After": retry_after})
    # FastAPI's own 422 schema only knows validation lists; a rule broken in a service answers a message.
    if "422" in responses:
        content = responses["422"].setdefault("content", {}).setdefault("application/json", {})
        if content.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
            content["schema"] = _ERROR_REF
