"""Schemathesis, in process, over every /api operation the app serves, with all default checks.

The operations are read from the app's own OpenAPI document when the tests are collected, so routes
added later are fuzzed without touching this file. Every call is authenticated as an administrator
who also holds all three roles, with a key issued just before the call: an operation that logs out,
regenerates keys or demotes users cannot lock the next call out. Operations that act on a user
(update, deactivate, regenerate-key) act on a user of their own, made for the call, and logout
revokes that user's key, so they reach their real work instead of a 404 or the fuzzer's own key.

Schemathesis' check that schema-valid requests are accepted is kept with one widening: a 422 whose
detail is one sentence (not the list a schema mismatch gives) states a rule between parameters that
OpenAPI cannot express (X-bar/R up to subgroups of 10, date_from not after date_to, ...), and is the
right answer to such a request. A value the database refuses stays a failure: the schema should have
refused it.
"""

from __future__ import annotations

import faulthandler
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.core.file_samples import FILE_SAMPLES
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from sqlalchemy import select

from tiemeasureflow.app import create_app
from tiemeasureflow.auth.keys import issue_key
from tiemeasureflow.auth.passwords import hash_password
from tiemeasureflow.kit.db import unit_of_work
from tiemeasureflow.kit.error_handlers import DATABASE_REFUSED_VALUE
from tiemeasureflow.kit.vocabulary import ROLES
from tiemeasureflow.models import User

from .fixtures.app import make_settings

# Far from the small ids the fuzzer tries first, so "deactivate yourself" (a 400 the reference
# asks for) is not what most user operations run into.
FUZZ_ADMIN_ID = 987_654
EXAMPLES_PER_OPERATION = 10
# Every call ends within this many seconds or fails.
REQUEST_TIMEOUT_S = 30
USER_TARGETED = {"/api/users/{user_id}", "/api/users/{user_id}/regenerate-key"}
OWN_KEY = {"/api/auth/logout", "/api/auth/me"}
FUZZ_ADMIN_PASSWORD_HASH = hash_password("fuzz-admin-password")

# Real files for the upload media types the API declares; random bytes are not an image.
for _media_type, _extension in {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif",
                                "image/webp": "webp", "application/pdf": "pdf"}.items():
    schemathesis.openapi.media_type(_media_type, st.just(FILE_SAMPLES[_extension]))
# Measuring-machine files for the imports: a QIF results document and a DFQ file of the tests' own.
_IMPORT_FILES = Path(__file__).parent / "imports" / "files"
schemathesis.openapi.media_type("application/xml", st.just((_IMPORT_FILES / "flange_results.qif").read_bytes()))
schemathesis.openapi.media_type("text/plain", st.just((_IMPORT_FILES / "housing.dfq").read_bytes()))
schemathesis.openapi.media_type(
    "image/svg+xml", st.just(b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'))

# Only the OpenAPI document of this app is read; requests go to each test's own app.
_schema_dir = Path(tempfile.mkdtemp(prefix="tmf-openapi-"))
_schema_app = create_app(make_settings(f"sqlite:///{_schema_dir / 'unused.db'}", _schema_dir))
schema = schemathesis.openapi.from_asgi("/api/openapi.json", _schema_app).include(path_regex=r"^/api/")


def _rule_between_parameters(response) -> bool:
    """A 422 naming a rule between parameters (one sentence), not a schema mismatch or a refused value."""
    if response.status_code != 422:
        return False
    try:
        detail = response.json().get("detail")
    except ValueError:
        return False
    return isinstance(detail, str) and detail != DATABASE_REFUSED_VALUE


@schemathesis.check
def schema_valid_request_accepted(ctx, response, case):
    """Schemathesis' positive-data check, except for a rule between parameters the schema cannot state."""
    if _rule_between_parameters(response):
        return None
    return positive_data_acceptance(ctx, response, case)


CHECKS = {"excluded_checks": [positive_data_acceptance], "additional_checks": [schema_valid_request_accepted]}
# Every multipart form field travels as text: a body made "invalid" by a number where text is declared,
# or by a field the form does not name, is a valid form on the wire, which the server rightly takes.
FORM_CHECKS = {**CHECKS, "excluded_checks": [positive_data_acceptance, negative_data_rejection]}


def _checks_for(case) -> dict:
    """The checks of a case: a negative case that broke nothing but a multipart form is not refused."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_negative or case.media_type != "multipart/form-data":
        return CHECKS
    negative = {location for location, info in meta.components.items() if info.mode.is_negative}
    return FORM_CHECKS if negative == {ParameterLocation.BODY} else CHECKS


@pytest.fixture
def fuzz_admin_key(app):
    """Issue a session key of an active administrator holding every role (restoring them if a call changed that)."""

    def issue() -> str:
        with unit_of_work(app.state.sessionmaker) as session:
            user = session.scalar(select(User).where(User.id == FUZZ_ADMIN_ID))
            if user is None:
                user = User(id=FUZZ_ADMIN_ID, username="fuzz_admin", password_hash=FUZZ_ADMIN_PASSWORD_HASH,
                            display_name="Fuzz Admin")
                session.add(user)
            user.roles, user.is_admin, user.active = list(ROLES), True, True
            session.flush()
            return issue_key(session, app.state.settings.pepper, "session", user_id=user.id)[1]

    return issue


@pytest.fixture
def own_user(app):
    """A fresh active user with every role and a session key: (id, key), for calls that act on a user."""

    def make() -> tuple[int, str]:
        with unit_of_work(app.state.sessionmaker) as session:
            user = User(username=f"fuzz_target_{uuid.uuid4().hex[:10]}", password_hash=FUZZ_ADMIN_PASSWORD_HASH,
                        display_name="Fuzz Target", roles=list(ROLES), is_admin=False, active=True)
            session.add(user)
            session.flush()
            return user.id, issue_key(session, app.state.settings.pepper, "session", user_id=user.id)[1]

    return make


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api(case, app, fuzz_admin_key, own_user):
    key = fuzz_admin_key()
    if case.path in USER_TARGETED or (case.path in OWN_KEY and case.method.upper() != "GET"):
        target_id, target_key = own_user()
        if case.path in USER_TARGETED:
            generated = (case.path_parameters or {}).get("user_id")
            # Only a valid id is redirected: a case made invalid on purpose must stay invalid. Some phases
            # give path parameters as the text that goes into the path ("1"), others as numbers.
            text = generated if isinstance(generated, str) and generated.isascii() and generated.isdigit() else None
            number = int(text) if text is not None else generated if type(generated) is int else None
            if number is not None and 1 <= number <= 2**31 - 1:
                case.path_parameters = {**case.path_parameters,
                                        "user_id": str(target_id) if text is not None else target_id}
        else:
            key = target_key
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER):
        # The case broke its headers on purpose (the key among them): adding a valid key would make
        # it a valid request that the checks then expect to be refused. Send it as it was made.
        with _stacks_if_slow():
            case.call_and_validate(app=app, timeout=REQUEST_TIMEOUT_S, **_checks_for(case))
        return
    with _stacks_if_slow():
        case.call_and_validate(headers={"X-API-Key": key}, app=app, timeout=REQUEST_TIMEOUT_S, **_checks_for(case))


@contextmanager
def _stacks_if_slow() -> Iterator[None]:
    """Write every thread's stack to stderr when a call nears the timeout: a hang shows what it waited for."""
    faulthandler.dump_traceback_later(REQUEST_TIMEOUT_S - 5)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
