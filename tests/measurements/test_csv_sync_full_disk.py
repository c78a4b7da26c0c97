"""The CSV sync on a full disk: no partial row is left in the file, and the command ends with one line, exit 1."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from tests.measurements.bulk import bulk_measurements
from tests.measurements.test_csv_sync import db_ids, file_ids, plan, run_cli, sync_env  # noqa: F401

COMMAND = [sys.executable, "-m", "tiemeasureflow", "csv-sync", "--batch-size", "25"]


def _limited(max_bytes: int):
    def apply() -> None:
        # Past this size a write fails (EFBIG) as on a full disk; ignored SIGXFSZ turns it into an error.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return apply


def _database_bytes(url: str) -> int:
    if not url.startswith("sqlite"):
        return 0
    path = Path(url.split("///", 1)[1])
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def test_a_full_disk_leaves_only_whole_rows_and_one_line(client, app, plans, plan, operator,  # noqa: F811
                                                         sync_env, settings):  # noqa: F811
    bulk_measurements(client, operator, plan, plans.station(), 2000)
    run_cli()
    rows = sync_env.read_bytes().splitlines(keepends=True)
    header, first = rows[0], rows[1]
    # The file already holds row 1 (repeated, so it is larger than the database files); the rest must follow.
    repeat = (_database_bytes(settings.resolved_database_url) + 4_000_000) // len(first) + 1
    sync_env.write_bytes(header + first * repeat)
    prefix = sync_env.stat().st_size
    done = subprocess.run(COMMAND, env=os.environ.copy(), capture_output=True, preexec_fn=_limited(prefix + 30_000))
    stderr = done.stderr.decode()
    assert done.returncode == 1, stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith("tmf: ")
    data = sync_env.read_bytes()
    assert prefix < len(data) <= prefix + 30_000 and data.endswith(b"\n")
    appended = [int(line.split(b",")[0]) for line in data[prefix:].splitlines()]
    assert appended == db_ids(app)[1:1 + len(appended)]
    # Space again: the next pass carries on after the last whole row.
    subprocess.run(COMMAND, env=os.environ.copy(), check=True, capture_output=True)
    assert file_ids(sync_env)[repeat:] == db_ids(app)[1:]


def test_serve_refuses_an_unwritable_upload_folder_in_one_line(tmp_path, database_url):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the upload folder should be")
    env = {**os.environ, "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"),
           "UPLOAD_DIR": str(blocker / "uploads"), "SECRET_KEY": "x" * 32}
    done = subprocess.run([sys.executable, "-m", "tiemeasureflow", "serve", "--port", "1"], env=env,
                          capture_output=True, timeout=60)
    stderr = done.stderr.decode()
    assert done.returncode == 1 and "Traceback" not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1 and "uploads" in stderr, stderr
