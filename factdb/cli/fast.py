"""`factdb query ...` without Typer: a small parser made from the same command definitions.

Typer's import is most of a query command's time. :func:`parse` reads only the plainest
spellings (``--opt VALUE``, ``--opt=VALUE``, ``-f VALUE``, arguments in place, each value
as Typer would convert it); on anything else (help, ``--``, an unknown or missing option,
a value Typer might refuse) it returns None and Typer parses, so usage errors and help
are always Typer's own.
"""

from __future__ import annotations

import os
import stat
import sys

from factdb.cli import queryspec
from factdb.query.output import Format

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (type checkers know it)
if TYPE_CHECKING:
    from typing import Any

    from factdb.cli.queryspec import Command, Option

_DEFER = object()
_FORMATS = {f.value for f in Format}


def parse(argv: list[str]) -> tuple[Command, dict[str, Any]] | None:
    """The command and its values by Python name, or None to leave argv to Typer."""
    if not argv or not all(arg.isascii() or _utf8(arg) for arg in argv):
        return None  # bytes that are not UTF-8: Typer's commands name them
    spec = queryspec.commands().get(argv[0])
    if spec is None:
        return None
    flags = {flag: option for option in spec.options for flag in option.flags}
    values: dict[str, Any] = {o.name: o.default for o in spec.options}
    positional: list[str] = []
    tokens = iter(argv[1:])
    for token in tokens:
        if not token.startswith("-"):
            positional.append(token)
            continue
        flag, eq, value = token.partition("=") if token.startswith("--") else (token, "", "")
        option = flags.get(flag)
        if option is None or (option.kind == "flag" and eq):
            return None  # (Typer says a flag takes no value)
        if option.kind == "flag":
            values[option.name] = True
            continue
        if not eq:
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
        converted = _convert(option, value)
        if converted is _DEFER:
            return None
        values[option.name] = converted
    if len(positional) != len(spec.arguments) or _convert(queryspec.DB, values["db"]) is _DEFER:
        return None
    if values["db"] is queryspec.DEFAULT_DB and os.environ.get("FACTDB_DB"):
        return None  # the database named by $FACTDB_DB: Typer's --db reads it
    values.update((a.name, v) for a, v in zip(spec.arguments, positional, strict=True))
    return spec, values


def _convert(option: Option, value: Any) -> Any:
    """The value as Typer would give it, or _DEFER where Typer might say something."""
    if option.kind == "format":
        return Format(value.lower()) if value.lower() in _FORMATS and value.isascii() else _DEFER
    if option.kind == "seconds":
        plain = value.isascii() and value.replace(".", "", 1).isdigit()  # 2, 0.5, .5, 2.
        return float(value) if plain else _DEFER
    if option.kind == "path":
        if isinstance(value, str) and value.startswith(("postgresql://", "postgres://")):
            return value  # a URL, kept as written (a Path would fold its "//")
        try:
            mode = os.stat(value).st_mode
        except (OSError, ValueError):
            return value
        if stat.S_ISDIR(mode) or not os.access(value, os.R_OK):
            return _DEFER  # Typer's own "is a directory" / "is not readable"
        return value  # a file name as given (not a Path: pathlib costs milliseconds)
    return value


def _utf8(arg: str) -> bool:
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: a byte the file system gave undecoded
        return False
    return True


def run(argv: list[str]) -> int | None:
    """Run `factdb query` with ``argv`` (after "query"): its exit status, or None when the
    arguments are left to Typer."""
    parsed = parse(argv)
    if parsed is None:
        return None
    spec, values = parsed
    db, fmt = values.pop("db"), values.pop("format")
    try:
        if spec.name == "sql":
            status = queryspec.exit_status(queryspec.sql, values["statement"], db, fmt,
                                           values["timeout"])
        else:
            status = queryspec.exit_status(queryspec.canned, spec.name, db, fmt, values)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at exit
        return status
    except BrokenPipeError:  # the reader left (`| head`): exit 1 quietly, as Typer does
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
