"""`python -m bench.pgqueries SQLITE_DB POSTGRESQL_URL`: every canned query on both engines,
the same data, the same parameters (chosen from the data as bench.querybench chooses them).

    uv run python -m bench.pgqueries bench/out/pg-twin-1M.db postgresql://postgres@127.0.0.1/DB

Each query runs through ``factdb.query.run`` (a connection per engine kept open, rows
fetched), once to warm the caches, then ``--runs`` times alternating the engines; the
medians and PostgreSQL / SQLite are printed as a Markdown table. Beside the queries:

- the floor: ``SELECT 1`` through the same connections (PostgreSQL's is one round trip to
  the server; SQLite's is a call in this process), so that a query SQLite answers in less
  than a round trip can be read for what it is;
- search with more than one kind of question: common words, an actor's name (every
  spelling of it joins), a word no record holds (what asking alone costs), and each
  ``--search TEXT`` given;
- with ``--processes N``, whole ``factdb query`` commands on both engines, N rounds: what a
  user waits for, start-up and connection included.

Nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from bench.measure import run_child
from bench.querybench import sample_params

# Searches besides the registry's sample ("security talks", common words): an actor's name
# (the sampled speaker's last name, searched with all its spellings) and a word that the
# generated seeds never hold (bench.synth writes made-up words and common ones).
RARE_WORD = "indivisible"


def questions(sqlite_db: Path, searches: tuple[str, ...] = ()) -> list[tuple[str, str, dict]]:
    """(label, canned query, parameters): each canned query once, the extra searches, and
    ``searches`` (texts to search for, as typed)."""
    from factdb.query.registry import QUERIES

    chosen = sample_params(sqlite_db)
    asked = []
    for name, query in QUERIES.items():
        values = chosen.get(name, {})
        asked.append((name, name, {p.name: values.get(p.name) for p in query.params}))
        if name == "search":
            for text in (chosen["actor"]["name"].split()[-1], RARE_WORD, *searches):
                asked.append((f'search "{text}"', name, {"text": text}))
    return asked


def compare(sqlite_db: Path, url: str, runs: int, log,
            searches: tuple[str, ...] = ()) -> list[dict]:
    from factdb.query import run as querying

    engines = {"sqlite": querying.connect(sqlite_db), "postgresql": querying.connect(url)}
    asked = [("floor: SELECT 1", "", {}), *questions(sqlite_db, searches)]

    def ask(engine: str, name: str, params: dict) -> int:
        if not name:
            return len(engines[engine].execute("SELECT 1").fetchall())
        return len(querying.run(engines[engine], name, params).rows)

    results = []
    for label, name, params in asked:
        rows = {e: ask(e, name, params) for e in engines}
        seconds: dict[str, list[float]] = {e: [] for e in engines}
        for i in range(runs):
            for engine in list(engines)[::-1 if i % 2 else 1]:
                started = time.perf_counter()
                ask(engine, name, params)
                seconds[engine].append(time.perf_counter() - started)
        medians = {e: statistics.median(v) for e, v in seconds.items()}
        results.append({"query": label, "params": params, "rows": rows, "seconds": seconds,
                        "median": medians, "ratio": medians["postgresql"] / medians["sqlite"]})
        log(f"{label}: sqlite {medians['sqlite'] * 1000:.2f} ms, postgresql "
            f"{medians['postgresql'] * 1000:.2f} ms, rows {rows}")
    for conn in engines.values():
        conn.close()
    return results


def processes(sqlite_db: Path, url: str, rounds: int, log) -> list[dict]:
    """Whole `factdb query` commands, CSV to a pipe, on both engines: medians of ``rounds``
    rounds (one more first, to warm the caches), every command once a round."""
    factdb = str(Path(sys.executable).parent / "factdb")
    chosen = {label: (name, params) for label, name, params in questions(sqlite_db)}
    argvs = {}
    for label in ("actor", "document", "search"):
        name, params = chosen[label]
        args = [name, *[v for k, v in params.items() if k in ("name", "id", "text") and v]]
        for engine, db in (("sqlite", str(sqlite_db)), ("postgresql", url)):
            argvs[(label, engine)] = [factdb, "query", *args, "--db", db, "--format", "csv"]
    times: dict[tuple, list[float]] = {key: [] for key in argvs}
    for round_ in range(rounds + 1):
        for key, argv in argvs.items():
            seconds = run_child(argv, sample=False).seconds
            if round_:
                times[key].append(seconds)
    results = []
    for label in ("actor", "document", "search"):
        med = {e: statistics.median(times[(label, e)]) for e in ("sqlite", "postgresql")}
        results.append({"query": f"factdb query {label}", "median": med,
                        "ratio": med["postgresql"] / med["sqlite"]})
        log(f"process {label}: sqlite {med['sqlite'] * 1000:.0f} ms, postgresql "
            f"{med['postgresql'] * 1000:.0f} ms")
    return results


def table(results: list[dict]) -> str:
    lines = ["| query | rows (SQLite / PostgreSQL) | SQLite ms | PostgreSQL ms | PG / SQLite |",
             "|---|---:|---:|---:|---:|"]
    for r in results:
        rows = f"{r['rows']['sqlite']} / {r['rows']['postgresql']}" if "rows" in r else "-"
        lines.append(f"| {r['query']} | {rows} | {r['median']['sqlite'] * 1000:.2f} | "
                     f"{r['median']['postgresql'] * 1000:.2f} | {r['ratio']:.2f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sqlite_db", type=Path)
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--processes", type=int, default=0, metavar="N",
                        help="also time whole `factdb query` commands, N rounds")
    parser.add_argument("--search", action="append", default=[], metavar="TEXT",
                        help="also time a search for TEXT (as typed; repeatable)")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    results = compare(args.sqlite_db, args.url, args.runs, log, tuple(args.search))
    if args.processes:
        results += processes(args.sqlite_db, args.url, args.processes, log)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
