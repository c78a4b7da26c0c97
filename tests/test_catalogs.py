"""The gettext catalogs of the station client and the reports: complete in Italian, compiled files in step."""

from __future__ import annotations

import pytest
from babel.messages.mofile import read_mo

from tiemeasureflow.catalogs import DOMAINS, LANGUAGES


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.name)
def test_italian_catalog_is_complete(domain):
    assert domain.untranslated("it") == []


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.name)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogs_match_their_sources(domain, lang):
    with open(domain.po_path(lang).with_suffix(".mo"), "rb") as handle:
        # read_mo gives message contexts as bytes.
        compiled = {(m.context and m.context.decode(), m.id): m.string for m in read_mo(handle) if m.id}
    source = {(m.context, m.id): m.string for m in domain.read_catalog(lang) if m.id and m.string and not m.fuzzy}
    assert compiled == source, "run: python -m tiemeasureflow.catalogs"


@pytest.mark.parametrize("domain", DOMAINS, ids=lambda d: d.name)
def test_every_string_in_the_code_is_in_the_catalog(domain):
    extracted = {(m.context, m.id) for m in domain.extract() if m.id}
    stored = {(m.context, m.id) for m in domain.read_catalog("it") if m.id}
    assert extracted <= stored, sorted(extracted - stored)
