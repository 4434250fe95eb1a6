"""The factdb command line: a thin layer that parses, calls the library, and renders.

The Typer application is :mod:`factdb.cli.commands`; `factdb query ...` is first tried by the
fast parser (:mod:`factdb.cli.fast`), which spares importing Typer, and goes to Typer for
anything it does not take (help, a mistake, an unusual spelling).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (type checkers know it)
if TYPE_CHECKING:
    from typing import Any


def main() -> None:
    import contextlib

    with contextlib.suppress(AttributeError, ValueError):  # not a TextIOWrapper
        # A file name that is not UTF-8 is printed as the bytes it was given as.
        sys.stdout.reconfigure(errors="surrogateescape")  # type: ignore[union-attr]
    argv = sys.argv[1:]
    try:
        if argv[:1] == ["query"]:
            from factdb.cli import fast

            status = fast.run(argv[1:])
            if status is not None:
                sys.exit(status)
        from factdb.cli.commands import app

        app(prog_name="factdb")
    except OSError as exc:  # help or usage text written to a full device, outside commands
        from factdb.cli.common import err, os_error_message

        if message := os_error_message(exc):
            err(f"error: {message}")
        sys.exit(1)


def __getattr__(name: str) -> Any:
    if name == "app":  # `from factdb.cli import app`, without importing Typer for main()
        from factdb.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
