"""Search mix and `actor` on a database against a copy of it as it was before migrations
0009 and 0010, alternated in one run: library time, wall and CPU (ms, medians).

The copy ("before") has its FTS5 tables made again without the prefix index (each table's
rebuild CPU time and size are printed, with the prefix index's), and its `actor` is run
with the SQL that summed up every statement, event and document on each call
(``--old-actor FILE``: that SQL's text, e.g. main's ``registry.ACTOR``; without it, only
search is compared). Both databases answer the same rows or the difference is printed.

    uv run python -m bench.prefixcompare DB COPY [--old-actor FILE] [--rounds 8]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import time
from pathlib import Path

from bench.querybench import sample_params
from bench.searchbench import _percentile, search_texts
from factdb.store.build import FTS_TABLES

COLUMNS = {"documents_fts": ("documents", "title, text"), "statements_fts": ("statements", "quote"),
           "events_fts": ("events", "description, place")}


def plain_copy(db: Path, copy: Path) -> None:
    """``copy``: ``db`` with its FTS5 tables made again without a prefix index; prints each
    rebuild's CPU time and each table's size in both."""
    shutil.copyfile(db, copy)
    conn = sqlite3.connect(copy, isolation_level=None)
    try:
        for t in FTS_TABLES:
            table, cols = COLUMNS[t]
            conn.execute(f"DROP TABLE {t}")
            conn.execute(f"CREATE VIRTUAL TABLE {t} USING fts5({cols}, content=[{table}], "
                         "tokenize='porter unicode61 remove_diacritics 2')")
            started = time.process_time()
            conn.execute(f"INSERT INTO {t}({t}) VALUES ('rebuild')")
            print(f"{t}: rebuilt without the prefix index in "
                  f"{time.process_time() - started:.2f} s CPU")
        conn.execute("VACUUM")
    finally:
        conn.close()
    for t in FTS_TABLES:
        sizes = []
        for path in (copy, db):
            c = sqlite3.connect(path)
            (size,) = c.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?",
                                (t + "%",)).fetchone()
            c.close()
            sizes.append(size / 1e6)
        print(f"{t}: {sizes[0]:.1f} MB without the prefix index, {sizes[1]:.1f} MB with")


def compare(before: Path, after: Path, old_actor: str | None, rounds: int) -> None:
    from factdb.query import run as querying

    texts, name = search_texts(after), sample_params(after)["actor"]["name"]
    conns = [querying.connect(before), querying.connect(after)]
    jobs = [(t, lambda c, t=t, i=None: querying.run(c, "search", {"text": t}).rows)
            for t in texts]
    jobs.append(("actor", lambda c, i: (c.execute(old_actor, {"name": name, "all": ""})
                                         .fetchall() if i == 0 and old_actor else
                                         querying.run(c, "actor", {"name": name}).rows)))
    wall: dict = {}
    cpu: dict = {}
    rows: dict = {}
    for r in range(rounds + 1):  # round 0 warms the caches up
        for i in ((0, 1) if r % 2 else (1, 0)):
            for label, job in jobs:
                w, p = time.perf_counter(), time.process_time()
                got = [tuple(x) for x in job(conns[i], i=i)]
                if r:
                    wall.setdefault((i, label), []).append((time.perf_counter() - w) * 1000)
                    cpu.setdefault((i, label), []).append((time.process_time() - p) * 1000)
                rows.setdefault(label, {})[i] = got
    for label, _ in jobs:
        same = "" if rows[label][0] == rows[label][1] else "  DIFFERENT ROWS"
        print(f"{label[:26]:26} " + "  ".join(
            f"{statistics.median(m[(i, label)]):8.1f}" for i in (0, 1) for m in (wall, cpu))
            + same)
    for kind, m in (("wall", wall), ("cpu", cpu)):
        p50, p95 = ([_percentile([statistics.median(m[(i, t)]) for t in texts], q)
                     for i in (0, 1)] for q in (0.5, 0.95))
        actor = [statistics.median(m[(i, "actor")]) for i in (0, 1)]
        print(f"{kind}: p50 {p50[0]:.1f} -> {p50[1]:.1f} ms, p95 {p95[0]:.1f} -> {p95[1]:.1f} ms,"
              f" actor ({name}) {actor[0]:.1f} -> {actor[1]:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("copy", type=Path)
    parser.add_argument("--old-actor", type=Path)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    plain_copy(args.db, args.copy)
    compare(args.copy, args.db, args.old_actor.read_text() if args.old_actor else None,
            args.rounds)


if __name__ == "__main__":
    main()
