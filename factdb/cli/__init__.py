"""The factdb command line: a thin layer that parses, calls the library, and renders."""

from __future__ import annotations

import typer

from factdb.cli import add, datasette, db, query
from factdb.cli.build import build
from factdb.cli.curating import check, coverage, explain, locate
from factdb.cli.diff import diff
from factdb.cli.export import export
from factdb.cli.suggest import suggest

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Curated facts from news coverage, built into a queryable SQLite database.",
)
app.command()(build)
for command in (check, locate, coverage, explain, suggest):
    app.command()(command)
app.add_typer(add.app, name="add")
app.add_typer(db.app, name="db")
app.add_typer(query.app, name="query")
app.command()(datasette.serve)
app.command("datasette-config")(datasette.datasette_config)
app.command()(diff)
app.command()(export)


def main() -> None:
    import contextlib
    import sys

    with contextlib.suppress(AttributeError, ValueError):  # not a TextIOWrapper
        # A file name that is not UTF-8 is printed as the bytes it was given as.
        sys.stdout.reconfigure(errors="surrogateescape")  # type: ignore[union-attr]
    try:
        app(prog_name="factdb")
    except OSError as exc:  # help or usage text written to a full device, outside commands
        from factdb.cli.common import err, os_error_message

        if message := os_error_message(exc):
            err(f"error: {message}")
        sys.exit(1)
