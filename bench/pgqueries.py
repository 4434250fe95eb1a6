"""`python -m bench.pgqueries SQLITE_DB POSTGRESQL_URL`: every canned query on both engines,
the same data, the same parameters (chosen from the data as bench.querybench chooses them).

    uv run python -m bench.pgqueries bench/out/pg-twin-1M.db postgresql://postgres@127.0.0.1/DB

Each query runs through ``factdb.query.run`` (a connection per engine kept open, rows
fetched), once to warm the caches, then ``--runs`` times alternating the engines; the
medians and PostgreSQL / SQLite are printed as a Markdown table. Nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from bench.querybench import sample_params


def compare(sqlite_db: Path, url: str, runs: int, log) -> list[dict]:
    from factdb.query import run as querying
    from factdb.query.registry import QUERIES

    chosen = sample_params(sqlite_db)
    engines = {"sqlite": querying.connect(sqlite_db), "postgresql": querying.connect(url)}
    results = []
    for name, query in QUERIES.items():
        values = chosen.get(name, {})
        params = {p.name: values.get(p.name) for p in query.params}
        rows = {e: len(querying.run(conn, name, params).rows) for e, conn in engines.items()}
        seconds: dict[str, list[float]] = {e: [] for e in engines}
        for i in range(runs):
            for engine in list(engines)[::-1 if i % 2 else 1]:
                started = time.perf_counter()
                querying.run(engines[engine], name, params)
                seconds[engine].append(time.perf_counter() - started)
        medians = {e: statistics.median(v) for e, v in seconds.items()}
        results.append({"query": name, "params": params, "rows": rows, "seconds": seconds,
                        "median": medians, "ratio": medians["postgresql"] / medians["sqlite"]})
        log(f"{name}: sqlite {medians['sqlite'] * 1000:.1f} ms, postgresql "
            f"{medians['postgresql'] * 1000:.1f} ms, rows {rows}")
    for conn in engines.values():
        conn.close()
    return results


def table(results: list[dict]) -> str:
    lines = ["| query | rows (SQLite / PostgreSQL) | SQLite ms | PostgreSQL ms | PG / SQLite |",
             "|---|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['query']} | {r['rows']['sqlite']} / {r['rows']['postgresql']} | "
                     f"{r['median']['sqlite'] * 1000:.1f} | "
                     f"{r['median']['postgresql'] * 1000:.1f} | {r['ratio']:.2f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sqlite_db", type=Path)
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args()
    results = compare(args.sqlite_db, args.url, args.runs,
                      lambda m: print(m, file=sys.stderr, flush=True))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
