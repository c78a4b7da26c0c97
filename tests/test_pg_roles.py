"""PostgreSQL: the schema owner migrates, the server runs as a role that owns nothing and cannot undo the guards."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from .fixtures.app import TEST_PEPPER
from .fixtures.database import PG_SERVER_URL, USING_POSTGRES
from .fixtures.live import servers

if USING_POSTGRES:
    @pytest.fixture
    def app_role(empty_database_url):
        """A login role with no privileges of its own."""
        name = f"tmf_app_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_SERVER_URL, autocommit=True) as conn:
            conn.execute(f'CREATE ROLE "{name}" LOGIN')
        yield name
        with psycopg.connect(empty_database_url, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{name}"')
        with psycopg.connect(PG_SERVER_URL, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{name}"')

    def tmf(args: list[str], env: dict, cwd) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "tiemeasureflow", *args], env={**os.environ, **env}, cwd=cwd,
                              capture_output=True, text=True, timeout=180)

    REFUSED = [
        ("TRUNCATE measurements CASCADE", "permission denied"),
        ("TRUNCATE audit_events", "permission denied"),
        ("ALTER TABLE measurements DISABLE TRIGGER ALL", "must be owner"),
        ("DROP TRIGGER measurements_no_change ON measurements", "must be owner"),
        ("ALTER TABLE runs DISABLE TRIGGER runs_finished_fixed", "must be owner"),
        ("UPDATE audit_events SET client_ip = 'x'", "insert-only"),
        ("TRUNCATE hardpy_reports CASCADE", "permission denied"),
        ("DELETE FROM audit_events", "insert-only"),
        ("UPDATE alembic_version SET version_num = 'x'", "permission denied"),
        # Only the owner opens the removal gate (tmf archive runs with MIGRATION_DATABASE_URL).
        ("INSERT INTO archives (file_name, sha256, period_from, period_before, measurements, runs, state, "
         "archived_at) VALUES ('x', 'x', now(), now(), 0, 0, 'removing', now())", "permission denied"),
        ("DELETE FROM archived_runs", "permission denied"),
    ]

    def test_the_application_role_cannot_undo_the_guards(empty_database_url, app_role, tmp_path):
        owner = make_url(empty_database_url)
        app_url = owner.set(username=app_role).render_as_string(hide_password=False)
        env = {"MIGRATION_DATABASE_URL": empty_database_url, "DATABASE_URL": app_url,
               "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER}
        done = tmf(["migrate"], env, tmp_path)
        assert done.returncode == 0, done.stderr
        assert f"Role {app_role} may read and write data" in done.stdout
        # The server itself works as that role: it reads, writes (a failed login is audited) and verifies.
        with servers(1, {**env, "LOG_LEVEL": "warning"}, tmp_path) as (base,):
            login = httpx.post(f"{base}/api/auth/login", json={"username": "x", "password": "wrong-password"},
                               timeout=30)
        assert login.status_code == 401
        with psycopg.connect(app_url.replace("+psycopg", ""), autocommit=True) as conn:
            for statement, refusal in REFUSED:
                with pytest.raises(psycopg.Error, match=refusal):
                    conn.execute(statement)
        verified = tmf(["audit", "verify"], env, tmp_path)
        assert verified.returncode == 0 and "1 events verified" in verified.stdout, verified.stdout + verified.stderr

    def test_archive_runs_as_the_schema_owner_only(empty_database_url, app_role, tmp_path):
        owner = make_url(empty_database_url)
        app_url = owner.set(username=app_role).render_as_string(hide_password=False)
        app_env = {"DATABASE_URL": app_url, "DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": TEST_PEPPER}
        owner_env = {**app_env, "MIGRATION_DATABASE_URL": empty_database_url}
        assert tmf(["migrate"], owner_env, tmp_path).returncode == 0
        # Bulk history loads as the owner (it rebuilds indexes); about six weeks reach into a closed month.
        made = tmf(["demo-data", "--runs", "60", "--days", "45"], {**app_env, "DATABASE_URL": empty_database_url},
                   tmp_path)
        assert made.returncode == 0, made.stderr
        first = datetime.now(UTC).date().replace(day=1).isoformat()
        refused = tmf(["archive", "--before", first], app_env, tmp_path)
        assert refused.returncode == 1 and "MIGRATION_DATABASE_URL" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr and not list((tmp_path / "data" / "archive").glob("*.tar"))
        done = tmf(["archive", "--before", first], owner_env, tmp_path)
        assert done.returncode == 0 and "Archived" in done.stdout, done.stdout + done.stderr
        [file] = (tmp_path / "data" / "archive").glob("*.tar")
        assert tmf(["restore", str(file)], app_env, tmp_path).returncode == 1
        restored = tmf(["restore", str(file)], owner_env, tmp_path)
        assert restored.returncode == 0, restored.stderr
        verified = tmf(["audit", "verify"], app_env, tmp_path)
        assert verified.returncode == 0, verified.stdout + verified.stderr
