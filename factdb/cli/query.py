"""`factdb query ...`: one command per canned query in the registry, plus read-only `sql`.

The commands are made from :func:`factdb.cli.queryspec.commands` (the registry's Params and
the shared options), as is the fast parser of :mod:`factdb.cli.fast`: a required parameter
is an argument, an optional one an option; every command takes --db and --format.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from factdb.cli import queryspec
from factdb.cli.common import DEFAULT_DB, DbTarget, parse_db, user_errors
from factdb.cli.queryspec import Argument, Command, Option
from factdb.query.output import Format

app = typer.Typer(
    no_args_is_help=True,
    help="Ask the database: canned questions, full-text search, or read-only SQL.",
)

_TYPES: dict[str, Any] = {"path": Path, "format": Format, "seconds": float, "text": str | None,
                          "flag": bool}


def _option(option: Option) -> inspect.Parameter:
    extra: dict[str, Any] = {}
    if option.kind == "path":  # --db: a file or a PostgreSQL URL, and $FACTDB_DB
        info = typer.Option(*option.flags, help=option.help, parser=parse_db, show_default=True)
        return inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY,
                                 default=DEFAULT_DB, annotation=Annotated[DbTarget, info])
    elif option.kind == "format":
        extra = {"case_sensitive": False}
    elif option.kind == "seconds":
        extra = {"min": 0}
    elif option.kind == "flag":  # --all alone: no --no-all
        extra = {"show_default": False}
    else:
        extra = {"show_default": False}
    info = typer.Option(*option.flags, help=option.help, metavar=option.metavar, **extra)
    return inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY, default=option.default,
                             annotation=Annotated[_TYPES[option.kind], info])


def _argument(argument: Argument) -> inspect.Parameter:
    info = typer.Argument(help=argument.help, metavar=argument.metavar, show_default=False)
    return inspect.Parameter(argument.name, inspect.Parameter.KEYWORD_ONLY,
                             annotation=Annotated[str, info])


def _command(spec: Command) -> Callable[..., None]:
    def command(**values: Any) -> None:
        db, fmt = values.pop("db"), values.pop("format")
        if spec.name == "sql":
            status = queryspec.exit_status(queryspec.sql, values["statement"], db, fmt,
                                           values["timeout"])
        else:
            status = queryspec.exit_status(queryspec.canned, spec.name, db, fmt, values)
        if status:
            raise typer.Exit(status)

    parameters = [_argument(a) for a in spec.arguments] + [_option(o) for o in spec.options]
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__name__ = spec.name
    command.__doc__ = spec.help
    return user_errors(command)  # arguments that are not UTF-8, output that cannot be shown


for _spec in queryspec.commands().values():
    # search text may start with "-" ("-security"): read it as text, not as an unknown option
    app.command(name=_spec.name, help=_spec.help,
                context_settings={"ignore_unknown_options": True} if _spec.takes_text else None,
                )(_command(_spec))
