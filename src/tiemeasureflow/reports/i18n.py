"""Wording (through the `reports` gettext catalog) and number/date formats of the PDF reports."""

from __future__ import annotations

import gettext
import math
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from .part_wording import PART_WORDING
from .wording import WORDING

LANGUAGES = ("it", "en")
DEFAULT_LANGUAGE = "it"
# Every key's English text; the other languages' are in the `reports` gettext catalog, under the key as context.
ENGLISH: dict[str, str] = {**WORDING, **PART_WORDING}
TRANSLATIONS = Path(__file__).parent / "translations"


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled `reports` catalog of a language (English needs none: its text is the message id)."""
    return gettext.translation("reports", TRANSLATIONS, languages=[language], fallback=language == "en")


class Translator:
    """Wording and formats of one language."""

    def __init__(self, language: str | None):
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._catalog = catalog(self.language)

    def __call__(self, key: str, **values) -> str:
        """The text for `key` in this language, with `values` filled in."""
        text = self._catalog.pgettext(key, ENGLISH[key])
        return text.format(**values) if values else text

    def rule_legend(self, rules: str) -> str:
        """What each rule number of a rule set means."""
        return self(f"rule_legend_{rules}" if f"rule_legend_{rules}" in ENGLISH else "rule_legend_we")

    def number(self, value: float | None, decimals: int | None = None, significant: int = 6) -> str:
        """A number with fixed decimals or up to `significant` digits; a dash when missing."""
        if value is None or not math.isfinite(value):
            return "–"
        if decimals is not None:
            text = f"{value:.{decimals}f}"
        else:
            text = _significant(value, significant)
        if text.startswith("-") and float(text) == 0:
            text = text[1:]
        return text.replace(".", ",") if self.language == "it" else text

    def when(self, value: datetime | None, seconds: bool = True) -> str:
        """A UTC time in the language's usual order."""
        if value is None:
            return "–"
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        pattern = "%d/%m/%Y %H:%M" if self.language == "it" else "%Y-%m-%d %H:%M"
        return value.strftime(pattern + (":%S" if seconds else ""))

    def filters(self, filters: list[tuple[str, str | datetime]]) -> str:
        """"Station: ST-01; From: ..." in this language, or "none"."""
        parts = [f"{self(key)}: {self.when(value) + ' UTC' if isinstance(value, datetime) else value}"
                 for key, value in filters]
        return "; ".join(parts) or self("no_filters")

    def note(self, note) -> str:
        """A Note in this language; its key as text when it is not a wording key."""
        if note.key not in ENGLISH:
            return note.key
        values = {k: self.note(v) if hasattr(v, "key") else v for k, v in note.values.items()}
        return self(note.key, **values)

    def result(self, judgment: str) -> str:
        """Pass / warning / fail in words."""
        return self(judgment) if judgment in ("pass", "warning", "fail") else judgment


def _significant(value: float, digits: int) -> str:
    """Up to `digits` significant digits in plain (never exponent) notation, trailing zeros dropped."""
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
