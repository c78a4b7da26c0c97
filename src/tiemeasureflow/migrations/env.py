"""Alembic environment: runs against the connection or URL handed in by tiemeasureflow.migrate."""

from alembic import context
from sqlalchemy import create_engine

from tiemeasureflow.migrations.partitions import is_partition
from tiemeasureflow.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # The monthly partitions of measurements are made at run time, not by the models.
        include_name=lambda name, type_, parent: not (type_ == "table" and is_partition(name)),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
