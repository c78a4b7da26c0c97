"""drift alarms: a characteristic's EWMA or CUSUM chart whose signals raise alarms

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rule_configs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("drift_chart", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("drift_parameters", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rule_configs", schema=None) as batch_op:
        batch_op.drop_column("drift_parameters")
        batch_op.drop_column("drift_chart")
