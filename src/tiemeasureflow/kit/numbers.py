"""Whole numbers as JSON carries them: 7.0 is 7 (JSON has one number type, and JSON Schema agrees)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator


def whole(value: object) -> object:
    """5.0 is the integer 5; booleans, text and fractions stay refused by the int that follows."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(whole)]
