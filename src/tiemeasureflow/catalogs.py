"""Translation catalogs of the station client and the reports: extract, update, compile (`python -m tiemeasureflow.catalogs`).

Two gettext domains, one kind of file: `messages` (the station client's code and templates, in
web/translations) and `reports` (the PDF/XLSX reports' wording, keyed by message context, in
reports/translations). The compiled .mo files are committed next to their .po files, so a fresh
`pip install -e .` (or a wheel) has them without a build step; tests check every .mo matches its .po.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE_DIR = Path(__file__).parent
WEB_DIR = PACKAGE_DIR / "web"
LANGUAGES = ("it", "en")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


@dataclass(frozen=True)
class Domain:
    """One gettext domain: where its catalogs live and how its strings are found."""

    name: str
    translations: Path
    extract: Callable[[], Catalog]

    def po_path(self, lang: str) -> Path:
        """Where a language's .po lives."""
        return self.translations / lang / "LC_MESSAGES" / f"{self.name}.po"

    def read_catalog(self, lang: str) -> Catalog:
        """A language's catalog as stored."""
        with open(self.po_path(lang), "rb") as handle:
            return read_po(handle, locale=lang, domain=self.name)

    def compiled(self, lang: str) -> bytes:
        """The .mo bytes for a language's current .po."""
        buffer = io.BytesIO()
        write_mo(buffer, self.read_catalog(lang), use_fuzzy=False)
        return buffer.getvalue()

    def update(self) -> None:
        """Merge newly extracted strings into every .po (existing translations kept)."""
        template = self.extract()
        for lang in LANGUAGES:
            path = self.po_path(lang)
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = self.read_catalog(lang) if path.exists() else Catalog(locale=lang, domain=self.name, charset="utf-8")
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            with open(path, "wb") as handle:
                write_po(handle, catalog, width=100, omit_header=False, sort_output=False, include_previous=False)

    def compile_all(self) -> None:
        """Write every .mo from its .po."""
        for lang in LANGUAGES:
            self.po_path(lang).with_suffix(".mo").write_bytes(self.compiled(lang))

    def untranslated(self, lang: str) -> list[str]:
        """Message ids without a (non-fuzzy) translation."""
        return [str(m.id) for m in self.read_catalog(lang) if m.id and (not m.string or m.fuzzy)]


def _client_strings() -> Catalog:
    """Every translatable string of the client's code and templates."""
    with open(WEB_DIR / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="TieMeasureFlow", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            WEB_DIR, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _report_strings() -> Catalog:
    """The reports' English wording, each under its key as message context (one key, one translation)."""
    from .reports.i18n import ENGLISH

    catalog = Catalog(project="TieMeasureFlow", domain="reports", charset="utf-8")
    for key, english in ENGLISH.items():
        catalog.add(english, None, context=key)
    return catalog


CLIENT = Domain("messages", WEB_DIR / "translations", _client_strings)
REPORTS = Domain("reports", PACKAGE_DIR / "reports" / "translations", _report_strings)
DOMAINS = (CLIENT, REPORTS)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "all"
    for domain in DOMAINS:
        if command in ("update", "all"):
            domain.update()
        if command in ("compile", "all"):
            domain.compile_all()
        missing = domain.untranslated("it")
        print(f"{domain.name} it: {len(missing)} untranslated")
        for message in missing:
            print("  ", message)
