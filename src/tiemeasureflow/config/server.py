"""The API server's and its tools' settings, read from the environment and `.env`."""

from __future__ import annotations

import hashlib
import hmac
from functools import cached_property
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from sqlalchemy.engine import make_url

from .shared import SECRET_FILE_NAME, SharedSettings, absolute


class Settings(SharedSettings):
    """Every setting of the server and its commands; env names match the reference."""

    database_url: str = Field("", description="SQLAlchemy URL; empty means SQLite in DATA_DIR/tiemeasureflow.db")
    read_database_url: str = Field(
        "", description="A read replica for statistics, reports and the public API's reads; empty means DATABASE_URL")
    database_statement_timeout_seconds: float = Field(
        8.0, ge=0, description="PostgreSQL: a statement running longer is cancelled and answered 503 (0: no limit)")
    health_min_free_mb: int = Field(
        64, ge=0, description="SQLite: /api/health answers 503 when the data folder's disk has less free space")
    upload_dir: Path | None = Field(None, description="Upload folder; empty means DATA_DIR/uploads")
    archive_dir: Path | None = Field(
        None, description="Where `tmf archive` writes archive files of closed periods; empty means DATA_DIR/archive")
    rate_limit_login: int = Field(5, ge=1, description="Logins per minute per client IP")
    rate_limit_login_username: int = Field(
        10, ge=1, description="Failed logins per minute per username, from any address")
    rate_limit_general: int = Field(300, ge=1, description="Other requests per minute per client IP")
    rate_limit_storage_url: str = Field("memory://", description="limits storage: memory:// or redis://host:port/db")
    audit_key: SecretStr | None = Field(
        None, description="HMAC key of the audit chain; empty means derived from SECRET_KEY (never stored in the database)")
    audit_checkpoint_path: Path | None = Field(
        None, description="Where the audit chain's head (count, id, hash) is written after each change; "
                          "empty means DATA_DIR/audit_checkpoint.json")
    migration_database_url: str = Field(
        "", description="PostgreSQL: the schema owner's URL for `tmf migrate`; DATABASE_URL is then the "
                        "application role, which is granted data access only")
    csv_sync_path: Path | None = Field(None, description="When set, the server appends new measurements to this CSV")
    csv_sync_interval_seconds: float = Field(5.0, gt=0, description="How often the in-server CSV sync runs")
    import_dir: Path | None = Field(None, description="When set, the server imports QIF/DFQ files dropped here")
    import_interval_seconds: float = Field(2.0, gt=0, description="How often the server scans IMPORT_DIR")
    import_station_code: str = Field("", description="The station (CMM) the watched folder's runs belong to")
    alarm_detection: bool = Field(True, description="Detect run-rule and capability alarms in a background worker")
    alarm_interval_seconds: float = Field(1.0, gt=0, description="How often alarm detection and event delivery run")
    webhook_timeout_seconds: float = Field(5.0, gt=0, description="How long a webhook receiver may take to answer")
    webhook_retry_seconds: float = Field(10.0, gt=0, description="First retry delay; doubles per attempt up to 1 h")
    webhook_max_attempts: int = Field(10, ge=1, description="Attempts before a delivery is marked failed")
    mqtt_url: str = Field("", description="mqtt://host:port of the broker events are published to; empty: none")
    smtp_host: str = Field("", description="SMTP server for alarm e-mails; empty: no e-mail")
    smtp_port: int = Field(25, ge=1, le=65535, description="SMTP port")
    smtp_starttls: bool = Field(False, description="Use STARTTLS on the SMTP connection")
    smtp_username: str = Field("", description="SMTP login; empty: no login")
    smtp_password: SecretStr | None = Field(None, description="SMTP password")
    smtp_from: str = Field("tiemeasureflow@localhost", description="Sender of event e-mails")
    smtp_to: str = Field("", description="Comma-separated recipients of event e-mails")
    smtp_events: str = Field("alarm.raised,run.failed", description="Comma-separated events that are e-mailed")
    hardpy_max_report_mb: int = Field(10, ge=1, description="Largest accepted HardPy report, in MiB")
    idempotency_key_hours: int = Field(72, ge=24, description="How long a write's Idempotency-Key and answer are kept, in hours")
    log_level: str = Field("info", description="Logging level of the server")
    oauth_client_ids: str = Field("hardpy-report-uploader",
                                  description="Comma-separated client ids allowed the device authorization grant")
    device_verification_url: str = Field(
        "", description="The station client's approval page (e.g. https://station.example/device); "
                        "empty means /device on API_URL's host as the stand reached it")
    device_code_ttl_seconds: int = Field(600, ge=1, description="How long a stand's sign-in waits for approval")
    device_poll_interval_seconds: int = Field(5, ge=1, description="Seconds a stand waits between token polls")
    stand_access_token_ttl_seconds: int = Field(3600, ge=1, description="Lifetime of a stand's access token")
    stand_refresh_token_ttl_days: int = Field(90, ge=1, description="Lifetime of a stand's refresh token")

    @field_validator("upload_dir", "archive_dir", "csv_sync_path", "audit_checkpoint_path", "import_dir", mode="after")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        return value if value is None else absolute(value)

    @cached_property
    def resolved_database_url(self) -> str:
        """The database URL with the embedded default and the psycopg 3 driver filled in."""
        url = postgres_url(self.database_url or f"sqlite:///{self.data_dir / 'tiemeasureflow.db'}")
        if url.startswith("postgresql"):
            return url
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
            path = (Path.cwd() / url[len("sqlite:///"):]).resolve()
            return f"sqlite:///{path}"
        return url

    @property
    def is_sqlite(self) -> bool:
        """Whether the configured database is SQLite."""
        return self.resolved_database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite database file, or None for an in-memory or non-SQLite database."""
        url = make_url(self.resolved_database_url)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return Path(url.database)

    @property
    def resolved_upload_dir(self) -> Path:
        """The upload folder, absolute."""
        return self.upload_dir or self.data_dir / "uploads"

    @property
    def resolved_archive_dir(self) -> Path:
        """The archive folder: ARCHIVE_DIR or DATA_DIR/archive."""
        return self.archive_dir or self.data_dir / "archive"

    @property
    def oauth_clients(self) -> frozenset[str]:
        """Parsed OAUTH_CLIENT_IDS."""
        return frozenset(part.strip() for part in self.oauth_client_ids.split(",") if part.strip())


def postgres_url(url: str) -> str:
    """A postgresql:// or postgres:// URL with the psycopg 3 driver filled in; other URLs unchanged."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


AUDIT_KEY_CONTEXT = b"tiemeasureflow audit chain v1"


def audit_hmac_key(settings: Settings) -> bytes:
    """The audit chain's HMAC key: AUDIT_KEY, else derived from the secret key."""
    if settings.audit_key is not None and settings.audit_key.get_secret_value():
        return settings.audit_key.get_secret_value().encode()
    return hmac.new(settings.pepper, AUDIT_KEY_CONTEXT, hashlib.sha256).digest()


def audit_checkpoint(settings: Settings) -> Path:
    """The audit checkpoint file."""
    return settings.audit_checkpoint_path or settings.data_dir / "audit_checkpoint.json"


def mask_url_password(url: str) -> str:
    """The URL with any password replaced by ***, for display."""
    try:
        parsed = make_url(url)
    except Exception:  # not a SQLAlchemy-style URL (memory://, redis://...): mask by hand
        scheme, sep, rest = url.partition("://")
        creds, at, host = rest.rpartition("@")
        if not sep or not at or ":" not in creds:
            return url
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return parsed.render_as_string(hide_password=True) if parsed.password else url


def describe_settings(*every: SharedSettings) -> list[tuple[str, str, str, str]]:
    """Rows of (ENV NAME, current value, default, description) of each settings' fields, once each, secrets masked."""
    rows, seen = [], set()
    for settings, (name, field) in ((s, item) for s in every for item in type(s).model_fields.items()):
        if name in seen:
            continue
        seen.add(name)
        value = getattr(settings, name)
        if name == "audit_key" and value is None:
            shown = "(derived from SECRET_KEY)"
        elif isinstance(value, SecretStr) or "secret" in name:
            shown = f"(generated in {settings.data_dir / SECRET_FILE_NAME})" if value is None else "********"
        elif name.endswith("_url") and value:
            shown = mask_url_password(str(value))
        else:
            shown = "" if value is None else str(value)
        default = "" if field.default is None else str(field.default)
        rows.append((name.upper(), shown, default, field.description or ""))
    return rows
