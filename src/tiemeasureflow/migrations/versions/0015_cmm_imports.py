"""Imported measuring-machine files (QIF, AQDEF): each file once, with the runs it became

Run sources and input methods are plain strings without CHECK constraints, so `qif` and `dfq`
need no schema change there.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("identity", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("recipe_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["recipe_id"], ["recipes.id"], name=op.f("fk_import_records_recipe_id_recipes")),
        sa.ForeignKeyConstraint(["version_id"], ["recipe_versions.id"],
                                name=op.f("fk_import_records_version_id_recipe_versions")),
        sa.ForeignKeyConstraint(["imported_by"], ["users.id"], name=op.f("fk_import_records_imported_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_records")),
        sa.UniqueConstraint("identity", name=op.f("uq_import_records_identity")),
    )
    with op.batch_alter_table("import_records", schema=None) as batch_op:
        batch_op.create_index("ix_import_records_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("import_records", schema=None) as batch_op:
        batch_op.drop_index("ix_import_records_created_at")
    op.drop_table("import_records")
