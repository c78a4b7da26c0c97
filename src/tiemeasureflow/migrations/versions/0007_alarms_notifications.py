"""Alarms, assignable causes, characteristic class and reaction plan, event outbox, webhooks and deliveries

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from tiemeasureflow.migrations.seed import insert_cause_defaults

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("subtasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("characteristic_class", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("reaction_plan", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("cpk_target", sa.Float(), nullable=True))

    op.create_table(
        "assignable_causes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignable_causes")),
        sa.UniqueConstraint("code", name=op.f("uq_assignable_causes_code")),
    )
    op.create_table(
        "alarms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rule", sa.String(length=50), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("recipe_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("subtask_id", sa.Integer(), nullable=True),
        sa.Column("characteristic_id", sa.Integer(), nullable=False),
        sa.Column("measurement_id", BIGINT_PK, nullable=True),
        sa.Column("measurement_ids", sa.JSON(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("run_id", sa.Uuid(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("cpk", sa.Float(), nullable=True),
        sa.Column("cpk_target", sa.Float(), nullable=True),
        sa.Column("limits", sa.JSON(), nullable=True),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.Column("cause_code", sa.String(length=50), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["recipe_id"], ["recipes.id"], name=op.f("fk_alarms_recipe_id_recipes")),
        sa.ForeignKeyConstraint(["version_id"], ["recipe_versions.id"], name=op.f("fk_alarms_version_id_recipe_versions")),
        sa.ForeignKeyConstraint(["subtask_id"], ["subtasks.id"], name=op.f("fk_alarms_subtask_id_subtasks")),
        sa.ForeignKeyConstraint(["characteristic_id"], ["characteristics.id"],
                                name=op.f("fk_alarms_characteristic_id_characteristics")),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"], name=op.f("fk_alarms_station_id_stations"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["operator_id"], ["users.id"], name=op.f("fk_alarms_operator_id_users")),
        sa.ForeignKeyConstraint(["acknowledged_by"], ["users.id"], name=op.f("fk_alarms_acknowledged_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alarms")),
    )
    with op.batch_alter_table("alarms", schema=None) as batch_op:
        batch_op.create_index("ix_alarms_status_detected", ["status", "detected_at"], unique=False)
        batch_op.create_index("ix_alarms_char_status", ["characteristic_id", "kind", "status"], unique=False)
        batch_op.create_index("ix_alarms_station_recipe_status", ["station_id", "recipe_id", "status"], unique=False)
        batch_op.create_index("ix_alarms_detected", ["detected_at"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("type", sa.String(length=50), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_dispatched", ["dispatched_at", "id"], unique=False)

    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(length=255), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", BIGINT_PK, nullable=False),
        sa.Column("event_id", BIGINT_PK, nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_deliveries_event_id_events")),
        sa.ForeignKeyConstraint(["webhook_id"], ["webhooks.id"], name=op.f("fk_deliveries_webhook_id_webhooks"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_deliveries_webhook", ["webhook_id", "id"], unique=False)

    op.create_table(
        "worker_cursors",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_worker_cursors")),
    )
    insert_cause_defaults(op.get_bind())


def downgrade() -> None:
    op.drop_table("worker_cursors")
    op.drop_table("deliveries")
    op.drop_table("webhooks")
    op.drop_table("events")
    op.drop_table("alarms")
    op.drop_table("assignable_causes")
    with op.batch_alter_table("subtasks", schema=None) as batch_op:
        batch_op.drop_column("cpk_target")
        batch_op.drop_column("reaction_plan")
        batch_op.drop_column("characteristic_class")
