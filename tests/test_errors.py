"""One error shape: request ids, no tracebacks, strict payloads, and errors documented in OpenAPI."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Literal

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError

from tiemeasureflow.app import create_app
from tiemeasureflow.kit.schemas import StrictInput

from .fixtures.app import make_settings

PUBLIC_OPERATIONS = {("get", "/api/health"), ("post", "/api/auth/login")}


class Reading(StrictInput):
    value: float
    count: int = 0
    ok: bool = True
    taken_at: datetime | None = None
    run_id: uuid.UUID | None = None
    unit: Literal["mm", "um"] = "mm"


probe = APIRouter(prefix="/probe")


@probe.post("/reading")
def echo_reading(reading: Reading):
    return reading


@probe.get("/crash")
def crash():
    raise RuntimeError("secret internals: /etc/tmf password=hunter2")


@probe.get("/data-error")
def data_error():
    raise DataError("INSERT ...", {}, Exception("value out of range"))


@pytest.fixture
def probed(database_url, tmp_path):
    """A client of an app with extra routes that exercise the shared error handling."""
    app = create_app(make_settings(database_url, tmp_path / "data"))
    app.include_router(probe, prefix="/api")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.engine.dispose()


def test_an_unexpected_error_is_a_500_with_a_request_id_and_no_traceback(probed, caplog):
    with caplog.at_level(logging.ERROR, logger="tiemeasureflow"):
        res = probed.get("/api/probe/crash")
    assert res.status_code == 500
    body = res.json()
    assert body == {"detail": "Internal server error", "request_id": res.headers["x-request-id"]}
    assert "hunter2" not in res.text and "Traceback" not in res.text and "RuntimeError" not in res.text
    [record] = [r for r in caplog.records if "unhandled error" in r.getMessage()]
    assert body["request_id"] in record.getMessage() and record.exc_info is not None


def test_every_response_carries_a_request_id_and_a_valid_incoming_one_is_kept(client):
    assert len(client.get("/api/health").headers["x-request-id"]) == 32
    assert client.get("/api/health", headers={"X-Request-ID": "lb-1234.abc"}).headers["x-request-id"] == "lb-1234.abc"
    forged = client.get("/api/health", headers={"X-Request-ID": "bad id\twith junk"}).headers["x-request-id"]
    assert forged != "bad id\twith junk" and len(forged) == 32
    assert client.get("/api/auth/me").headers["x-request-id"]


def test_a_database_refusal_is_a_422(probed):
    res = probed.get("/api/probe/data-error")
    assert (res.status_code, res.json()) == (422, {"detail": "A value is out of the range or format the database "
                                                             "can store"})


@pytest.mark.parametrize("value", [False, True, "1.5", "1", None, [1.5], {"v": 1}])
def test_a_number_is_only_a_json_number(probed, value):
    res = probed.post("/api/probe/reading", json={"value": value})
    assert res.status_code == 422
    [problem] = res.json()["detail"]
    assert problem["loc"] == ["body", "value"] and set(problem) == {"loc", "msg", "type"}


@pytest.mark.parametrize(("field", "value"), [
    ("count", 1.5), ("count", "2"), ("count", True), ("ok", 1), ("ok", "true"), ("unit", "MM"),
    ("taken_at", 1700000000), ("taken_at", "1700000000"), ("taken_at", "yesterday"), ("run_id", 123),
])
def test_other_types_are_strict_too(probed, field, value):
    assert probed.post("/api/probe/reading", json={"value": 1.0, field: value}).status_code == 422


def test_text_encoded_values_parse_from_json_strings(probed):
    run_id = str(uuid.uuid4())
    res = probed.post("/api/probe/reading", json={"value": 10, "count": 3, "taken_at": "2025-02-07T12:34:56",
                                                  "run_id": run_id, "unit": "um"})
    assert res.status_code == 200
    assert res.json() == {"value": 10.0, "count": 3, "ok": True, "taken_at": "2025-02-07T12:34:56Z",
                          "run_id": run_id, "unit": "um"}
    shifted = probed.post("/api/probe/reading", json={"value": 1.5, "taken_at": "2025-02-07T14:34:56+02:00"})
    assert shifted.json()["taken_at"] == "2025-02-07T12:34:56Z"


def test_unknown_fields_and_nul_characters_are_refused(probed, client, admin):
    assert probed.post("/api/probe/reading", json={"value": 1.0, "colour": "red"}).status_code == 422
    res = client.put("/api/auth/me", json={"display_name": "nul\x00byte"}, headers=admin.headers)
    assert res.status_code == 422


def test_validation_errors_never_echo_the_input(client, admin):
    res = client.post("/api/users", headers=admin.headers,
                      json={"username": "x", "password": "tiny-pw", "display_name": "X", "extra": "s3cr3t-v4lue"})
    assert res.status_code == 422
    assert "tiny-pw" not in res.text and "s3cr3t-v4lue" not in res.text


def test_a_body_that_is_not_json_is_a_422(client, admin):
    for body in (b"{not json", b"\xff\xfe\xfd"):
        res = client.post("/api/users", content=body, headers={**admin.headers, "Content-Type": "application/json"})
        assert res.status_code == 422 and isinstance(res.json()["detail"], list)


def test_unknown_paths_and_methods_keep_the_error_shape(client, admin):
    res = client.get("/api/no-such-thing", headers=admin.headers)
    assert (res.status_code, res.json()) == (404, {"detail": "Not Found"})
    res = client.delete("/api/auth/me", headers=admin.headers)
    assert res.status_code == 405 and res.json() == {"detail": "Method Not Allowed"}
    assert res.headers["allow"] == "GET, HEAD, PUT"


def test_openapi_declares_the_key_header_and_no_route_is_public_by_accident(client):
    schema = client.get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "apiKey", "in": "header", "name": "X-API-Key"}.items() <= next(iter(schemes.values())).items()
    for path, item in schema["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            if (method, path) not in PUBLIC_OPERATIONS:
                assert operation.get("security"), f"{method.upper()} {path} is public"


def test_openapi_documents_the_shared_error_responses(client):
    schema = client.get("/api/openapi.json").json()
    validation_only = {"$ref": "#/components/schemas/HTTPValidationError"}
    for path, item in schema["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            responses = operation["responses"]
            expected = {"429"} if path != "/api/health" else set()
            if operation.get("security"):
                expected |= {"401", "403"}
            if "{" in path:
                expected.add("404")
            if "requestBody" in operation:
                expected |= {"400", "422"}
            assert expected <= set(responses), f"{method.upper()} {path}: {sorted(expected - set(responses))}"
            for code in expected:
                content = responses[code].get("content", {}).get("application/json", {})
                assert content.get("schema"), f"{method.upper()} {path} {code} has no body schema"
            if "422" in responses:
                # A rule broken in a service answers a message, which FastAPI's default 422 schema forbids.
                assert responses["422"]["content"]["application/json"]["schema"] != validation_only
    assert "Retry-After" in schema["paths"]["/api/auth/login"]["post"]["responses"]["429"]["headers"]
