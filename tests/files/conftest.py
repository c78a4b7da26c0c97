"""Helpers for the files tests: uploads, the upload folder's content, the files table."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import pytest
import sqlalchemy as sa

from tests.fixtures.app import make_settings
from tiemeasureflow.app import create_app
from tiemeasureflow.kit.db import unit_of_work
from tiemeasureflow.models import StoredFile


def upload(client, user, name: str, data: bytes, content_type: str = "application/octet-stream", **form):
    """POST /api/files/upload as `user`."""
    return client.post("/api/files/upload", headers=user.headers, files={"file": (name, data, content_type)},
                       data={k: str(v) for k, v in form.items()})


def stored_files(upload_dir: Path) -> list[str]:
    """Every file (not folder) under the upload folder, relative to it."""
    return sorted(str(p.relative_to(upload_dir)) for p in upload_dir.rglob("*") if not p.is_dir())


def file_rows(app) -> list[StoredFile]:
    """The rows of the files table."""
    with unit_of_work(app.state.sessionmaker, write=False) as session:
        return list(session.scalars(sa.select(StoredFile).order_by(StoredFile.id)))


def run_asgi(app, scope: dict, receive, send) -> None:
    """Call the ASGI app directly, in a thread of its own (the test thread may already run an event loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(anyio.run, app, scope, receive, send).result()


@pytest.fixture
def upload_dir(settings) -> Path:
    """The upload folder of the app under test."""
    return settings.resolved_upload_dir


@pytest.fixture
def small_app(database_url, tmp_path):
    """An app whose upload limit is 1 MiB."""
    application = create_app(make_settings(database_url, tmp_path / "small", max_upload_size_mb=1))
    yield application
    application.state.engine.dispose()
