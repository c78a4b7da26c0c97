"""`tmf demo-data` is reproducible: a seed gives the same history in any fresh database."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from tiemeasureflow.cli import app as cli

from .support import SMALL, api, demo_data, env_for, integration_key, login, measurements_csv, public_runs

# The CSV export's columns (see docs/API.md): value, judgment and serial are compared by name.
VALUE, PASS_FAIL, SERIAL = 4, 5, 8
FIRST_ARTICLE = "FA-"


def _history(database_url: str, data_dir) -> tuple[list[list[str]], list[tuple]]:
    """The stored values and the station runs as the API shows them (the first articles' included)."""
    key = integration_key(database_url, data_dir)
    with api(database_url, data_dir) as client:
        values = measurements_csv(client, login(client, "metrologist"))
        runs = [(r["test_run_id"], r["part_number"], r["serial_number"], r["status"], r["number_of_attempt"],
                 r["test_stand_hw_id"], r["start_time"], r["stop_time"])
                for r in public_runs(client, key) if r["source"] == "station"]
    return values, runs


def _first_articles(database_url: str, data_dir) -> list[dict]:
    """Every FAI as the API details it: forms, results, linked runs, signature and times."""
    with api(database_url, data_dir) as client:
        headers = login(client, "metrologist")
        listed = client.get("/api/fai", headers=headers).json()["items"]
        return [client.get(f"/api/fai/{f['id']}", headers=headers).json() for f in sorted(listed, key=lambda f: f["id"])]


def test_the_same_seed_gives_the_same_history(database_url, empty_database_url, tmp_path):
    first = demo_data(database_url, tmp_path / "one", 7)
    demo_data(empty_database_url, tmp_path / "two", 7)
    values_one, runs_one = _history(database_url, tmp_path / "one")
    values_two, runs_two = _history(empty_database_url, tmp_path / "two")
    assert len(values_one) > 900 and len(runs_one) >= 300
    assert [(v[VALUE], v[PASS_FAIL], v[SERIAL]) for v in values_one] == \
        [(v[VALUE], v[PASS_FAIL], v[SERIAL]) for v in values_two]
    assert values_one == values_two  # every column, times and input methods included
    assert runs_one == runs_two
    assert any(v[SERIAL].startswith(FIRST_ARTICLE) for v in values_one)
    assert any(r[2].startswith(FIRST_ARTICLE) for r in runs_one)
    fais = _first_articles(database_url, tmp_path / "one")
    assert len(fais) == 2 and fais[0]["signature"] is not None
    assert fais == _first_articles(empty_database_url, tmp_path / "two")
    # The command reports the speed of its bulk phase.
    assert re.search(r"History phase \(bulk insert\): [\d,]+ measurements in [\d.]+ s \([\d,]+ measurements/s\)",
                     " ".join(first.output.split()))


def test_another_seed_gives_other_values(database_url, empty_database_url, tmp_path):
    demo_data(database_url, tmp_path / "one", 7)
    demo_data(empty_database_url, tmp_path / "two", 8)
    values_one, runs_one = _history(database_url, tmp_path / "one")
    values_two, runs_two = _history(empty_database_url, tmp_path / "two")
    assert [v[VALUE] for v in values_one] != [v[VALUE] for v in values_two]
    assert {r[0] for r in runs_one}.isdisjoint(r[0] for r in runs_two)
    # The first article too: other values, another run, another day's times within the same plan.
    first = [v for v in values_one if v[SERIAL].startswith(FIRST_ARTICLE)]
    other = [v for v in values_two if v[SERIAL].startswith(FIRST_ARTICLE)]
    assert len(first) == len(other) == 4 and [v[VALUE] for v in first] != [v[VALUE] for v in other]


def test_the_same_seed_twice_into_one_database_is_refused_and_stores_nothing(database_url, tmp_path):
    demo_data(database_url, tmp_path / "data", 7)
    with api(database_url, tmp_path / "data") as client:
        before = measurements_csv(client, login(client, "metrologist"))
    again = CliRunner().invoke(cli, ["demo-data", *SMALL, "--seed", "7"], env=env_for(database_url, tmp_path / "data"))
    assert again.exit_code == 1
    assert "No history stored" in again.output and "another --seed" in again.output
    with api(database_url, tmp_path / "data") as client:
        assert measurements_csv(client, login(client, "metrologist")) == before
    demo_data(database_url, tmp_path / "data", 8)  # another seed adds to the same plant
    with api(database_url, tmp_path / "data") as client:
        assert len(measurements_csv(client, login(client, "metrologist"))) > len(before)
