"""Error responses of the recipe routes, as OpenAPI documents them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class RecipeValidationProblem(BaseModel):
    """One problem found in a request."""

    loc: list[str | int]
    msg: str
    type: str


class RecipeError(BaseModel):
    """Every failure: a readable message, or the list of payload problems for a 422."""

    detail: str | list[RecipeValidationProblem]


_DESCRIPTIONS = {
    400: "The request cannot be applied as sent",
    401: "Missing or invalid API key",
    403: "The caller lacks the required role",
    404: "Not found",
    409: "Conflict with the current state",
    422: "Invalid payload or parameters",
    "4XX": "Other client errors, such as 429 when the rate limit is hit",
}


def errors(*codes: int | str, **descriptions: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the given statuses; `d404="..."` overrides a description."""
    return {code: {"model": RecipeError, "description": descriptions.get(f"d{code}", _DESCRIPTIONS[code])}
            for code in codes}


# Every recipe route: no key, bad parameters, rate limit.
COMMON = errors(401, 422, "4XX")
