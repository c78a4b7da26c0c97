"""station checks: confirmed gross errors on measurements, a gross-error factor per characteristic

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from tiemeasureflow.migrations.immutability import create_measurement_immutability

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): SQLite keeps the measurements table and its
    # insert-only triggers; a constant default is allowed with NOT NULL on both databases.
    op.add_column("measurements", sa.Column("gross_error_confirmed", sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    op.add_column("subtasks", sa.Column("gross_error_factor", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subtasks") as batch_op:
        batch_op.drop_column("gross_error_factor")
    # Dropping a column rebuilds the table on SQLite, which drops its insert-only triggers.
    with op.batch_alter_table("measurements") as batch_op:
        batch_op.drop_column("gross_error_confirmed")
    create_measurement_immutability(op.get_bind())
