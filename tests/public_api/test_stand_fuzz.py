"""Schemathesis over what HardPy stands call, with a stand key and every check: the report uploads and health
under /hardpy/api/v1 (from /api's document) and the stand reads there (the public API's document, moved to the
stands' prefix).

Every request of a test, the fuzzer's and the seeding uploads alike, goes through one in-process client, so
the application runs under one event loop for the whole test.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tiemeasureflow.app import create_app

from ..fixtures.app import make_settings
from .conftest import HARDPY, INTEGRATION, both_key_headers, hardpy_report

# Every call ends within this many seconds or fails.
REQUEST_TIMEOUT_S = 30
EXAMPLES_PER_OPERATION = 25

_collect_dir = Path(tempfile.mkdtemp(prefix="tmf-stand-openapi-"))
_collect_app = create_app(make_settings(f"sqlite:///{_collect_dir / 'unused.db'}", _collect_dir))
uploads = schemathesis.openapi.from_asgi("/api/openapi.json", _collect_app).include(path_regex=r"^/hardpy/api/v1/")
with TestClient(_collect_app) as _client:
    _public = _client.get(f"{INTEGRATION}/openapi.json").json()
_public["paths"] = {path.replace(f"{INTEGRATION}/", f"{HARDPY}/"): ops
                    for path, ops in _public["paths"].items() if path != f"{INTEGRATION}/healthcheck"}
reads = schemathesis.openapi.from_dict(_public)
# Requests of this document go to each test's application in process, as the uploads' do.
reads.app = _collect_app


@pytest.fixture
def seeded_stand_key(http, stand_key) -> str:
    """A stand key on a database holding a passed and a failed HardPy run, uploaded through the test's client."""
    for serial, status in (("SF-1", "passed"), ("SF-2", "failed")):
        report = hardpy_report(serial, status=status, failed_case=status == "failed")
        seeded = http.post(f"{HARDPY}/test_report", json=report, headers=both_key_headers(stand_key), timeout=REQUEST_TIMEOUT_S)
        assert seeded.status_code == 201, seeded.text
    return stand_key


@uploads.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_stand_uploads(case, http, stand_key):
    case.call_and_validate(session=http, headers=both_key_headers(stand_key), timeout=REQUEST_TIMEOUT_S)


@reads.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_stand_reads(case, http, seeded_stand_key):
    # A cursor is opaque: a made-up one is rightly refused (422), everything else still checked.
    excluded = [positive_data_acceptance] if "cursor" in (case.query or {}) else []
    case.call_and_validate(session=http, headers=both_key_headers(seeded_stand_key), excluded_checks=excluded,
                           timeout=REQUEST_TIMEOUT_S)
