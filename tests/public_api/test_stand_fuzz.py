"""Schemathesis over what HardPy stands call: report upload and health under /hardpy/api/v1 (from /api's
document) and the stand reads there (the public API's document, moved to the stands' prefix), with a stand key."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from tiemeasureflow.app import create_app

from ..fixtures.app import make_settings
from .conftest import hardpy_report

# Every call ends within this many seconds or fails.
REQUEST_TIMEOUT_S = 30

_collect_dir = Path(tempfile.mkdtemp(prefix="tmf-stand-openapi-"))
_collect_app = create_app(make_settings(f"sqlite:///{_collect_dir / 'unused.db'}", _collect_dir))
uploads = schemathesis.openapi.from_asgi("/api/openapi.json", _collect_app).include(path_regex=r"^/hardpy/api/v1/")
with TestClient(_collect_app) as _client:
    _public = _client.get("/integration/api/v1/openapi.json").json()
_public["paths"] = {path.replace("/integration/api/v1/", "/hardpy/api/v1/"): ops
                    for path, ops in _public["paths"].items() if path != "/integration/api/v1/healthcheck"}
reads = schemathesis.openapi.from_dict(_public)


@uploads.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_stand_uploads(case, app, stand_key):
    case.call_and_validate(headers={"Authorization": f"Bearer {stand_key}"}, app=app, timeout=REQUEST_TIMEOUT_S)


@reads.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_stand_reads(case, app, uploader, stand_key):
    for serial, status in (("SF-1", "passed"), ("SF-2", "failed")):
        assert uploader(hardpy_report(serial, status=status, failed_case=status == "failed")).status_code == 201
    # A cursor is opaque: a made-up one is rightly refused (422), everything else still checked.
    excluded = [positive_data_acceptance] if "cursor" in (case.query or {}) else []
    # This document is loaded as a dict, with no server to send the unauthenticated probe to; the
    # refusal of keyless and wrong-kind reads is asserted route by route in test_keys_matrix.
    excluded.append(ignored_auth)
    case.call_and_validate(headers={"X-API-KEY": stand_key}, app=app, excluded_checks=excluded,
                           timeout=REQUEST_TIMEOUT_S)
