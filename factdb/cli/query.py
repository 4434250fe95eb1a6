"""`factdb query ...`: one command per canned query in the registry, plus read-only `sql`.

The commands are generated from :data:`factdb.queries.QUERIES`: a required parameter is
an argument, an optional one an option; every command takes --db and --format.
"""

from __future__ import annotations

import functools
import inspect
import keyword
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from factdb.cli.common import DEFAULT_DB, DbOption, err, user_errors
from factdb.query.guard import DEFAULT_TIMEOUT, guarded
from factdb.query.output import Format, render
from factdb.query.registry import QUERIES, CannedQuery, Param

app = typer.Typer(
    no_args_is_help=True,
    help="Ask the database: canned questions, full-text search, or read-only SQL.",
)

FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
SqlArgument = Annotated[str, typer.Argument(help="One read-only SQL statement.",
                                            metavar="SQL", show_default=False)]
TimeoutOption = Annotated[float, typer.Option(
    "--timeout", min=0, metavar="SECONDS",
    help="Stop the query after this many seconds (0: no limit).")]


def interruptible(func: Callable[..., None]) -> Callable[..., None]:
    """Ctrl-C (SIGINT) ends the command with one line and exit status 130, no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            func(*args, **kwargs)
        except KeyboardInterrupt:
            err("interrupted")
            raise typer.Exit(130) from None

    return wrapper


def show(columns: list[str], rows: list[tuple], fmt: Format) -> None:
    """Write rows to stdout; an empty table is said on stderr, so stdout stays parseable."""
    if not rows and fmt is Format.table:
        err("(no rows)")
        return
    # Wrap only for a person at a terminal: a pipe gets whole ids and words, one row a line.
    width = max(shutil.get_terminal_size((80, 24)).columns, 40) if sys.stdout.isatty() else None
    print(render(columns, rows, fmt, width), end="")


def _canned_command(query: CannedQuery) -> Callable[..., None]:
    def command(db: Path, format: Format, **values: str | None) -> None:
        from factdb.query.run import connect, run

        conn = connect(db)
        try:
            with guarded(conn):
                result = run(conn, query, {p.name: values[_arg(p)] for p in query.params})
        finally:
            conn.close()
        show(result.columns, result.rows, format)

    parameters = [_parameter(p) for p in query.params] + [
        inspect.Parameter("db", inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_DB,
                          annotation=DbOption),
        inspect.Parameter("format", inspect.Parameter.KEYWORD_ONLY, default=Format.table,
                          annotation=FormatOption),
    ]
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__name__ = query.name
    command.__doc__ = query.description
    return interruptible(user_errors(command))


def _arg(param: Param) -> str:
    """The Python name of a parameter ("from" is a keyword)."""
    return f"{param.name}_" if keyword.iskeyword(param.name) else param.name


def _parameter(param: Param) -> inspect.Parameter:
    if param.required:
        info: Any = typer.Argument(help=param.help, metavar=param.metavar, show_default=False)
        default: Any = inspect.Parameter.empty
    else:
        info = typer.Option(param.option, help=param.help, metavar=param.metavar,
                            show_default=False)
        default = None
    annotation = Annotated[str, info] if param.required else Annotated[str | None, info]
    return inspect.Parameter(_arg(param), inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=annotation)


for _query in QUERIES.values():
    # search text may start with "-" ("-security"): read it as text, not as an unknown option
    takes_text = any(p.check == "search" for p in _query.params)
    app.command(name=_query.name, help=_query.description,
                context_settings={"ignore_unknown_options": True} if takes_text else None,
                )(_canned_command(_query))


@app.command(name="sql")
@interruptible
@user_errors
def sql(statement: SqlArgument, db: DbOption = DEFAULT_DB,
        format: FormatOption = Format.table, timeout: TimeoutOption = DEFAULT_TIMEOUT) -> None:
    """Ad hoc SQL, read-only: anything that would write or reach outside is refused."""
    from factdb.query.adhoc import run_sql
    from factdb.query.run import connect

    conn = connect(db)
    try:
        with guarded(conn, timeout):
            result = run_sql(conn, statement)
    finally:
        conn.close()
    show(result.columns, result.rows, format)
