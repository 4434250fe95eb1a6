"""What `factdb query` takes and does, defined once and without Typer.

The Typer commands (:mod:`factdb.cli.query`) and the fast parser (:mod:`factdb.cli.fast`)
are both made from :func:`commands`: arguments and options come from the registry's Params
and from the shared options below, so the two cannot drift. Running a command is
:func:`exit_status` of :func:`canned` or :func:`sql`, shared by both.
"""

from __future__ import annotations

import keyword
import os
import sys
from collections import namedtuple

from factdb.errors import FactdbError, SeedErrors
from factdb.query.guard import DEFAULT_TIMEOUT, guarded
from factdb.query.output import Format, table, write
from factdb.query.registry import QUERIES

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (type checkers know it)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path
    from typing import Any, Literal

    from factdb.query.canned import Param

    Kind = Literal["path", "format", "seconds", "text", "flag"]

# A file name, not a Path: pathlib costs milliseconds to import (the Typer commands' default
# is cli.common.DEFAULT_DB, Path(DEFAULT_DB); a test checks).
DEFAULT_DB = "factdb.db"


# Named tuples from collections, not dataclasses or typing.NamedTuple: this module is on
# every query command's way, and dataclasses and typing cost milliseconds to import.
class Option(namedtuple("Option", "name flags kind default help metavar", defaults=(None,))):
    """One option: its Python name, its flags, how its value is read, its default."""

    __slots__ = ()
    name: str
    flags: tuple[str, ...]
    kind: Kind
    default: Any
    help: str
    metavar: str | None


class Argument(namedtuple("Argument", "name help metavar")):
    """One positional argument (a required parameter)."""

    __slots__ = ()
    name: str
    help: str
    metavar: str


class Command(namedtuple("Command", "name help arguments options takes_text",
                         defaults=(False,))):
    """One `factdb query` command."""

    __slots__ = ()
    name: str
    help: str
    arguments: tuple[Argument, ...]
    options: tuple[Option, ...]
    takes_text: bool  # a value may start with "-" (search words such as "-security")


DB_HELP = ("SQLite database file, or a PostgreSQL URL (postgresql://user@host/dbname); "
           "default: $FACTDB_DB if set.")
DB = Option("db", ("--db",), "path", DEFAULT_DB, DB_HELP)
FORMAT = Option("format", ("--format", "-f"), "format", Format.table, "Output format.")
TIMEOUT = Option("timeout", ("--timeout",), "seconds", DEFAULT_TIMEOUT,
                 "Stop the query after this many seconds (0: no limit).", "SECONDS")
SQL_HELP = "Ad hoc SQL, read-only: anything that would write or reach outside is refused."


def python_name(param: Param) -> str:
    """The Python name of a parameter ("from" is a keyword)."""
    return f"{param.name}_" if keyword.iskeyword(param.name) else param.name


def commands() -> dict[str, Command]:
    """Every `factdb query` command: one per canned query, then `sql`."""
    out = {}
    for query in QUERIES.values():
        arguments = tuple(Argument(python_name(p), p.help, p.metavar)
                          for p in query.params if p.required)
        options = tuple(Option(python_name(p), (p.option,), "flag", False, p.help)
                        if p.check == "flag" else
                        Option(python_name(p), (p.option,), "text", None, p.help, p.metavar)
                        for p in query.params if not p.required)
        out[query.name] = Command(query.name, query.description, arguments,
                                  (*options, DB, FORMAT),
                                  any(p.check == "search" for p in query.params))
    out["sql"] = Command("sql", SQL_HELP, (Argument("statement", "One read-only SQL statement.",
                                                    "SQL"),), (DB, FORMAT, TIMEOUT))
    return out


def err(message: str) -> None:
    print(message, file=sys.stderr)


def exit_status(func: Callable[..., None], *args: Any) -> int:
    """Run a command: 0, or its message on stderr and 1 (a mistake) or 130 (Ctrl-C)."""
    try:
        func(*args)
    except KeyboardInterrupt:
        err("interrupted")
        return 130
    except SeedErrors as exc:
        err(str(exc))
        return 1
    except FactdbError as exc:
        err(f"error: {exc}")
        return 1
    except OSError as exc:  # a full device, a name the system refuses
        from factdb.cli.messages import os_error_message

        if message := os_error_message(exc):
            err(f"error: {message}")
        return 1
    except UnicodeEncodeError as exc:  # a terminal whose encoding cannot show the answer
        from factdb.cli.messages import unshowable

        err(f"error: {unshowable(exc)}")
        return 1
    return 0


def show(columns: list[str], batches: Iterable[list[tuple]], fmt: Format) -> None:
    """Write rows to stdout, JSON and CSV as they come; an empty table is said on stderr,
    so stdout stays parseable."""
    if fmt is not Format.table:
        write(columns, batches, fmt, sys.stdout)
        return
    rows = [row for batch in batches for row in batch]
    if not rows:
        err("(no rows)")
        return
    # Wrap only for a person at a terminal: a pipe gets whole ids and words, one row a line.
    width = max(terminal_width(), 40) if sys.stdout.isatty() else None
    sys.stdout.write(table(columns, rows, width))


def terminal_width() -> int:
    """shutil.get_terminal_size((80, 24)).columns, without importing shutil (and with it
    zlib, bz2 and lzma: milliseconds on every table)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def canned(name: str, db: str | Path, fmt: Format, values: dict[str, str | None]) -> None:
    """`factdb query NAME`: values by Python name (see :func:`python_name`)."""
    from factdb.query.run import connect, stream

    query = QUERIES[name]
    conn = connect(db)
    try:
        with guarded(conn):
            result = stream(conn, query, {p.name: _value(values.get(python_name(p)))
                                          for p in query.params})
            show(result.columns, result.batches, fmt)
    finally:
        conn.close()


def _value(value: str | bool | None) -> str | None:
    """A parameter's value for the query: a flag given is "1", a flag not given empty."""
    if isinstance(value, bool):
        return "1" if value else ""
    return value


def sql(statement: str, db: str | Path, fmt: Format, timeout: float) -> None:
    """`factdb query sql`."""
    from factdb.query.adhoc import run_sql
    from factdb.query.run import connect

    conn = connect(db)
    try:
        with guarded(conn, timeout):
            result = run_sql(conn, statement)
    finally:
        conn.close()
    show(result.columns, [result.rows], fmt)
