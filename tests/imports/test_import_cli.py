"""`tmf import qif|dfq` into the configured database, and `tmf import watch` on a folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

from typer.testing import CliRunner

from tests.fixtures.app import TEST_PEPPER
from tiemeasureflow.cli import app as cli

from .helpers import FILES


def _env(database_url, tmp_path) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER}


def test_tmf_import_qif_and_dfq(database_url, tmp_path):
    env = _env(database_url, tmp_path)
    result = CliRunner().invoke(cli, ["import", "qif", "--json", str(FILES / "flange_results.qif")], env=env)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["recipe"]["code"] == "FLANGE-CMM" and len(answer["runs"]) == 2 and answer["duplicate"] is False
    again = CliRunner().invoke(cli, ["import", "qif", str(FILES / "flange_results.qif")], env=env)
    assert again.exit_code == 0 and "already imported" in again.output
    pair = tmp_path / "pin.dfd"
    shutil.copy(FILES / "pin.dfd", pair)
    shutil.copy(FILES / "pin.dfx", tmp_path / "pin.dfx")
    result = CliRunner().invoke(cli, ["import", "dfq", str(FILES / "housing.dfq"), str(pair)], env=env)
    assert result.exit_code == 0, result.output
    assert "recipe HOUSING-CMM version 1: 2 runs, 6 values" in result.output
    assert "recipe PIN-CMM version 1: 2 runs, 3 values, 1 skipped" in result.output


def test_tmf_import_refuses_a_bad_file(database_url, tmp_path):
    bad = tmp_path / "bad.qif"
    bad.write_text("<not-qif/>")
    result = CliRunner().invoke(cli, ["import", "qif", str(bad)], env=_env(database_url, tmp_path))
    assert result.exit_code == 1 and "not a QIF 3 document" in result.output


def test_tmf_import_watch_moves_each_file_once(database_url, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = {**os.environ, **_env(database_url, tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "tiemeasureflow", "import", "watch", str(inbox), "--interval", "0.2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _drop(inbox / "flange.qif", FILES / "flange_results.qif")
        (inbox / "broken.dfq").write_bytes(b"not aqdef\r\n")
        _wait_for(inbox / "done" / "flange.qif", inbox / "failed" / "broken.dfq")
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert "2 runs, 12 values" in (inbox / "done" / "flange.qif.log").read_text()
    assert "neither a K-field nor a value line" in (inbox / "failed" / "broken.dfq.log").read_text()
    assert sorted(p.name for p in inbox.iterdir()) == ["done", "failed"]
    # Killed after the import committed but before the file moved: the file is still in the inbox.
    # The next pass stores nothing and moves it.
    _drop(inbox / "flange-again.qif", FILES / "flange_results.qif")
    result = CliRunner().invoke(cli, ["import", "watch", str(inbox), "--once"], env=_env(database_url, tmp_path))
    assert result.exit_code == 0, result.output
    assert "already imported" in (inbox / "done" / "flange-again.qif.log").read_text()


def _drop(target, source) -> None:
    """Write the file the way CMM software does, then let it settle (the watcher waits for quiet files)."""
    target.write_bytes(source.read_bytes())
    past = time.time() - 5
    os.utime(target, (past, past))


def _wait_for(*paths) -> None:
    deadline = time.monotonic() + 60
    while not all(p.exists() for p in paths):
        assert time.monotonic() < deadline, f"not moved: {[p for p in paths if not p.exists()]}"
        time.sleep(0.1)
