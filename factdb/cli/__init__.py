"""The factdb command line: a thin layer that parses, calls the library, and renders.

The Typer application is :mod:`factdb.cli.commands`; `factdb query ...` is first tried by the
fast parser (:mod:`factdb.cli.fast`), which spares importing Typer, and goes to Typer for
anything it does not take (help, a mistake, an unusual spelling).
"""

from __future__ import annotations

import sys
from typing import Any


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["query"]:
        from factdb.cli import fast

        status = fast.run(argv[1:])
        if status is not None:
            sys.exit(status)
    from factdb.cli.commands import app

    app(prog_name="factdb")


def __getattr__(name: str) -> Any:
    if name == "app":  # `from factdb.cli import app`, without importing Typer for main()
        from factdb.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
