"""Translation catalogs: extract, update and compile (`python -m tiemeasureflow.web.catalogs`).

The compiled .mo files are committed next to their .po files, so a fresh `pip install -e .` (or a
wheel) has them without a build step; a test checks that every .mo matches its .po.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

WEB_DIR = Path(__file__).parent
TRANSLATIONS = WEB_DIR / "translations"
LANGUAGES = ("it", "en")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def extract() -> Catalog:
    """Every translatable string of the client's code and templates."""
    with open(WEB_DIR / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="TieMeasureFlow", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            WEB_DIR, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(lang: str) -> Path:
    """Where a language's .po lives."""
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def read_catalog(lang: str) -> Catalog:
    """A language's catalog as stored."""
    with open(po_path(lang), "rb") as handle:
        return read_po(handle, locale=lang)


def compiled(lang: str) -> bytes:
    """The .mo bytes for a language's current .po."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(lang), use_fuzzy=False)
    return buffer.getvalue()


def update() -> None:
    """Merge newly extracted strings into every .po (existing translations kept)."""
    template = extract()
    for lang in LANGUAGES:
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = read_catalog(lang) if path.exists() else Catalog(locale=lang, charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=False, include_previous=False)


def compile_all() -> None:
    """Write every .mo from its .po."""
    for lang in LANGUAGES:
        po_path(lang).with_suffix(".mo").write_bytes(compiled(lang))


def untranslated(lang: str) -> list[str]:
    """Message ids without a (non-fuzzy) translation."""
    return [str(m.id) for m in read_catalog(lang) if m.id and (not m.string or m.fuzzy)]


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "all"
    if command in ("update", "all"):
        update()
    if command in ("compile", "all"):
        compile_all()
    missing = untranslated("it")
    print(f"it: {len(missing)} untranslated")
    for message in missing:
        print("  ", message)
