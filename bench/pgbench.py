"""`python -m bench.pgbench`: factdb's PostgreSQL build next to its SQLite build and a bare
COPY baseline, on the same generated seeds, in the same run.

    uv run python -m bench.pgbench --sizes 10000 100000 --runs 3

- sqlite: `factdb build --db FILE` (from nothing: no parse cache);
- postgresql: `factdb build --db postgresql://…` into a database made for the run;
- copy: the same rows (already read from the seeds, so no parsing, validating, migrating
  or verifying), loaded into the same schema in one transaction (see :func:`bare_copy`):
  what loading alone costs on this server, to the same end state (tsvector columns, every
  index, the foreign keys, statistics).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from bench import synth
from bench.measure import compile_bytecode, machine, run_child, summary
from factdb.seeds import load as seeds
from factdb.seeds.load import COLUMNS
from factdb.store.cache import CACHE_DIR
from factdb.store.pgload import add_indexes, copy_lines, drop_indexes

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgresql://postgres@127.0.0.1:5432"
ARMS = ("sqlite", "postgresql", "copy")


def _spool(seed_dir: Path, folder: Path) -> dict[str, Path]:
    files = {t: folder / f"{t}.copy" for t in COLUMNS}
    handles = {t: open(f, "w", encoding="utf-8") for t, f in files.items()}  # noqa: SIM115
    try:
        seeds.load(seed_dir, None, lambda t, rows: handles[t].write(copy_lines(rows)))
    finally:
        for handle in handles.values():
            handle.close()
    return files


def bare_copy(url: str, files: dict[str, Path]) -> float:
    """Seconds to load the rows into the migrated schema in one transaction, the fastest way
    known: TRUNCATE (so COPY may FREEZE), foreign keys and the indexes that back no
    constraint dropped, COPY FREEZE every table (tsvector columns computed as rows come),
    indexes built, keys added back (one validating join each), the derived actor_summaries
    filled, ANALYZE, COMMIT. The end
    state is the build's: same rows, tables, indexes, constraints and statistics."""
    from factdb.store.models import metadata
    from factdb.store.summaries import fill_sql

    order = [t.name for t in metadata.sorted_tables if t.name in files]
    started = time.perf_counter()
    with psycopg.connect(url, options="-c search_path=factdb") as conn:
        conn.execute(f"TRUNCATE {', '.join(order)}, actor_summaries")
        keys = conn.execute(
            "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'factdb'::regnamespace "
            "AND contype = 'f'").fetchall()
        for table, name, _ in keys:
            conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        indexes = drop_indexes(conn)
        for table in order:
            with conn.cursor().copy(f"COPY {table} ({', '.join(COLUMNS[table])}) "
                                    "FROM STDIN WITH (FREEZE)") as copy, \
                    open(files[table], "rb") as rows:
                while chunk := rows.read(1 << 20):
                    copy.write(chunk)
        add_indexes(conn, indexes)
        for table, name, definition in keys:
            conn.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        for statement in fill_sql("postgresql"):
            conn.execute(statement)
        for table in (*order, "actor_summaries"):
            conn.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


def bench_size(statements: int, runs: int, out: Path, server: str, log,
               keep: bool = False, only: tuple[str, ...] = ARMS) -> dict:
    label = synth.size_label(statements)
    seed_dir = out / f"seeds-{label}"
    log(f"[{label}] seeds: {synth.generate(statements, seed_dir)}")
    name = f"factdb_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'")
    url, sqlite_db = f"{server}/{name}", out / f"pg-twin-{label}.db"
    factdb = str(Path(sys.executable).parent / "factdb")
    times: dict[str, list[float]] = {arm: [] for arm in only}
    try:
        with tempfile.TemporaryDirectory(prefix="factdb-pgbench-") as spool:
            files = _spool(seed_dir, Path(spool))
            arms = {
                "sqlite": lambda: run_child([factdb, "build", "--seeds", str(seed_dir), "--db",
                                             str(sqlite_db)], cwd=str(ROOT)).seconds,
                "postgresql": lambda: run_child([factdb, "build", "--seeds", str(seed_dir),
                                                 "--db", url], cwd=str(ROOT)).seconds,
                "copy": lambda: bare_copy(url, files),  # into the schema a build made
            }
            for i in range(runs):
                for arm in list(times)[::-1 if i % 2 else 1]:  # alternate the order
                    shutil.rmtree(out / CACHE_DIR, ignore_errors=True)
                    times[arm].append(arms[arm]())
                log(f"[{label}] run {i + 1}/{runs}: " + ", ".join(
                    f"{k} {v[-1]:.2f}s" for k, v in times.items()))
    finally:
        if keep:
            log(f"[{label}] kept {url} and {sqlite_db} (for bench.pgqueries)")
        else:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return {"statements": statements, "label": label,
            **{k: summary(v) for k, v in times.items()}}


def table(results: list[dict]) -> str:
    lines = ["| statements | SQLite build | PostgreSQL build | bare COPY (same rows) | "
             "PostgreSQL / COPY |", "|---:|---:|---:|---:|---:|"]
    for r in results:
        sq, pg, cp = (r[k]["median"] if k in r else float("nan") for k in ARMS)
        lines.append(f"| {r['label']} | {sq:.2f} s | {pg:.2f} s | {cp:.2f} s | "
                     f"{pg / cp:.2f}x |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--arms", nargs="+", choices=ARMS, default=list(ARMS),
                        help="what to time (postgresql before copy: copy needs its schema)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the last run's databases (to time queries on them)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    results = [bench_size(n, args.runs, args.out, args.server,
                          lambda m: print(m, file=sys.stderr, flush=True), args.keep,
                          tuple(args.arms))
               for n in args.sizes]
    (args.out / "pgbench.json").write_text(json.dumps(
        {"machine": machine(), "results": results}, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
