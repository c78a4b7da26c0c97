"""Alembic migrations shipped with the package, and the function that applies them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).parent


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at the packaged scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head", audit_key: bytes | None = None) -> None:
    """Bring the database behind the engine up to `revision` (the audit key re-signs an existing trail)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        cfg.attributes["audit_key"] = audit_key
        command.upgrade(cfg, revision)
