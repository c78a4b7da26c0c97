"""The CSV export streams: memory does not grow with the number of rows."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from tests.fixtures.app import make_settings
from tests.measurements.bulk import bulk_measurements

ROWS = 50_000


@pytest.fixture
def settings(database_url: str, tmp_path: Path):
    """Without alarm detection: tracemalloc would count the detector's work on the new rows too."""
    return make_settings(database_url, tmp_path / "data", alarm_detection=False)


def stream_export(client, user, query: str) -> tuple[int, int, int]:
    """(bytes, lines, peak traced memory growth) of one streamed CSV export."""
    streamed = lines = 0
    tracemalloc.start()
    try:
        baseline, _ = tracemalloc.get_traced_memory()
        with client.stream("GET", f"/api/measurements/export/csv?{query}", headers=user.headers) as res:
            assert res.status_code == 200
            for chunk in res.iter_bytes():
                streamed += len(chunk)
                lines += chunk.count(b"\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return streamed, lines, peak - baseline


def test_csv_export_memory_is_flat_over_a_large_export(client, plans, operator, metrologist):
    plan = plans.recipe()
    bulk_measurements(client, operator, plan, plans.station(), ROWS)
    # A first, tiny export pays the one-off costs (imports, compiled statements, caches).
    stream_export(client, metrologist, "date_to=2025-01-01T00:00:30Z")
    size, lines, growth = stream_export(client, metrologist, "")
    print(f"streamed {size} bytes, {lines} lines, peak growth {growth} bytes")
    assert lines == ROWS + 1
    # Holding the rows, as objects or as text, would take several times the file's size.
    assert growth < size / 3
