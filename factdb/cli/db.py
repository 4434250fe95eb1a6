"""`factdb db ...`: drive Alembic migrations on a chosen database."""

from __future__ import annotations

from typing import Annotated

import typer

from factdb.cli.common import DEFAULT_DB, DbOption, user_errors

app = typer.Typer(no_args_is_help=True, help="Migrate a database's schema (Alembic).")
Revision = Annotated[str, typer.Argument(help="Target revision, e.g. head, base, 0001, -1.")]


CreateOption = Annotated[bool, typer.Option(
    "--create", help="Make an empty database at --db if there is none (else: refused).")]


@app.command()
@user_errors
def upgrade(revision: Revision = "head", db: DbOption = DEFAULT_DB,
            create: CreateOption = False) -> None:
    """Upgrade the schema to a later revision (default: head)."""
    from factdb.store import migrate

    migrate.upgrade(db, revision, create=create)
    print(f"{db}: at {migrate.current(db)}")


@app.command(context_settings={"ignore_unknown_options": True})  # so `-1` is a revision
@user_errors
def downgrade(revision: Revision, db: DbOption = DEFAULT_DB) -> None:
    """Downgrade the schema to an earlier revision (e.g. -1, base)."""
    from factdb.store import migrate

    migrate.downgrade(db, revision)
    print(f"{db}: at {migrate.current(db)}")


@app.command()
@user_errors
def current(db: DbOption = DEFAULT_DB) -> None:
    """Show the database's schema revision."""
    from factdb.store import migrate

    print(migrate.current(db))


@app.command()
@user_errors
def history(db: DbOption = DEFAULT_DB) -> None:
    """List every schema revision, newest first, marking head and current."""
    from factdb.store import migrate

    for rev in migrate.history(db):
        marks = [m for m, on in (("head", rev.is_head), ("current", rev.is_current)) if on]
        suffix = f" ({', '.join(marks)})" if marks else ""
        print(f"{rev.down_revision or 'base'} -> {rev.revision}{suffix}: {rev.message}")

