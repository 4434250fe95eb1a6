"""Alembic environment for factdb: SQLite (batch mode) or PostgreSQL, a shared connection
when given (factdb's own commands pass theirs, inside their transaction)."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from factdb.store.models import metadata

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# `alembic -x db=PATH ...` picks the database file from the command line.
_db = context.get_x_argument(as_dictionary=True).get("db")
if _db and _db.startswith(("postgresql://", "postgres://")):
    URL = "postgresql+psycopg://" + _db.split("://", 1)[1]
else:
    URL = f"sqlite:///{_db}" if _db else config.get_main_option("sqlalchemy.url")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave full-text search (FTS5 tables; PostgreSQL tsvector columns and their indexes,
    created by raw SQL in migrations) and factdb's marker table out of model comparisons."""
    if type_ in ("table", "column", "index") and name and "_fts" in name:
        return False
    return not (type_ == "table" and name == "factdb_marker")


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
        **kwargs,
    )


def run_offline() -> None:
    _configure(url=URL, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(URL, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
