"""gauges and MSA: the gauge register, calibrations, characteristic gauge rules, studies, gauge on values

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gauges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("resolution", sa.Float(), nullable=True),
        sa.Column("range_min", sa.Float(), nullable=True),
        sa.Column("range_max", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("location", sa.String(length=255), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("calibration_interval_days", sa.Integer(), nullable=True),
        sa.Column("last_calibrated_on", sa.Date(), nullable=True),
        sa.Column("last_calibration_result", sa.String(length=20), nullable=True),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_gauges_station_id_stations"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_gauges_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gauges")),
        sa.UniqueConstraint("code", name=op.f("uq_gauges_code")),
    )
    op.create_table(
        "gauge_calibrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gauge_id", sa.Integer(), nullable=False),
        sa.Column("calibrated_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("certificate_number", sa.String(length=255), nullable=True),
        sa.Column("certificate_file_id", sa.Integer(), nullable=True),
        sa.Column("performed_by", sa.String(length=255), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["gauge_id"], ["gauges.id"], name=op.f("fk_gauge_calibrations_gauge_id_gauges")),
        sa.ForeignKeyConstraint(["certificate_file_id"], ["files.id"],
                                name=op.f("fk_gauge_calibrations_certificate_file_id_files")),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], name=op.f("fk_gauge_calibrations_recorded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gauge_calibrations")),
    )
    op.create_index("ix_gauge_calibrations_gauge_id", "gauge_calibrations", ["gauge_id"], unique=False)
    op.create_table(
        "characteristic_gauge_rules",
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("gauge_required", sa.Boolean(), nullable=False),
        sa.Column("allowed_kinds", sa.JSON(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["characteristic_id"], ["characteristics.id"],
                                name=op.f("fk_characteristic_gauge_rules_characteristic_id_characteristics")),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_characteristic_gauge_rules_updated_by_users")),
        sa.PrimaryKeyConstraint("characteristic_id", name=op.f("pk_characteristic_gauge_rules")),
    )
    op.create_table(
        "msa_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("gauge_code", sa.String(length=100), nullable=True),
        sa.Column("recipe_id", sa.Integer(), nullable=True),
        sa.Column("subtask_id", sa.Integer(), nullable=True),
        sa.Column("tolerance", sa.Float(), nullable=True),
        sa.Column("reference", sa.Float(), nullable=True),
        sa.Column("process_variation", sa.Float(), nullable=True),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("readings", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["recipe_id"], ["recipes.id"], name=op.f("fk_msa_studies_recipe_id_recipes")),
        sa.ForeignKeyConstraint(["subtask_id"], ["subtasks.id"], name=op.f("fk_msa_studies_subtask_id_subtasks")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_msa_studies_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_msa_studies")),
    )
    op.create_index("ix_msa_studies_gauge_code", "msa_studies", ["gauge_code"], unique=False)
    # A plain ADD COLUMN (no batch rebuild): the measurements table keeps its immutability triggers.
    op.add_column("measurements", sa.Column("gauge_code", sa.String(length=100), nullable=True))
    op.create_index("ix_measurements_gauge_time", "measurements", ["gauge_code", "measured_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_measurements_gauge_time", table_name="measurements")
    # A plain DROP COLUMN (SQLite 3.35+) rather than a batch rebuild, which would lose the triggers.
    op.drop_column("measurements", "gauge_code")
    op.drop_index("ix_msa_studies_gauge_code", table_name="msa_studies")
    op.drop_table("msa_studies")
    op.drop_table("characteristic_gauge_rules")
    op.drop_index("ix_gauge_calibrations_gauge_id", table_name="gauge_calibrations")
    op.drop_table("gauge_calibrations")
    op.drop_table("gauges")
