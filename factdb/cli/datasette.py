"""`factdb serve` and `factdb datasette-config`: browse the database in Datasette."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from factdb.cli.common import DEFAULT_DB, DbOption, err, user_errors

PortOption = Annotated[int, typer.Option("--port", "-p", help="Port to listen on.",
                                        min=1, max=65535)]
HostOption = Annotated[str, typer.Option(
    "--host", help="Address to listen on; 0.0.0.0 lets other machines connect.")]
OutputOption = Annotated[Path, typer.Option(
    "--output", "-o", help="File to write the configuration (JSON) to.", dir_okay=False)]
ForceOption = Annotated[bool, typer.Option(
    "--force", help="Overwrite --output even if factdb did not write it.")]


@user_errors
def serve(db: DbOption = DEFAULT_DB, port: PortOption = 8001,
          host: HostOption = "127.0.0.1") -> None:
    """Browse the database in Datasette (read-only), with factdb's canned queries."""
    from factdb.web.serve import serve as run

    run(db, host, port)


@user_errors
def datasette_config(db: DbOption = DEFAULT_DB,
                     output: OutputOption = Path("metadata.json"),
                     force: ForceOption = False) -> None:
    """Write Datasette's configuration for the database, for the plain `datasette` command."""
    from factdb.web.serve import setting_args, write

    files = write(db, output, force)
    print(*(f"wrote {path}" for _, path in files), sep="\n")
    options = " ".join([f"{option} {path}" for option, path in files] + setting_args())
    err(f"next, try: datasette -i {db} {options}")
