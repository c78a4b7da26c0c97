"""Alarm tests run the server's background worker at a short interval."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.fixtures.app import make_settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path):
    """Settings with a quick worker and quick retries."""
    return make_settings(database_url, tmp_path / "data", alarm_interval_seconds=0.1, webhook_retry_seconds=0.2,
                         webhook_timeout_seconds=3.0)


def wait_for(probe, what: str, deadline_seconds: float = 30.0):
    """Poll until probe() returns something truthy; fail naming what never happened."""
    end = time.monotonic() + deadline_seconds
    while time.monotonic() < end:
        found = probe()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"never happened: {what}")
