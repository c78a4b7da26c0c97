"""corrections: an index of each characteristic's corrections, for the values statistics leave out

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

CORRECTIONS = sa.text("supersedes_id IS NOT NULL")


def upgrade() -> None:
    # On the partitioned PostgreSQL table the index is made on every partition, and on the ones to come.
    op.create_index("ix_measurements_corrections", "measurements", ["characteristic_id", "supersedes_id"],
                    postgresql_where=CORRECTIONS, sqlite_where=CORRECTIONS)


def downgrade() -> None:
    op.drop_index("ix_measurements_corrections", table_name="measurements")
