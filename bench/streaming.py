"""First row fast, whole answer at the speed of plain sqlite3: `factdb query ... --format csv`.

Two measures on one database:
- rows/s: the library (stream + output.write, CSV) against plain sqlite3 + csv.writer on the
  same SQL and parameters (the factdb_* functions registered on both), in this process,
  writing to /dev/null, runs alternated;
- time to first row: the whole `factdb query` process, from start to its first data line on
  the pipe, and to its end, for CSV and JSON.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.querybench import sample_params

# The largest answers: every event (timeline with no filter), what the busiest speaker said.
QUERIES = ("timeline", "said")


def _params(db: Path, name: str) -> dict[str, str | None]:
    from factdb.query.registry import QUERIES as REGISTRY

    chosen = {"timeline": {}, "said": sample_params(db)["said"]}[name]
    return {p.name: chosen.get(p.name) for p in REGISTRY[name].params}


def throughput(db: Path, runs: int) -> list[dict]:
    """Rows/s of factdb's CSV against plain sqlite3's, per query (median of ``runs``)."""
    from factdb.query import run as querying
    from factdb.query import sqlfunctions
    from factdb.query.output import Format, write
    from factdb.query.registry import QUERIES as REGISTRY

    lib = querying.connect(db)
    raw = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    sqlfunctions.register(raw)
    out = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    results = []
    try:
        for name in QUERIES:
            params = _params(db, name)
            rows = len(querying.run(lib, name, params).rows)  # warms the page cache
            mine, plain = [], []

            def factdb_csv(n=name, p=params):
                result = querying.stream(lib, n, p)
                write(result.columns, result.batches, Format.csv, out)

            def sqlite3_csv(sql=REGISTRY[name].sql, p=params):
                cursor = raw.execute(sql, p)
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow([d[0] for d in cursor.description])
                writer.writerows(cursor)

            for _ in range(runs):  # alternated
                for func, times in ((factdb_csv, mine), (sqlite3_csv, plain)):
                    started = time.perf_counter()
                    func()
                    times.append(time.perf_counter() - started)
            a, b = statistics.median(mine), statistics.median(plain)
            results.append({"query": name, "params": params, "rows": rows,
                            "factdb_rows_per_s": rows / a, "sqlite3_rows_per_s": rows / b,
                            "ratio": b / a})
    finally:
        out.close()
        lib.close()
        raw.close()
    return results


def first_row(db: Path, runs: int) -> list[dict]:
    """Whole `factdb query` processes: seconds to the first data row, and to the end."""
    factdb = str(Path(sys.executable).parent / "factdb")
    results = []
    for name in QUERIES:
        args = [str(v) for v in _params(db, name).values() if v]
        for fmt in ("csv", "json"):
            argv = [factdb, "query", name, *args, "--db", str(db), "--format", fmt]
            first, whole = [], []
            for _ in range(runs + 1):
                started = time.perf_counter()
                proc = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
                # CSV: the header, then the first row; JSON: "[", "  {", then its first field
                for _ in range(2 if fmt == "csv" else 3):
                    proc.stdout.readline()
                at_first = time.perf_counter() - started
                lines = 3 + sum(1 for _ in proc.stdout)
                proc.wait()
                first.append(at_first)
                whole.append(time.perf_counter() - started)
            first, whole = first[1:], whole[1:]  # the first run warmed the caches
            results.append({"query": name, "format": fmt, "lines": lines,
                            "first_row_s": statistics.median(first),
                            "whole_s": statistics.median(whole)})
    return results


def first_rows(db: Path, runs: int) -> list[dict]:
    """Every canned query (and timeline over every event): milliseconds from asking the
    library to the first row in hand, in this process (median of ``runs``, after a warm-up)."""
    from factdb.query import run as querying
    from factdb.query.registry import QUERIES as REGISTRY

    chosen = sample_params(db)
    asked = [(name, {p.name: chosen.get(name, {}).get(p.name) for p in q.params})
             for name, q in REGISTRY.items()]
    asked.append(("timeline", {p.name: None for p in REGISTRY["timeline"].params}))
    conn = querying.connect(db)
    results = []
    try:
        for name, params in asked:
            times = []
            for _ in range(runs + 1):
                started = time.perf_counter()
                batches = querying.stream(conn, name, params).batches
                next(iter(batches), None)
                times.append(time.perf_counter() - started)
                for _ in batches:  # drain, so the next run starts from a finished statement
                    pass
            given = {k: v for k, v in params.items() if v}
            results.append({"query": name, "params": given,
                            "first_row_ms": statistics.median(times[1:]) * 1000})
    finally:
        conn.close()
    return results
