"""closed vocabularies guarded by the database: run status, judgment and input method

The raw-driver bulk path writes runs and measurements without the ORM or pydantic, so the
database refuses a value outside the vocabulary (CHECK on PostgreSQL, triggers on SQLite).
The values are written out here, as they stood at this revision; a later change to a vocabulary
(`kit/vocabulary.py`) needs its own migration.

Revision ID: 0016_conv
Revises: 0015
"""

from alembic import op

from tiemeasureflow.migrations.vocabulary import create_vocabulary_checks, drop_vocabulary_checks

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

CHECKS = {
    ("runs", "status"): ("in_progress", "pass", "warning", "fail", "aborted"),
    ("measurements", "pass_fail"): ("pass", "warning", "fail"),
    ("measurements", "input_method"): ("usb_caliper", "manual", "keyboard", "import", "hardpy", "qif", "dfq"),
}


def upgrade() -> None:
    create_vocabulary_checks(op.get_bind(), CHECKS)


def downgrade() -> None:
    drop_vocabulary_checks(op.get_bind(), list(CHECKS))
