"""tamper evidence: keyed audit chain with a counted head, insert-only audit and HardPy rows, fixed verdicts

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import context, op

from tiemeasureflow.migrations.protection import create_protection, drop_protection

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_head", sa.Column("event_count", sa.BigInteger(), nullable=False, server_default="0"))
    op.add_column("runs", sa.Column("verdict_basis", sa.BigInteger(), nullable=True))
    conn = op.get_bind()
    _resign(conn)
    create_protection(conn)


def _resign(conn: sa.Connection) -> None:
    """Re-sign an existing trail with the audit key, once, after checking its unkeyed chain."""
    from tiemeasureflow.audit.resign import resign_trail

    count = conn.execute(sa.text("SELECT COUNT(*) FROM audit_events")).scalar()
    if count:
        key = context.config.attributes.get("audit_key")
        if key is None:
            raise RuntimeError("The audit trail must be re-signed with the audit key: run `tmf migrate`.")
        resign_trail(conn, key)
    conn.execute(sa.text("UPDATE audit_head SET event_count = :n"), {"n": count})


def downgrade() -> None:
    drop_protection(op.get_bind())
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("verdict_basis")
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("event_count")
