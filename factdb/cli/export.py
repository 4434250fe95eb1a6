"""`factdb export`: the database as Parquet, CSV, JSON Lines or W3C Web Annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from factdb.cli.common import DEFAULT_DB, DbOption, user_errors
from factdb.export import ExportFormat


@user_errors
def export(
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", help="parquet, csv or jsonl: one file per table and view; web-annotation: "
        "every evidence span as a W3C Web Annotation (annotations.jsonld).",
        show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", help="Folder to write (replaced whole, only once every file is written).",
        show_default=False)],
    db: DbOption = DEFAULT_DB,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace --output even if factdb export did not write it.")] = False,
) -> None:
    """Export the database for other tools; factdb-export.json in the folder lists the files."""
    from factdb.export.run import export_database

    result = export_database(db, fmt, output, force=force)
    width = max(len(f.file) for f in result.files)
    lines = [f"  {f.file:<{width}}  {f.rows:>9,} "
             + ("annotations" if f.kind == "annotations" else "rows") for f in result.files]
    print(f"exported {result.database['path']} (schema {result.database['schema_revision']}) "
          f"as {result.format} to {result.output} in {result.seconds:.2f}s", *lines, sep="\n")
