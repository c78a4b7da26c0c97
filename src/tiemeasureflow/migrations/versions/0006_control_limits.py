"""Frozen control limit sets, run-rule configuration per characteristic, and shifts

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "control_limit_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("recipe_id", sa.Integer(), nullable=False),
        sa.Column("subtask_id", sa.Integer(), nullable=False),
        sa.Column("chart", sa.String(length=16), nullable=False),
        sa.Column("subgroup_size", sa.Integer(), nullable=False),
        sa.Column("center", sa.Float(), nullable=False),
        sa.Column("ucl", sa.Float(), nullable=True),
        sa.Column("lcl", sa.Float(), nullable=True),
        sa.Column("sigma", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("secondary_center", sa.Float(), nullable=True),
        sa.Column("secondary_ucl", sa.Float(), nullable=True),
        sa.Column("secondary_lcl", sa.Float(), nullable=True),
        sa.Column("constants", sa.String(length=10), nullable=False),
        sa.Column("baseline", sa.JSON(), nullable=False),
        sa.Column("values_used", sa.Integer(), nullable=False),
        sa.Column("subgroups_used", sa.Integer(), nullable=False),
        sa.Column("first_measurement_id", sa.BigInteger(), nullable=True),
        sa.Column("last_measurement_id", sa.BigInteger(), nullable=True),
        sa.Column("exclusions", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["characteristic_id"], ["characteristics.id"],
                                name=op.f("fk_control_limit_sets_characteristic_id_characteristics")),
        sa.ForeignKeyConstraint(["recipe_id"], ["recipes.id"], name=op.f("fk_control_limit_sets_recipe_id_recipes")),
        sa.ForeignKeyConstraint(["subtask_id"], ["subtasks.id"],
                                name=op.f("fk_control_limit_sets_subtask_id_subtasks")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_control_limit_sets_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_limit_sets")),
    )
    with op.batch_alter_table("control_limit_sets", schema=None) as batch_op:
        batch_op.create_index("ix_control_limit_sets_char_chart",
                              ["characteristic_id", "chart", "subgroup_size", "id"], unique=False)
    op.create_table(
        "rule_configs",
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("rule_set", sa.String(length=10), nullable=False),
        sa.Column("enabled", sa.JSON(), nullable=False),
        sa.Column("k_values", sa.JSON(), nullable=False),
        sa.Column("secondary_rules", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["characteristic_id"], ["characteristics.id"],
                                name=op.f("fk_rule_configs_characteristic_id_characteristics")),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_rule_configs_updated_by_users")),
        sa.PrimaryKeyConstraint("characteristic_id", name=op.f("pk_rule_configs")),
    )
    op.create_table(
        "shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("starts", sa.String(length=5), nullable=False),
        sa.Column("ends", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shifts")),
        sa.UniqueConstraint("name", name=op.f("uq_shifts_name")),
    )


def downgrade() -> None:
    op.drop_table("shifts")
    op.drop_table("rule_configs")
    with op.batch_alter_table("control_limit_sets", schema=None) as batch_op:
        batch_op.drop_index("ix_control_limit_sets_char_chart")
    op.drop_table("control_limit_sets")
