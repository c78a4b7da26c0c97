"""Schemathesis over the public API's own OpenAPI document, with an integration key and some runs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tiemeasureflow.app import create_app

from ..fixtures.app import make_settings
from .conftest import HARDPY, both_key_headers, hardpy_report

_collect_dir = Path(tempfile.mkdtemp(prefix="tmf-public-openapi-"))
_collect_app = create_app(make_settings(f"sqlite:///{_collect_dir / 'unused.db'}", _collect_dir))
schema = schemathesis.openapi.from_asgi("/integration/api/v1/openapi.json", _collect_app)


@pytest.fixture
def seeded_key(http, stand_key, integration_key) -> str:
    """An integration key on a database holding a passed and a failed HardPy run, uploaded through `http`."""
    for serial, status in (("FZ-1", "passed"), ("FZ-2", "failed")):
        report = hardpy_report(serial, status=status, failed_case=status == "failed")
        res = http.post(f"{HARDPY}/test_report", json=report, headers=both_key_headers(stand_key), timeout=30)
        assert res.status_code == 201, res.text
    return integration_key


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_public_api(case, http, seeded_key):
    # A cursor is opaque: a made-up one is rightly refused (422), everything else still checked.
    excluded = [positive_data_acceptance] if "cursor" in (case.query or {}) else []
    case.call_and_validate(session=http, headers=both_key_headers(seeded_key), excluded_checks=excluded, timeout=30)


def test_own_document_and_swagger_ui_show_only_the_public_routes(client):
    doc = client.get("/integration/api/v1/openapi.json")
    assert doc.status_code == 200
    paths = doc.json()["paths"]
    assert sorted(paths) == ["/integration/api/v1/healthcheck", "/integration/api/v1/test_run",
                             "/integration/api/v1/test_run/{test_run_id}",
                             "/integration/api/v1/test_run/{test_run_id}/failed_case", "/integration/api/v1/tested_dut"]
    assert all(set(ops) == {"get"} for ops in paths.values())
    params = {p["name"] for p in paths["/integration/api/v1/test_run"]["get"]["parameters"]}
    assert {"limit", "offset", "cursor", "part_number", "serial_number", "status", "test_stand_name", "lot_number",
            "number_of_attempt", "start_time_from", "start_time_to"} <= params
    assert "attempt_count" in {p["name"] for p in paths["/integration/api/v1/tested_dut"]["get"]["parameters"]}
    schemes = doc.json()["components"]["securitySchemes"]
    assert {s.get("name") for s in schemes.values()} >= {"X-API-KEY"} and any(
        s.get("scheme") == "bearer" for s in schemes.values())
    assert doc.json()["components"]["schemas"]["TestRun"]["examples"][0]["duration"] == "PT12M34S"
    ui = client.get("/integration/api/v1/docs")
    assert ui.status_code == 200 and "/integration/api/v1/openapi.json" in ui.text
    main = client.get("/api/openapi.json").json()["paths"]
    assert not [p for p in main if p.startswith("/integration")] and "/hardpy/api/v1/test_report" in main
