"""first article inspections: records, Form 2 rows, characteristic notes, frozen runs

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _fai_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["fai_id"], ["fai_reports.id"], name=op.f(f"fk_{table}_fai_id_fai_reports"))


def upgrade() -> None:
    op.create_table(
        "fai_reports",
        _id(),
        sa.Column("report_number", sa.String(length=100), nullable=False),
        sa.Column("recipe_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("serial_number", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("baseline_version_id", sa.Integer(), nullable=True),
        sa.Column("scope_json", sa.JSON(), nullable=False),
        sa.Column("manufacturing_reference", sa.String(length=255), nullable=True),
        sa.Column("po_number", sa.String(length=255), nullable=True),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("signed_by_name", sa.String(length=255), nullable=True),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signature_meaning", sa.String(length=30), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["recipe_id"], ["recipes.id"], name=op.f("fk_fai_reports_recipe_id_recipes")),
        sa.ForeignKeyConstraint(["version_id"], ["recipe_versions.id"],
                                name=op.f("fk_fai_reports_version_id_recipe_versions")),
        sa.ForeignKeyConstraint(["baseline_version_id"], ["recipe_versions.id"],
                                name=op.f("fk_fai_reports_baseline_version_id_recipe_versions")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_fai_reports_created_by_users")),
        sa.ForeignKeyConstraint(["signed_by"], ["users.id"], name=op.f("fk_fai_reports_signed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fai_reports")),
        sa.UniqueConstraint("report_number", name=op.f("uq_fai_reports_report_number")),
    )
    op.create_index("ix_fai_reports_recipe_serial", "fai_reports", ["recipe_id", "serial_number"])
    op.create_table(
        "fai_form2_rows",
        _id(),
        sa.Column("fai_id", sa.Integer(), nullable=False),
        *[sa.Column(name, sa.String(length=255), nullable=True)
          for name in ("material_or_process", "specification")],
        sa.Column("code", sa.String(length=100), nullable=True),
        *[sa.Column(name, sa.String(length=255), nullable=True)
          for name in ("supplier", "customer_approval", "certificate_number", "functional_test", "acceptance_report")],
        sa.Column("comments", sa.Text(), nullable=True),
        _fai_fk("fai_form2_rows"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fai_form2_rows")),
    )
    op.create_index("ix_fai_form2_rows_fai_id", "fai_form2_rows", ["fai_id"])
    op.create_table(
        "fai_characteristic_notes",
        _id(),
        sa.Column("fai_id", sa.Integer(), nullable=False),
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("nc_number", sa.String(length=100), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        _fai_fk("fai_characteristic_notes"),
        sa.ForeignKeyConstraint(["characteristic_id"], ["characteristics.id"],
                                name=op.f("fk_fai_characteristic_notes_characteristic_id_characteristics")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fai_characteristic_notes")),
        sa.UniqueConstraint("fai_id", "characteristic_id", name=op.f("uq_fai_characteristic_notes_fai_id_characteristic_id")),
    )
    op.create_table(
        "fai_runs",
        _id(),
        sa.Column("fai_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        _fai_fk("fai_runs"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_fai_runs_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fai_runs")),
        sa.UniqueConstraint("fai_id", "run_id", name=op.f("uq_fai_runs_fai_id_run_id")),
    )


def downgrade() -> None:
    op.drop_table("fai_runs")
    op.drop_table("fai_characteristic_notes")
    op.drop_index("ix_fai_form2_rows_fai_id", table_name="fai_form2_rows")
    op.drop_table("fai_form2_rows")
    op.drop_index("ix_fai_reports_recipe_serial", table_name="fai_reports")
    op.drop_table("fai_reports")
