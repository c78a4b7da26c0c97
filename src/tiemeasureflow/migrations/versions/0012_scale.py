"""scale: rows carry the id of the transaction that wrote them, so followers and the audit sealer need no global write lock

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

from tiemeasureflow.migrations.protection import create_protection, drop_protection

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# On PostgreSQL every new row records its writer's transaction id (rows already stored keep 0, they
# are all committed); SQLite has one writer at a time, so 0 everywhere keeps id order = commit order.
PG_XID = sa.text("(pg_current_xact_id()::text::bigint)")


def upgrade() -> None:
    conn = op.get_bind()
    postgres = conn.dialect.name == "postgresql"
    # A constant default adds the column without rewriting the table (PostgreSQL 11+, SQLite ALTER TABLE).
    op.add_column("measurements", sa.Column("xid", sa.BigInteger(), nullable=False, server_default="0"))
    if postgres:
        op.alter_column("measurements", "xid", server_default=PG_XID)
    op.create_index("ix_measurements_xid", "measurements", ["xid", "id"])
    for table in ("csv_sync_cursor", "worker_cursors", "audit_head"):
        op.add_column(table, sa.Column("last_xid", sa.BigInteger(), nullable=False, server_default="0"))
    _audit(conn, postgres)


def _audit(conn: sa.Connection, postgres: bool) -> None:
    """Events get a chain position (seq, the existing chain's order is id order) and a content digest."""
    op.add_column("audit_events", sa.Column("xid", sa.BigInteger(), nullable=False, server_default="0"))
    op.add_column("audit_events", sa.Column("seq", sa.BigInteger(), nullable=True))
    op.add_column("audit_events", sa.Column("content_hash", sa.String(64), nullable=True))
    drop_protection(conn)
    conn.execute(sa.text("UPDATE audit_events SET seq = r.n FROM (SELECT id, row_number() OVER (ORDER BY id) AS n "
                         "FROM audit_events) AS r WHERE r.id = audit_events.id"))
    if postgres:
        op.alter_column("audit_events", "xid", server_default=PG_XID)
    # PostgreSQL writers leave the link to the sealer (SQLite links each event as it is written).
    with op.batch_alter_table("audit_events") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=True)
        batch.alter_column("hash", existing_type=sa.String(64), nullable=True)
    op.create_index("ix_audit_events_xid", "audit_events", ["xid", "id"])
    op.create_index("ix_audit_events_seq", "audit_events", ["seq"], unique=True)
    create_protection(conn)


def downgrade() -> None:
    conn = op.get_bind()
    drop_protection(conn)
    op.drop_index("ix_audit_events_seq", "audit_events")
    op.drop_index("ix_audit_events_xid", "audit_events")
    with op.batch_alter_table("audit_events") as batch:
        for column in ("seq", "content_hash", "xid"):
            batch.drop_column(column)
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(64), nullable=False)
    create_protection(conn)
    for table in ("csv_sync_cursor", "worker_cursors", "audit_head"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("last_xid")
    op.drop_index("ix_measurements_xid", "measurements")
    op.drop_column("measurements", "xid")
