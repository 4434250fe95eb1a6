"""`factdb diff`: what a change to the seeds does to the database, between git revisions."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from factdb.cli.common import DEFAULT_SEEDS, SeedsOption, user_errors


class DiffFormat(StrEnum):
    table = "table"
    json = "json"


@user_errors
def diff(
    rev1: Annotated[str | None, typer.Argument(
        help="The old side: a git revision (default HEAD).", metavar="REV1",
        show_default=False)] = None,
    rev2: Annotated[str | None, typer.Argument(
        help="The new side: a git revision (default: the working tree).", metavar="REV2",
        show_default=False)] = None,
    seeds: SeedsOption = DEFAULT_SEEDS,
    fmt: Annotated[DiffFormat, typer.Option("--format", help="table for reading, json for tools.")
                   ] = DiffFormat.table,
) -> None:
    """Build the seeds of two revisions and list every fact added, removed or changed (exit 0)."""
    from factdb.curate.diff.sides import diff as run_diff
    from factdb.curate.diff.view import table, to_json

    result = run_diff(seeds, rev1, rev2)
    print(table(result) if fmt is DiffFormat.table else to_json(result), end="")
