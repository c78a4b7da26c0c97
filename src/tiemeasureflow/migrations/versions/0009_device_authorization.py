"""Device authorization grants and stand tokens (HardPy sc-login)

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_authorizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=100), nullable=False),
        sa.Column("scope", sa.String(length=255), nullable=False),
        sa.Column("device_code_hash", sa.String(length=64), nullable=False),
        sa.Column("user_code", sa.String(length=9), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("last_polled_at", sa.DateTime(), nullable=True),
        sa.Column("stand_name", sa.String(length=255), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"],
                                name=op.f("fk_device_authorizations_station_id_stations")),
        sa.ForeignKeyConstraint(["key_id"], ["api_keys.id"], name=op.f("fk_device_authorizations_key_id_api_keys")),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_device_authorizations_decided_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_authorizations")),
        sa.UniqueConstraint("device_code_hash", name=op.f("uq_device_authorizations_device_code_hash")),
        sa.UniqueConstraint("user_code", name=op.f("uq_device_authorizations_user_code")),
    )
    with op.batch_alter_table("device_authorizations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_authorizations_key_id"), ["key_id"], unique=False)
    op.create_table(
        "stand_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["key_id"], ["api_keys.id"], name=op.f("fk_stand_tokens_key_id_api_keys")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stand_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_stand_tokens_token_hash")),
    )
    with op.batch_alter_table("stand_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stand_tokens_key_id"), ["key_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stand_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stand_tokens_key_id"))
    op.drop_table("stand_tokens")
    with op.batch_alter_table("device_authorizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_authorizations_key_id"))
    op.drop_table("device_authorizations")
