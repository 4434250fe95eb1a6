"""What every command shares: the --db/--seeds options and the one way errors are shown."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from factdb.errors import FactdbError, SeedErrors

DbOption = Annotated[
    Path, typer.Option("--db", help="SQLite database file.", dir_okay=False, show_default=True)
]
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
