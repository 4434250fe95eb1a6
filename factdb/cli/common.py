"""What every command shares: the --db/--seeds options and the one way errors are shown."""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from factdb.cli.messages import os_error_message, shorten, unshowable
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
    try:
        folder = Path(value).is_dir()
    except OSError:  # a name too long for the file system: the command says so
        folder = False
    if folder:  # as Typer's own check for a file option says it
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
    """Turn a user's mistake into one message on stderr and exit status 1 (2 for an argument
    that is not text), never a traceback: a FactdbError, a path the system refuses (a name
    too long), output that cannot be written (a full device) or shown (a terminal's
    encoding)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _refuse_undecodable(func, kwargs)
            try:
                return func(*args, **kwargs)
            finally:
                sys.stdout.flush()  # a full device says so here, not at interpreter exit
        except SeedErrors as exc:
            err(str(exc))
            raise typer.Exit(1) from None
        except FactdbError as exc:
            err(f"error: {exc}")
            raise typer.Exit(1) from None
        except OSError as exc:
            message = os_error_message(exc)
            if message:
                err(f"error: {message}")
            raise typer.Exit(1) from None
        except UnicodeEncodeError as exc:
            err(f"error: {unshowable(exc)}")
            raise typer.Exit(1) from None

    return wrapper


def _refuse_undecodable(func: Callable[..., Any], kwargs: dict[str, Any]) -> None:
    """Text arguments holding bytes that are not UTF-8 (Python keeps them as lone
    surrogates) are refused as a usage error, exit 2. Paths may hold such bytes: a file
    name on Linux is bytes, and the file is opened by them."""
    for name, value in kwargs.items():
        for text in value if isinstance(value, list | tuple) else [value]:
            if isinstance(text, str) and (bad := _first_surrogate(text)) is not None:
                shown = "".join(f"\\x{ord(c) & 0xFF:02x}" if "\ud800" <= c <= "\udfff" else c
                                for c in shorten(text))
                err(f"error: {_label(func, name)}: '{shown}' is not UTF-8 text (byte "
                    f"0x{bad:02x}); give it in UTF-8")
                raise typer.Exit(2)


def _first_surrogate(text: str) -> int | None:
    for char in text:
        if "\udc80" <= char <= "\udcff":
            return ord(char) - 0xDC00
        if "\ud800" <= char <= "\udfff":
            return ord(char) & 0xFF
    return None


def _label(func: Callable[..., Any], name: str) -> str:
    """How the user wrote a parameter: its option (``--speaker``) or argument (``WORDS``)."""
    try:
        param = inspect.signature(func, eval_str=True).parameters[name]
    except (KeyError, NameError, TypeError, ValueError):
        return name
    for meta in getattr(param.annotation, "__metadata__", ()):
        decls = [d for d in getattr(meta, "param_decls", ()) or () if d.startswith("--")]
        if isinstance(meta, typer.models.OptionInfo):
            return decls[0] if decls else f"--{name.replace('_', '-')}"
        if isinstance(meta, typer.models.ArgumentInfo):
            return meta.metavar or name.upper()
    return name
