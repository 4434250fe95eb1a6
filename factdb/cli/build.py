"""`factdb build`: seeds in, database out."""

from __future__ import annotations

import sys
from pathlib import Path

from factdb.cli.common import DEFAULT_DB, DEFAULT_SEEDS, DbOption, SeedsOption, err, user_errors

NEXT_STEP = 'factdb query said "Lavrov"'


@user_errors
def build(seeds: SeedsOption = DEFAULT_SEEDS, db: DbOption = DEFAULT_DB) -> None:
    """Validate the seeds and build the database from them, replacing it only on success."""
    from factdb.store.build import build as run_build

    if sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("reading seeds", total=None)
            result = run_build(seeds, db, lambda done, total: bar.update(
                task, completed=done, total=total))
    else:
        result = run_build(seeds, db)
    if Path(result.path) != Path(db):
        err(f"{db} is a symbolic link: built the file it points to, {result.path}")
    width = max(len(t) for t in result.counts)
    lines = [f"  {table:<{width}}  {count:>8,}" for table, count in result.counts.items()]
    print(f"built {Path(result.path).resolve()} (schema {result.revision}) "
          f"in {result.seconds:.2f}s", *lines, sep="\n")
    err(f"next, try: {NEXT_STEP}" + (f" --db {db}" if db != DEFAULT_DB else ""))
