"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 04:51:16.521561
"""

import sqlalchemy as sa
from alembic import op

from tiemeasureflow.migrations.immutability import create_measurement_immutability, drop_measurement_immutability
from tiemeasureflow.migrations.seed import insert_defaults

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


CURRENT_VERSION_FK = "fk_recipes_current_version_id_recipe_versions"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _current_version_fk() -> list:
    # recipes and recipe_versions point at each other: SQLite takes the forward
    # reference inline, PostgreSQL gets the constraint once both tables exist.
    if _sqlite():
        return [sa.ForeignKeyConstraint(["current_version_id"], ["recipe_versions.id"], name=CURRENT_VERSION_FK)]
    return []


def upgrade() -> None:

    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_event_id', sa.BigInteger(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('display_name', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('language_pref', sa.String(length=5), nullable=False),
    sa.Column('theme_pref', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('api_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_api_keys_created_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_keys_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys'))
    )
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.create_index('ix_api_keys_user_active', ['user_id', 'revoked_at'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_key_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('entity_type', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=True),
    sa.Column('old_values', sa.JSON(), nullable=True),
    sa.Column('new_values', sa.JSON(), nullable=True),
    sa.Column('client_ip', sa.String(length=64), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_actor', ['actor_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_audit_events_entity', ['entity_type', 'entity_id'], unique=False)
        batch_op.create_index('ix_audit_events_occurred_at', ['occurred_at'], unique=False)

    op.create_table('recipes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_recipes_created_by_users')),
    *_current_version_fk(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipes')),
    sa.UniqueConstraint('code', name=op.f('uq_recipes_code'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], name=op.f('fk_settings_updated_by_users')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('stations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('location', sa.String(length=255), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_stations_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stations')),
    sa.UniqueConstraint('code', name=op.f('uq_stations_code'))
    )
    op.create_table('characteristics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_characteristics_recipe_id_recipes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_characteristics'))
    )
    with op.batch_alter_table('characteristics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_characteristics_recipe_id'), ['recipe_id'], unique=False)

    op.create_table('recipe_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('change_notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_recipe_versions_created_by_users')),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_recipe_versions_recipe_id_recipes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipe_versions')),
    sa.UniqueConstraint('recipe_id', 'version_number', name=op.f('uq_recipe_versions_recipe_id_version_number'))
    )
    op.create_table('station_recipe_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by'], ['users.id'], name=op.f('fk_station_recipe_assignments_assigned_by_users')),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_station_recipe_assignments_recipe_id_recipes')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_station_recipe_assignments_station_id_stations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_station_recipe_assignments')),
    sa.UniqueConstraint('station_id', 'recipe_id', name=op.f('uq_station_recipe_assignments_station_id_recipe_id'))
    )
    with op.batch_alter_table('station_recipe_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_station_recipe_assignments_recipe_id'), ['recipe_id'], unique=False)

    if not _sqlite():
        op.create_foreign_key(CURRENT_VERSION_FK, "recipes", "recipe_versions", ["current_version_id"], ["id"])
    op.create_table('files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=1024), nullable=False),
    sa.Column('thumbnail_path', sa.String(length=1024), nullable=True),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_files_recipe_id_recipes')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['users.id'], name=op.f('fk_files_uploaded_by_users')),
    sa.ForeignKeyConstraint(['version_id'], ['recipe_versions.id'], name=op.f('fk_files_version_id_recipe_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_files')),
    sa.UniqueConstraint('path', name=op.f('uq_files_path'))
    )
    op.create_table('runs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('recipe_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('part_number', sa.String(length=255), nullable=False),
    sa.Column('serial_number', sa.String(length=255), nullable=False),
    sa.Column('lot_number', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('auto_finish', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'], name=op.f('fk_runs_operator_id_users')),
    sa.ForeignKeyConstraint(['recipe_id'], ['recipes.id'], name=op.f('fk_runs_recipe_id_recipes')),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name=op.f('fk_runs_station_id_stations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['recipe_versions.id'], name=op.f('fk_runs_version_id_recipe_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.create_index('ix_runs_operator_open', ['operator_id', 'status'], unique=False)
        batch_op.create_index('ix_runs_part_serial', ['part_number', 'serial_number', 'started_at'], unique=False)
        batch_op.create_index('ix_runs_recipe_serial', ['recipe_id', 'serial_number', 'attempt'], unique=False)
        batch_op.create_index('ix_runs_started', ['started_at', 'id'], unique=False)
        batch_op.create_index('ix_runs_station_started', ['station_id', 'started_at'], unique=False)
        batch_op.create_index('ix_runs_status_started', ['status', 'started_at'], unique=False)
        batch_op.create_index('ix_runs_version_started', ['version_id', 'started_at'], unique=False)
        batch_op.create_index('ix_runs_part_started', ['part_number', 'started_at'], unique=False)
        batch_op.create_index('ix_runs_serial_started', ['serial_number', 'started_at'], unique=False)
        batch_op.create_index('ix_runs_lot_started', ['lot_number', 'started_at'], unique=False)
        batch_op.create_index('ix_runs_attempt_started', ['attempt', 'started_at'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('order_index', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('directive', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('file_type', sa.String(length=20), nullable=True),
    sa.Column('annotations_json', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['file_id'], ['files.id'], name=op.f('fk_tasks_file_id_files')),
    sa.ForeignKeyConstraint(['version_id'], ['recipe_versions.id'], name=op.f('fk_tasks_version_id_recipe_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_version_order', ['version_id', 'order_index'], unique=False)

    op.create_table('subtasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('characteristic_id', sa.Integer(), nullable=False),
    sa.Column('marker_number', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('measurement_type', sa.String(length=30), nullable=False),
    sa.Column('nominal', sa.Float(), nullable=True),
    sa.Column('utl', sa.Float(), nullable=True),
    sa.Column('uwl', sa.Float(), nullable=True),
    sa.Column('lwl', sa.Float(), nullable=True),
    sa.Column('ltl', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['characteristic_id'], ['characteristics.id'], name=op.f('fk_subtasks_characteristic_id_characteristics')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_subtasks_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subtasks')),
    sa.UniqueConstraint('task_id', 'marker_number', name=op.f('uq_subtasks_task_id_marker_number'))
    )
    with op.batch_alter_table('subtasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subtasks_characteristic_id'), ['characteristic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_subtasks_task_id'), ['task_id'], unique=False)

    op.create_table('measurements',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_id', sa.Uuid(), nullable=False),
    sa.Column('subtask_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('characteristic_id', sa.Integer(), nullable=False),
    sa.Column('measured_by', sa.Integer(), nullable=True),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('pass_fail', sa.String(length=10), nullable=False),
    sa.Column('deviation', sa.Float(), nullable=True),
    sa.Column('lot_number', sa.String(length=255), nullable=True),
    sa.Column('serial_number', sa.String(length=255), nullable=True),
    sa.Column('input_method', sa.String(length=20), nullable=False),
    sa.Column('measured_at', sa.DateTime(), nullable=False),
    sa.Column('supersedes_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['characteristic_id'], ['characteristics.id'], name=op.f('fk_measurements_characteristic_id_characteristics')),
    sa.ForeignKeyConstraint(['measured_by'], ['users.id'], name=op.f('fk_measurements_measured_by_users')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_measurements_run_id_runs')),
    sa.ForeignKeyConstraint(['subtask_id'], ['subtasks.id'], name=op.f('fk_measurements_subtask_id_subtasks')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['measurements.id'], name=op.f('fk_measurements_supersedes_id_measurements')),
    sa.ForeignKeyConstraint(['version_id'], ['recipe_versions.id'], name=op.f('fk_measurements_version_id_recipe_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurements'))
    )
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.create_index('ix_measurements_char_time', ['characteristic_id', 'measured_at', 'id', 'value', 'version_id', 'pass_fail'], unique=False)
        batch_op.create_index('ix_measurements_lot', ['lot_number', 'measured_at'], unique=False)
        batch_op.create_index('ix_measurements_measured_at', ['measured_at'], unique=False)
        batch_op.create_index('ix_measurements_measured_by_time', ['measured_by', 'measured_at'], unique=False)
        batch_op.create_index('ix_measurements_pass_fail_time', ['pass_fail', 'measured_at'], unique=False)
        batch_op.create_index('ix_measurements_run', ['run_id', 'subtask_id'], unique=False)
        batch_op.create_index('ix_measurements_serial', ['serial_number', 'measured_at'], unique=False)
        batch_op.create_index('ix_measurements_subtask_time', ['subtask_id', 'measured_at'], unique=False)
        batch_op.create_index('ix_measurements_supersedes', ['supersedes_id'], unique=True)
        batch_op.create_index('ix_measurements_version_time', ['version_id', 'measured_at'], unique=False)
    op.create_table('tested_duts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=255), nullable=False),
    sa.Column('serial_number', sa.String(length=255), nullable=False),
    sa.Column('last_run_id', sa.Uuid(), nullable=False),
    sa.Column('last_started_at', sa.DateTime(), nullable=False),
    sa.Column('attempt_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['last_run_id'], ['runs.id'], name=op.f('fk_tested_duts_last_run_id_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tested_duts')),
    sa.UniqueConstraint('part_number', 'serial_number', name=op.f('uq_tested_duts_part_number_serial_number'))
    )
    with op.batch_alter_table('tested_duts', schema=None) as batch_op:
        batch_op.create_index('ix_tested_duts_last_started', ['last_started_at', 'id'], unique=False)
        batch_op.create_index('ix_tested_duts_attempts', ['attempt_count', 'last_started_at'], unique=False)

    create_measurement_immutability(op.get_bind())
    insert_defaults(op.get_bind())


def downgrade() -> None:
    op.drop_table('tested_duts')
    drop_measurement_immutability(op.get_bind())
    if not _sqlite():
        op.drop_constraint(CURRENT_VERSION_FK, "recipes", type_="foreignkey")

    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.drop_index('ix_measurements_version_time')
        batch_op.drop_index('ix_measurements_supersedes')
        batch_op.drop_index('ix_measurements_subtask_time')
        batch_op.drop_index('ix_measurements_serial')
        batch_op.drop_index('ix_measurements_run')
        batch_op.drop_index('ix_measurements_measured_at')
        batch_op.drop_index('ix_measurements_lot')
        batch_op.drop_index('ix_measurements_char_time')

    op.drop_table('measurements')
    with op.batch_alter_table('subtasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subtasks_task_id'))
        batch_op.drop_index(batch_op.f('ix_subtasks_characteristic_id'))

    op.drop_table('subtasks')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_version_order')

    op.drop_table('tasks')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index('ix_runs_started')
        batch_op.drop_index('ix_runs_recipe_serial')
        batch_op.drop_index('ix_runs_part_serial')
        batch_op.drop_index('ix_runs_operator_open')

    op.drop_table('runs')
    op.drop_table('files')
    with op.batch_alter_table('station_recipe_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_station_recipe_assignments_recipe_id'))

    op.drop_table('station_recipe_assignments')
    op.drop_table('recipe_versions')
    with op.batch_alter_table('characteristics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_characteristics_recipe_id'))

    op.drop_table('characteristics')
    op.drop_table('stations')
    op.drop_table('settings')
    op.drop_table('recipes')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_occurred_at')
        batch_op.drop_index('ix_audit_events_entity')
        batch_op.drop_index('ix_audit_events_actor')

    op.drop_table('audit_events')
    with op.batch_alter_table('api_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_api_keys_user_active')

    op.drop_table('api_keys')
    op.drop_table('users')
    op.drop_table('audit_head')

