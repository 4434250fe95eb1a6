"""What every command shares: the --db/--seeds options and the one way errors are shown."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from factdb.cli.queryspec import DB_HELP
from factdb.errors import FactdbError, SeedErrors


class DbTarget:
    """The type of --db's value as Typer sees it: a Path (a SQLite file) or a str (a
    PostgreSQL URL), made by :func:`parse_db` (a Path annotation would fold a URL's ``//``)."""


def parse_db(value: str | Path) -> Path:
    """A --db value: a SQLite file's path, or a ``postgresql://`` URL kept as it was written
    (a Path would fold its ``//``)."""
    from factdb.store.db import is_url

    if value is DEFAULT_DB and os.environ.get("FACTDB_DB"):  # no --db given: the variable
        value = os.environ["FACTDB_DB"]
    if is_url(value):
        return value  # type: ignore[return-value]
    if Path(value).is_dir():  # as Typer's own check for a file option says it
        raise typer.BadParameter(f"File {str(value)!r} is a directory.")
    return Path(value)


DbOption = Annotated[DbTarget, typer.Option("--db", help=DB_HELP, parser=parse_db,
                                            show_default=True)]
SeedsOption = Annotated[
    Path, typer.Option("--seeds", help="Folder of curated seed files.", show_default=True)
]
DEFAULT_DB = Path("factdb.db")
DEFAULT_SEEDS = Path("seeds")


def err(message: str) -> None:
    """Write a message for the user to stderr (stdout is kept for results)."""
    print(message, file=sys.stderr)


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a FactdbError into its message on stderr and exit status 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SeedErrors as exc:
            err(str(exc))
            raise typer.Exit(1) from None
        except FactdbError as exc:
            err(f"error: {exc}")
            raise typer.Exit(1) from None

    return wrapper
