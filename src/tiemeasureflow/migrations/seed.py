"""Rows every database starts with: the default station and the audit chain's genesis."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from ..audit.chain import GENESIS_HASH

# The assignable causes a new database starts with; `other` always exists.
DEFAULT_CAUSES = (
    ("tool_wear", "Tool wear"), ("tool_breakage", "Tool breakage"), ("setup", "Setup or offset error"),
    ("material", "Material or blank"), ("gauge", "Gauge or measurement error"),
    ("temperature", "Temperature"), ("other", "Other"),
)


def insert_cause_defaults(conn: sa.Connection) -> None:
    """Insert the default assignable causes (idempotent)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    for code, name in DEFAULT_CAUSES:
        if conn.execute(sa.text("SELECT COUNT(*) FROM assignable_causes WHERE code = :c"), {"c": code}).scalar() == 0:
            conn.execute(sa.text("INSERT INTO assignable_causes (code, name, active, created_at) "
                                 "VALUES (:c, :n, :t, :now)"), {"c": code, "n": name, "t": True, "now": now})


def insert_defaults(conn: sa.Connection) -> None:
    """Insert the seed rows (idempotent)."""
    if sa.inspect(conn).has_table("assignable_causes"):
        insert_cause_defaults(conn)
    now = datetime.now(UTC).replace(tzinfo=None)
    if conn.execute(sa.text("SELECT COUNT(*) FROM audit_head")).scalar() == 0:
        conn.execute(
            sa.text("INSERT INTO audit_head (id, last_event_id, last_hash) VALUES (1, 0, :h)"), {"h": GENESIS_HASH}
        )
    if conn.execute(sa.text("SELECT COUNT(*) FROM stations WHERE code = 'ST-DEFAULT'")).scalar() == 0:
        conn.execute(
            sa.text(
                "INSERT INTO stations (code, name, location, active, created_at, updated_at) "
                "VALUES ('ST-DEFAULT', 'Default Station', 'Initial seed - change me', :t, :now, :now)"
            ),
            {"t": True, "now": now},
        )
