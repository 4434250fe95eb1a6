"""`python -m bench.buildsteps SEEDS DB`: one full build from nothing in this process, with
the time of each of its steps; DB a file, or a ``postgresql://`` URL of a database to
build into (made for the run beside it and dropped after, when it ends in ``/new``).

    uv run python -m bench.buildsteps bench/out/seeds-100k /tmp/f.db
    uv run python -m bench.buildsteps bench/out/seeds-100k postgresql://postgres@127.0.0.1/new

Each step's seconds and when it ended (from the start), the loader's CPU time and its
parsing workers'. On PostgreSQL the steps after loading run on the server, one after the
other: what they cost beside the bare COPY baseline (bench.pgbench) shows here.
"""

from __future__ import annotations

import resource
import shutil
import sys
import time
import uuid
from pathlib import Path

from bench.measure import time_calls

spent: dict[str, float] = {}
ended: dict[str, float] = {}
started = time.perf_counter()


def _timed(owner: object, name: str) -> None:
    time_calls(owner, name, spent, ended, started)


def _sqlite(seeds: Path, db: Path) -> None:
    from factdb.store import build as builder
    from factdb.store import ftsaside
    from factdb.store.cache import CACHE_DIR

    shutil.rmtree(db.parent / CACHE_DIR, ignore_errors=True)
    db.unlink(missing_ok=True)
    for name in ("_empty_database", "_load", "verify", "_fsync"):
        _timed(builder, name)
    _timed(builder.seeds, "load")
    _timed(ftsaside.Aside, "_rebuild")
    _timed(ftsaside.Aside, "finish")
    builder.build(seeds, db)


def _postgresql(seeds: Path, url: str) -> None:
    import psycopg

    from factdb.store import pgload

    for name in ("_lock", "_migrate", "add_indexes", "_add_keys", "verify", "_swap"):
        _timed(pgload, name)
    _timed(pgload._Server, "_copy")
    _timed(pgload.seeds, "load")
    server, _, name = url.rpartition("/")
    made = name == "new"
    if made:
        name = f"factdb_steps_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 LC_COLLATE 'C' "
                          "LC_CTYPE 'C'")
    try:
        pgload.build(seeds, f"{server}/{name}")
    finally:
        if made:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    seeds, db = Path(sys.argv[1]), sys.argv[2]
    if db.startswith("postgresql://"):
        _postgresql(seeds, db)
    else:
        _sqlite(seeds, Path(db))
    total = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"build {total:.2f} s; loader CPU {own.ru_utime + own.ru_stime:.2f} s, "
          f"workers CPU {children.ru_utime + children.ru_stime:.2f} s")
    for name in sorted(spent, key=ended.get):
        print(f"  {name:16s} {spent[name]:7.2f} s  (ended at {ended[name]:7.2f} s)")


if __name__ == "__main__":
    main()
