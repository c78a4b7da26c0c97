"""Plan versions: drafts, release signatures, change summaries; per-version balloon labels; tolerance text

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("recipe_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=10), server_default="released", nullable=False))
        batch_op.add_column(sa.Column("change_summary", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("signed_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("signed_by_name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("signed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("signature_meaning", sa.String(length=30), nullable=True))
        batch_op.create_foreign_key(op.f("fk_recipe_versions_signed_by_users"), "users", ["signed_by"], ["id"])
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_task_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("subtasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("tolerance_text", sa.String(length=60), nullable=True))
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.add_column(sa.Column("page_count", sa.Integer(), nullable=True))
    _label_existing()


def _label_existing() -> None:
    """Number every version's characteristics 1..N in task order, then balloon order."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT s.id, t.version_id FROM subtasks s JOIN tasks t ON t.id = s.task_id "
        "ORDER BY t.version_id, t.order_index, t.id, s.marker_number, s.id")).all()
    counters: dict[int, int] = {}
    for subtask_id, version_id in rows:
        counters[version_id] = counters.get(version_id, 0) + 1
        conn.execute(sa.text("UPDATE subtasks SET label = :label WHERE id = :id"),
                     {"label": str(counters[version_id]), "id": subtask_id})


def downgrade() -> None:
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.drop_column("page_count")
    with op.batch_alter_table("subtasks", schema=None) as batch_op:
        batch_op.drop_column("tolerance_text")
        batch_op.drop_column("label")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("source_task_id")
    with op.batch_alter_table("recipe_versions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_recipe_versions_signed_by_users"), type_="foreignkey")
        batch_op.drop_column("signature_meaning")
        batch_op.drop_column("signed_at")
        batch_op.drop_column("signed_by_name")
        batch_op.drop_column("signed_by")
        batch_op.drop_column("change_summary")
        batch_op.drop_column("status")
