"""`factdb db upgrade|downgrade|current|history` on a PostgreSQL database: the same Alembic
migrations, run on the schema ``factdb`` in one transaction (PostgreSQL's DDL is
transactional: a failed migration changes nothing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from factdb.errors import FactdbError
from factdb.store import postgres as pg


@contextmanager
def _session(url: str) -> Iterator[tuple[object, psycopg.Connection]]:
    """A SQLAlchemy connection in one transaction (search_path: factdb), and its psycopg one."""
    from sqlalchemy import create_engine, pool
    from sqlalchemy.exc import DBAPIError

    raw = pg.connect(url)
    engine = create_engine("postgresql+psycopg://", creator=lambda: raw,
                           poolclass=pool.StaticPool)
    try:
        with engine.begin() as conn:
            raw.execute(f"SET LOCAL search_path TO {pg.SCHEMA}")
            yield conn, raw
    except DBAPIError as exc:
        raise FactdbError(f"{pg.shown(url)}: the migration failed "
                          f"({' '.join(str(exc.orig).split())}); nothing changed") from None
    finally:
        raw.close()
        engine.dispose()


def _run(conn: object, action: str, revision: str) -> None:
    from alembic import command

    from factdb.store import migrate

    config = migrate.alembic_config_for(conn)
    getattr(command, action)(config, revision)


def upgrade(url: str, revision: str = "head", create: bool = True) -> None:
    from factdb.store import migrate

    with _session(url) as (conn, raw):
        found = pg.identify(raw)
        if found.kind == "foreign":
            raise pg.refusal(url, found, "migrate")
        if found.kind == "blank":
            if not create:
                raise FactdbError(f"{pg.shown(url)}: holds no factdb schema; build it with "
                                  f"`factdb build --db {pg.shown(url)}`, or make an empty one "
                                  f"with `factdb db upgrade --create --db {pg.shown(url)}`")
            raw.execute(f"CREATE SCHEMA IF NOT EXISTS {pg.SCHEMA}")
            pg.mark(raw)
        else:
            migrate.check_known(pg.shown(url), found.revision)
        with migrate.target_errors(pg.shown(url)):
            _run(conn, "upgrade", revision)


def downgrade(url: str, revision: str) -> None:
    from factdb.store import migrate

    with _session(url) as (conn, raw):
        found = pg.identify(raw)
        if found.kind == "foreign":
            raise pg.refusal(url, found, "migrate")
        if found.kind == "blank":
            raise FactdbError(f"{pg.shown(url)}: holds no factdb schema; build it with "
                              f"`factdb build --db {pg.shown(url)}`")
        migrate.check_known(pg.shown(url), found.revision)
        with migrate.target_errors(pg.shown(url)):
            _run(conn, "downgrade", revision)


def revision(url: str) -> str | None:
    """The revision factdb's database at ``url`` is at (refusing anyone else's)."""
    raw = pg.connect(url)
    try:
        found = pg.identify(raw)
    finally:
        raw.close()
    if found.kind == "foreign":
        raise pg.refusal(url, found, "read")
    if found.kind == "blank":
        raise FactdbError(f"{pg.shown(url)}: holds no factdb schema; build it with "
                          f"`factdb build --db {pg.shown(url)}`")
    return found.revision
