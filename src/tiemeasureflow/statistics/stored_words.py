"""Words read back from the database as the Literal types the answers declare."""

from __future__ import annotations

from typing import TypeVar

Word = TypeVar("Word", bound=str)


def one_of(value: str, words: tuple[Word, ...]) -> Word:
    """The word of `words` that `value` is; a stored word outside them is a broken row."""
    for word in words:
        if word == value:
            return word
    raise ValueError(f"stored word {value!r} is none of {', '.join(words)}")
