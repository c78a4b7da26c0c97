"""corrections with ids: the index of each characteristic's corrections also holds the correction's id

Statistics leave out the values superseded by corrections up to their snapshot's id: with the id in
the index that is read from the index alone, not from every correction's row in each partition.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

CORRECTIONS = sa.text("supersedes_id IS NOT NULL")


def _index(columns: list[str]) -> None:
    op.drop_index("ix_measurements_corrections", table_name="measurements")
    op.create_index("ix_measurements_corrections", "measurements", columns,
                    postgresql_where=CORRECTIONS, sqlite_where=CORRECTIONS)


def upgrade() -> None:
    _index(["characteristic_id", "supersedes_id", "id"])


def downgrade() -> None:
    _index(["characteristic_id", "supersedes_id"])
