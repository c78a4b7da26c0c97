"""`tmf archive` and `tmf restore`: closed months leave for a verified file and come back identical."""

from __future__ import annotations

import io
import re
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from typer.testing import CliRunner

from tiemeasureflow.cli import app as cli
from tiemeasureflow.kit.db import make_engine

from ..demodata.support import api, demo_data, env_for, login
from ..fixtures.database import USING_POSTGRES

# About two months and a half of history ending today: at least one whole closed month before this one.
HISTORY = ("--runs", "150", "--days", "75")


def tmf(database_url: str, data_dir: Path, *args: str):
    return CliRunner().invoke(cli, list(args), env=env_for(database_url, data_dir))


def cutoff() -> datetime:
    """The first day of the current month: everything before it is closed."""
    return datetime.now(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


class Reports:
    """Capability, control chart and the measurements PDF of one characteristic over the closed period."""

    def __init__(self, client):
        self.client = client
        self.headers = login(client, "metrologist")
        maker = login(client, "maker")
        shaft = next(r for r in client.get("/api/recipes", headers=maker).json()["items"] if r["code"] == "SHAFT-042")
        seat = next(s for s in shaft["current_version"]["tasks"][0]["subtasks"]
                    if s["description"] == "Bearing seat diameter")
        self.window = {"recipe_id": shaft["id"], "date_from": (cutoff() - timedelta(days=120)).isoformat(),
                       "date_to": cutoff().isoformat()}
        self.characteristic = {**self.window, "subtask_id": seat["id"]}

    def statistics(self) -> dict:
        capability = self.client.get("/api/statistics/capability", params=self.characteristic, headers=self.headers)
        chart = self.client.get("/api/statistics/control-chart", params=self.characteristic, headers=self.headers)
        return {"capability": (capability.status_code, capability.json()),
                "chart": (chart.status_code, chart.json())}

    def pdf_text(self) -> str | None:
        res = self.client.get("/api/reports/measurements", params={**self.window, "detail": "true"},
                              headers=self.headers)
        if res.status_code == 404:
            return None
        assert res.status_code == 200, res.text
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(res.content)).pages)
        # When it was printed (the footer, in the reader's language) is not what it says.
        return re.sub(r"(Generated at|Generato il) .* UTC (by|da) .*", "", text)


def month_rows(database_url: str) -> dict[str, int]:
    """PostgreSQL: the values each partition of measurements holds (nothing on SQLite's plain table)."""
    if not USING_POSTGRES:
        return {}
    engine = make_engine(database_url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            names = conn.execute(sa.text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'measurements'::regclass")).scalars().all()
            return {name: conn.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar() for name in names}
    finally:
        engine.dispose()


def audit_events(client) -> list[dict]:
    admin = login(client, "admin")
    res = client.get("/api/audit", params={"entity_type": "archive"}, headers=admin)
    assert res.status_code == 200, res.text
    return res.json()["items"]


def test_archive_removes_closed_months_and_restore_brings_back_identical_reports(database_url, tmp_path):
    demo_data(database_url, tmp_path, 11, *HISTORY)
    synced = tmp_path / "sync.csv"
    assert tmf(database_url, tmp_path, "csv-sync", "--path", str(synced)).exit_code == 0
    lines = synced.read_text().splitlines()
    with api(database_url, tmp_path) as client:
        reports = Reports(client)
        before_stats, before_pdf = reports.statistics(), reports.pdf_text()
        assert before_stats["capability"][0] == 200 and before_stats["capability"][1]["n"] >= 20
        assert before_pdf is not None and "SHAFT-042" in before_pdf

        partitions = month_rows(database_url)
        done = tmf(database_url, tmp_path, "archive", "--before", f"{cutoff():%Y-%m-%d}")
        assert done.exit_code == 0, done.output
        if USING_POSTGRES:
            # Whole closed months left as partitions (detached and dropped), not row by row.
            closed = {name for name, rows in partitions.items()
                      if rows and name < f"measurements_p{cutoff():%Y%m}" and name != "measurements_default"}
            assert closed and not closed & set(month_rows(database_url)), (closed, month_rows(database_url))
        [file] = (tmp_path / "archive").glob("tmf-archive-*.tar")
        checksum = re.search(r"SHA-256 ([0-9a-f]{64})", done.stdout).group(1)
        assert (tmp_path / "archive" / f"{file.name}.sha256").read_text() == f"{checksum}  {file.name}\n"
        with tarfile.open(file) as tar:
            assert sorted(tar.getnames()) == ["manifest.json", "measurements.parquet", "runs.parquet"]
        verified = tmf(database_url, tmp_path, "audit", "verify")
        assert verified.exit_code == 0, verified.output

        after_stats, after_pdf = reports.statistics(), reports.pdf_text()
        capability = after_stats["capability"]
        assert capability[0] != 200 or capability[1]["n"] < before_stats["capability"][1]["n"]
        assert after_pdf != before_pdf

        # One byte flipped anywhere in the file: refused, nothing comes back.
        damaged = tmp_path / "damaged.tar"
        data = bytearray(file.read_bytes())
        data[len(data) // 3] ^= 0x01
        damaged.write_bytes(bytes(data))
        refused = tmf(database_url, tmp_path, "restore", str(damaged))
        assert refused.exit_code == 1 and "nothing restored" in refused.stderr, refused.output
        assert reports.statistics() == after_stats

        restored = tmf(database_url, tmp_path, "restore", str(file))
        assert restored.exit_code == 0, restored.output
        # Each value is back in its own month's partition, none in the default one.
        assert {name: rows for name, rows in month_rows(database_url).items() if rows} == \
            {name: rows for name, rows in partitions.items() if rows}
        assert reports.statistics() == before_stats
        assert reports.pdf_text() == before_pdf
        again = tmf(database_url, tmp_path, "restore", str(file))
        assert again.exit_code == 1 and "already restored" in again.stderr, again.output
        assert reports.statistics() == before_stats
        verified = tmf(database_url, tmp_path, "audit", "verify")
        assert verified.exit_code == 0, verified.output
        # The restored rows keep their ids and commit positions: followers do not see them as new.
        resync = tmf(database_url, tmp_path, "csv-sync", "--path", str(synced))
        assert resync.exit_code == 0 and re.search(r": 0\s+measurements appended", resync.stdout), resync.output
        assert synced.read_text().splitlines() == lines

        restore_event, archive_event = audit_events(client)
        assert (archive_event["action"], restore_event["action"]) == ("archive", "restore")
        for event in (archive_event, restore_event):
            values = event["new_values"]
            assert values["file"] == file.name and values["sha256"] == checksum
            assert values["period_before"].startswith(f"{cutoff():%Y-%m-%d}") and values["measurements"] > 0
        assert f"Archived {archive_event['new_values']['measurements']} measurements" in done.stdout


@pytest.mark.parametrize(("before", "refusal"), [
    (lambda: cutoff().replace(year=cutoff().year + 1), "in the future"),
    (lambda: (cutoff() + timedelta(days=32)).replace(day=1), "still open"),
    (lambda: cutoff() - timedelta(days=20), "whole months"),
])
def test_archive_refuses_open_or_future_periods_and_changes_nothing(database_url, tmp_path, before, refusal):
    demo_data(database_url, tmp_path, 11, *HISTORY)
    count = _measurements(database_url)
    done = tmf(database_url, tmp_path, "archive", "--before", f"{before():%Y-%m-%d}")
    assert done.exit_code == 2 and refusal in done.stderr, done.output
    assert not (tmp_path / "archive").exists() or not list((tmp_path / "archive").iterdir())
    assert _measurements(database_url) == count


def _measurements(database_url: str) -> int:
    engine = make_engine(database_url, poolclass=sa.NullPool)
    with engine.connect() as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM measurements")).scalar()
    engine.dispose()
    return count


def test_outside_an_archive_measurements_and_finished_runs_stay(database_url, tmp_path):
    demo_data(database_url, tmp_path, 11, *HISTORY)
    engine = make_engine(database_url, poolclass=sa.NullPool)
    try:
        for statement in ("DELETE FROM measurements", "DELETE FROM runs WHERE status <> 'in_progress'"):
            with pytest.raises(sa.exc.DatabaseError, match="insert-only|finished runs are fixed"):
                with engine.begin() as conn:
                    if USING_POSTGRES:
                        # A temporary table named like the gate does not open it: the guard names its schema.
                        conn.execute(sa.text("CREATE TEMP TABLE archives (state text)"))
                        conn.execute(sa.text("INSERT INTO archives VALUES ('removing')"))
                    conn.execute(sa.text(statement))
    finally:
        engine.dispose()
    assert _measurements(database_url) > 0
