"""A route class for the stations routes: an invalid request (bad payload, path or query parameter, or an
unknown query parameter) is a 400 "Invalid payload", as the reference says."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from ..kit.errors import BadRequest
from .schemas import ErrorBody

# Parts of an error location that say where, not what: left out of the message.
_LOCATION_SOURCES = frozenset({"body", "query", "path", "header"})

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Invalid payload (missing or malformed fields, lengths exceeded)"},
    401: {"model": ErrorBody, "description": "Missing or invalid API key"},
    403: {"model": ErrorBody, "description": "Admin role required"},
}


def describe_validation_errors(errors: list[dict[str, Any]]) -> str:
    """One readable sentence from pydantic's errors, without echoing the input."""
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in _LOCATION_SOURCES)
        message = error.get("msg", "invalid value")
        parts.append(f"{where}: {message}" if where else message)
    return "Invalid payload: " + "; ".join(parts)


def _query_parameter_names(dependant: Any) -> set[str]:
    """Every query parameter a route or its dependencies declare."""
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_parameter_names(sub)
    return names


class InvalidPayloadIs400Route(APIRoute):
    """Turns request validation errors and unknown query parameters into 400 with a readable detail."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        known_query = _query_parameter_names(self.dependant)

        async def route_handler(request: Request) -> Response:
            unknown = sorted(set(request.query_params) - known_query)
            if unknown:
                names = ", ".join(name[:50] for name in unknown[:5])
                raise BadRequest(f"Invalid payload: unknown query parameter(s): {names}")
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise BadRequest(describe_validation_errors(list(exc.errors()))) from None

        return route_handler
