"""supersedes lock: the reference check of corrections locks one of a fixed set of keys, not one per value

A lock per referenced value stayed held until commit, so one transaction loading tens of thousands
of corrections ran PostgreSQL's shared lock table out of room. SQLite has no such check.

Revision ID: 0020
Revises: 0019
"""

from alembic import op

from tiemeasureflow.migrations.partitions import create_supersedes_check

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        create_supersedes_check(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        create_supersedes_check(conn, lock_key="hashint8(NEW.supersedes_id)")
