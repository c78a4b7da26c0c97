"""Migrations: from an empty database to head, down to nothing and up again; the schema matches the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from tiemeasureflow.config.server import Settings
from tiemeasureflow.kit.db import make_engine
from tiemeasureflow.migrations import alembic_config, upgrade
from tiemeasureflow.migrations.partitions import is_partition
from tiemeasureflow.migrations.seed import GENESIS_HASH
from tiemeasureflow.models import Base

PARTITIONED_DIFFERENCES = [("remove_index", "ix_measurements_supersedes"), ("add_index", "ix_measurements_supersedes"),
                           ("add_fk", "fk_measurements_supersedes_id_measurements")]
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def engine_for(url: str, tmp_path) -> sa.Engine:
    settings = Settings(_env_file=None, database_url=url, data_dir=tmp_path / "data")
    if settings.sqlite_path is not None:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.resolved_database_url, poolclass=sa.NullPool)


def downgrade(engine: sa.Engine, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def schema_differences(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True,
                                                         "include_name": not_a_partition})
        found = compare_metadata(context, Base.metadata)
    if engine.dialect.name != "postgresql":
        return found
    # The partitioned measurements table checks supersedes_id with a trigger (migrations/partitions.py):
    # no foreign key, and its index cannot be unique without the partition key. Exactly those differ.
    named = [(d[0], d[1].name) for d in found]
    assert sorted(named) == sorted(PARTITIONED_DIFFERENCES), named
    return []


def not_a_partition(name, type_, parent_names) -> bool:
    return not (type_ == "table" and is_partition(name))


def revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def user_tables(engine: sa.Engine) -> set[str]:
    return {t for t in sa.inspect(engine).get_table_names() if not is_partition(t)} - {"alembic_version"}


def test_empty_database_migrates_to_a_schema_that_matches_the_models(empty_database_url, tmp_path):
    engine = engine_for(empty_database_url, tmp_path)
    try:
        assert user_tables(engine) == set()
        upgrade(engine)
        assert revision(engine) == HEAD
        assert user_tables(engine) == set(Base.metadata.tables)
        assert schema_differences(engine) == []
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT last_hash FROM audit_head WHERE id = 1")).scalar() == GENESIS_HASH
            assert conn.execute(sa.text("SELECT code FROM stations")).scalars().all() == ["ST-DEFAULT"]
    finally:
        engine.dispose()


def test_downgrade_to_nothing_and_upgrade_again(empty_database_url, tmp_path):
    engine = engine_for(empty_database_url, tmp_path)
    try:
        upgrade(engine)
        downgrade(engine, "base")
        assert revision(engine) is None and user_tables(engine) == set()
        upgrade(engine)
        assert revision(engine) == HEAD and schema_differences(engine) == []
        upgrade(engine)  # running it again changes nothing
        assert revision(engine) == HEAD
    finally:
        engine.dispose()


def test_every_step_goes_down_and_up_again(empty_database_url, tmp_path):
    engine = engine_for(empty_database_url, tmp_path)
    revisions = [r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
    try:
        upgrade(engine)
        for rev in revisions:  # newest first
            downgrade(engine, "-1")
            upgrade(engine, rev)
            assert revision(engine) == rev
            downgrade(engine, "-1")
        assert revision(engine) is None
        upgrade(engine)
        assert schema_differences(engine) == []
    finally:
        engine.dispose()
