"""archive: closed periods move to checksummed files; the guards let `tmf archive` alone delete them

Revision ID: 0016_archive
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

from tiemeasureflow.migrations.immutability import create_measurement_immutability, drop_measurement_immutability
from tiemeasureflow.migrations.protection import create_protection, drop_protection

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "archives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("period_from", sa.DateTime(), nullable=False),
        sa.Column("period_before", sa.DateTime(), nullable=False),
        sa.Column("measurements", sa.BigInteger(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=False),
        sa.Column("restored_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archives")),
        sa.UniqueConstraint("sha256", name=op.f("uq_archives_sha256")),
    )
    op.create_index("ix_archives_state", "archives", ["state"])
    op.create_table(
        "archived_runs",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("archive_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["archive_id"], ["archives.id"], name=op.f("fk_archived_runs_archive_id_archives")),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_archived_runs")),
    )
    op.create_index("ix_archived_runs_archive_id", "archived_runs", ["archive_id"])
    conn = op.get_bind()
    create_measurement_immutability(conn)
    create_protection(conn)


def downgrade() -> None:
    conn = op.get_bind()
    # The guards name the archives table: take them down first, put them back without it.
    drop_measurement_immutability(conn)
    drop_protection(conn)
    op.drop_index("ix_archived_runs_archive_id", "archived_runs")
    op.drop_table("archived_runs")
    op.drop_index("ix_archives_state", "archives")
    op.drop_table("archives")
    create_measurement_immutability(conn)
    create_protection(conn)
