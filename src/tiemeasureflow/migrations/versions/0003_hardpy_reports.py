"""HardPy reports: original report, cases, measurements, and the dut_info index of runs

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "hardpy_reports",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("stand_key_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.String(length=255), nullable=True),
        sa.Column("test_plan_name", sa.String(length=255), nullable=True),
        sa.Column("hardpy_status", sa.String(length=20), nullable=False),
        sa.Column("stand_name", sa.String(length=255), nullable=True),
        sa.Column("stand_hw_id", sa.String(length=255), nullable=True),
        sa.Column("stand_info", sa.JSON(), nullable=False),
        sa.Column("dut_info", sa.JSON(), nullable=False),
        sa.Column("artifact", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_hardpy_reports_run_id_runs")),
        sa.ForeignKeyConstraint(["stand_key_id"], ["api_keys.id"], name=op.f("fk_hardpy_reports_stand_key_id_api_keys")),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_hardpy_reports")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_hardpy_reports_idempotency_key")),
    )
    with op.batch_alter_table("hardpy_reports", schema=None) as batch_op:
        batch_op.create_index("ix_hardpy_reports_stand_name", ["stand_name"], unique=False)
        batch_op.create_index("ix_hardpy_reports_stand_hw_id", ["stand_hw_id"], unique=False)

    op.create_table(
        "hardpy_cases",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.String(length=255), nullable=False),
        sa.Column("module_name", sa.Text(), nullable=True),
        sa.Column("case_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("group", sa.String(length=20), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.DateTime(), nullable=True),
        sa.Column("stop_time", sa.DateTime(), nullable=True),
        sa.Column("assertion_msg", sa.Text(), nullable=True),
        sa.Column("msg", sa.JSON(), nullable=True),
        sa.Column("artifact", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_hardpy_cases_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hardpy_cases")),
    )
    with op.batch_alter_table("hardpy_cases", schema=None) as batch_op:
        batch_op.create_index("ix_hardpy_cases_run", ["run_id", "position"], unique=False)

    op.create_table(
        "hardpy_measurements",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("case_id", BIGINT_PK, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("value_number", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=50), nullable=True),
        sa.Column("operation", sa.String(length=10), nullable=True),
        sa.Column("comparison_number", sa.Float(), nullable=True),
        sa.Column("comparison_text", sa.Text(), nullable=True),
        sa.Column("lower_limit", sa.Float(), nullable=True),
        sa.Column("upper_limit", sa.Float(), nullable=True),
        sa.Column("result", sa.Boolean(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["hardpy_cases.id"], name=op.f("fk_hardpy_measurements_case_id_hardpy_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hardpy_measurements")),
    )
    with op.batch_alter_table("hardpy_measurements", schema=None) as batch_op:
        batch_op.create_index("ix_hardpy_measurements_case", ["case_id", "position"], unique=False)

    op.create_table(
        "run_dut_info",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_run_dut_info_run_id_runs")),
        sa.PrimaryKeyConstraint("run_id", "key", name=op.f("pk_run_dut_info")),
    )
    with op.batch_alter_table("run_dut_info", schema=None) as batch_op:
        batch_op.create_index("ix_run_dut_info_key_value", ["key", "value", "run_id"], unique=False)


def downgrade() -> None:
    op.drop_table("run_dut_info")
    op.drop_table("hardpy_measurements")
    op.drop_table("hardpy_cases")
    op.drop_table("hardpy_reports")
