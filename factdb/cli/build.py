"""`factdb build`: seeds in, database out."""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

from factdb.cli.common import DEFAULT_DB, DEFAULT_SEEDS, DbOption, SeedsOption, err, user_errors

# Words that need no quoting between double quotes in a POSIX shell.
_SAFE_IN_DOUBLE_QUOTES = re.compile(r'[^"$`\\!]*')


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
    for note in result.notes:
        err(f"note: {note}")
    from factdb.store.db import is_url

    if is_url(db):  # a PostgreSQL URL, shown without its password
        from factdb.store.db import shown

        where, path = shown(str(db)), result.path
    else:
        if Path(result.path) != Path(db):
            err(f"{db} is a symbolic link: built the file it points to, {result.path}")
        where, path = str(Path(result.path).resolve()), Path(result.path)
    width = max(len(t) for t in result.counts)
    lines = [f"  {table:<{width}}  {count:>8,}" for table, count in result.counts.items()]
    print(f"built {where} (schema {result.revision}) in {result.seconds:.2f}s", *lines,
          sep="\n")
    err(f"next, try: {next_step(path, db)}")


def next_step(path: Path, db: Path) -> str:
    """A query to paste: what the top speaker of the database just built said, by the
    shortest name that means only them, spelled as this factdb was run (``uv run`` sets UV)."""
    from factdb.query.examples import busiest_speaker, shortest_name
    from factdb.query.run import connect

    command = "uv run factdb" if os.environ.get("UV") else "factdb"
    where = f" --db {shlex.quote(str(db))}" if db != DEFAULT_DB else ""
    conn = connect(path)
    try:
        top = busiest_speaker(conn)
        if top is None:
            return f"{command} query timeline{where}"
        name = shortest_name(conn, top)
    finally:
        conn.close()
    said = f'"{name}"' if _SAFE_IN_DOUBLE_QUOTES.fullmatch(name) else shlex.quote(name)
    return f"{command} query said {said}{where}"
