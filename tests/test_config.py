"""Configuration: the reference's variable names and defaults, .env files, paths, URLs and the generated secret."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError

from tiemeasureflow.config.server import Settings
from tiemeasureflow.config.shared import load_or_create_secret

REFERENCE_DEFAULTS = {"max_upload_size_mb": 50, "rate_limit_login": 5, "rate_limit_general": 300}


@pytest.fixture
def start_dir(tmp_path, monkeypatch):
    """An empty start directory with none of the variables set."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults(start_dir):
    settings = Settings()
    assert {name: getattr(settings, name) for name in REFERENCE_DEFAULTS} == REFERENCE_DEFAULTS
    assert settings.data_dir == start_dir / "data"
    assert settings.resolved_database_url == f"sqlite:///{start_dir / 'data' / 'tiemeasureflow.db'}"
    assert settings.resolved_upload_dir == start_dir / "data" / "uploads"
    assert settings.rate_limit_storage_url == "memory://" and settings.trusted_proxy_networks == []
    assert settings.session_idle_minutes > 0 and settings.secret_key is None


def test_reference_variable_names_work_in_any_case(start_dir, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://tmf@db/tmf")
    monkeypatch.setenv("UPLOAD_DIR", "/srv/uploads")
    monkeypatch.setenv("MAX_UPLOAD_SIZE_MB", "20")
    monkeypatch.setenv("rate_limit_login", "7")
    monkeypatch.setenv("RATE_LIMIT_GENERAL", "100")
    settings = Settings()
    assert settings.database_url == "postgresql://tmf@db/tmf" and str(settings.upload_dir) == "/srv/uploads"
    assert (settings.max_upload_size_mb, settings.rate_limit_login, settings.rate_limit_general) == (20, 7, 100)


def test_dotenv_in_the_start_directory_is_read_and_the_environment_wins(start_dir, monkeypatch):
    (start_dir / ".env").write_text("RATE_LIMIT_LOGIN=9\nSESSION_IDLE_MINUTES=15\nDATA_DIR=plant-data\n")
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "30")
    settings = Settings()
    assert settings.rate_limit_login == 9 and settings.session_idle_minutes == 30
    assert settings.data_dir == start_dir / "plant-data"


def test_relative_paths_resolve_against_the_start_directory(start_dir, monkeypatch):
    monkeypatch.setenv("DATA_DIR", "var/tmf")
    monkeypatch.setenv("UPLOAD_DIR", "../shared/uploads")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///db/plant.db")
    settings = Settings()
    assert settings.data_dir == start_dir / "var" / "tmf"
    assert settings.resolved_upload_dir == (start_dir.parent / "shared" / "uploads").resolve()
    assert settings.resolved_database_url == f"sqlite:///{start_dir / 'db' / 'plant.db'}"
    assert settings.sqlite_path == start_dir / "db" / "plant.db"


@pytest.mark.parametrize(("given", "used"), [
    ("postgresql://tmf:pw@db:5432/tmf", "postgresql+psycopg://tmf:pw@db:5432/tmf"),
    ("postgres://tmf@db/tmf", "postgresql+psycopg://tmf@db/tmf"),
    ("postgresql+psycopg://tmf@db/tmf", "postgresql+psycopg://tmf@db/tmf"),
    ("sqlite:////abs/path.db", "sqlite:////abs/path.db"),
])
def test_database_url_spellings(start_dir, given, used):
    assert Settings(database_url=given).resolved_database_url == used


def test_trusted_proxies_are_addresses_and_networks(start_dir, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,2001:db8::/32")
    assert [str(n) for n in Settings().trusted_proxy_networks] == ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"]


@pytest.mark.parametrize(("name", "value"), [("RATE_LIMIT_LOGIN", "0"), ("MAX_UPLOAD_SIZE_MB", "lots"),
                                             ("SESSION_IDLE_MINUTES", "-5")])
def test_impossible_values_are_refused(start_dir, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_a_given_secret_key_is_the_pepper(start_dir, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert Settings().pepper == b"from-the-environment"
    assert not (start_dir / "data" / "secret_key").exists()


def test_without_a_secret_key_one_is_generated_once_owner_only(start_dir):
    first = Settings().pepper
    path = start_dir / "data" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32 and Settings().pepper == first
    assert Settings(data_dir=start_dir / "elsewhere").pepper != first


def test_processes_starting_together_agree_on_one_secret(tmp_path):
    with ThreadPoolExecutor(max_workers=8) as pool:
        secrets = set(pool.map(lambda _: load_or_create_secret(tmp_path), range(32)))
    assert len(secrets) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
