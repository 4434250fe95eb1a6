"""`python -m bench.pgexport SQLITE_DB POSTGRESQL_URL`: `factdb export` in every format from
both engines holding the same data, and whether their files are the same.

    uv run python -m bench.pgexport bench/out/100k.db postgresql://postgres@127.0.0.1/DB

Each export is a real process (``python -m factdb export``), ``--runs`` times per engine and
format, the engines alternating; the medians of the wall time and of the time the command
reports, PostgreSQL / SQLite, and the load average before and after are printed as a
Markdown table. The last run's folders are compared: data files byte for byte (Parquet
read back by Arrow: schema and rows), manifests apart from ``database``. Nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ("parquet", "csv", "jsonl", "web-annotation")


def _export(db: str, fmt: str, output: Path) -> tuple[float, float]:
    """(wall seconds, seconds the command reports) of one export."""
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "factdb", "export", "--format", fmt,
                           "--output", str(output), "--db", db],
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    reported = float(re.search(r" in ([\d.]+)s\n", done.stdout).group(1))  # type: ignore
    return wall, reported


def same_files(a: Path, b: Path) -> list[str]:
    """The files that differ between two export folders (the manifests' ``database`` apart)."""
    import pyarrow.parquet as pq

    differ = []
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    for name in names:
        x, y = a / name, b / name
        if not (x.is_file() and y.is_file()):
            differ.append(name)
        elif name == "factdb-export.json":
            mx, my = json.loads(x.read_text()), json.loads(y.read_text())
            mx.pop("database"), my.pop("database")
            if mx != my:
                differ.append(name)
        elif name.endswith(".parquet"):
            tx, ty = pq.read_table(x), pq.read_table(y)
            if tx.schema != ty.schema or tx.to_pylist() != ty.to_pylist():
                differ.append(name)
        elif x.read_bytes() != y.read_bytes():
            differ.append(name)
    return differ


def compare(sqlite_db: str, url: str, runs: int, work: Path, log) -> list[dict]:
    engines = {"sqlite": sqlite_db, "postgresql": url}
    results = []
    for fmt in FORMATS:
        wall: dict[str, list[float]] = {e: [] for e in engines}
        reported: dict[str, list[float]] = {e: [] for e in engines}
        for i in range(runs):
            for engine in list(engines)[::-1 if i % 2 else 1]:
                w, r = _export(engines[engine], fmt, work / f"{engine}-{fmt}")
                wall[engine].append(w)
                reported[engine].append(r)
        medians = {e: statistics.median(v) for e, v in wall.items()}
        inside = {e: statistics.median(v) for e, v in reported.items()}
        differ = same_files(work / f"sqlite-{fmt}", work / f"postgresql-{fmt}")
        results.append({"format": fmt, "wall": wall, "reported": reported, "median": medians,
                        "median_reported": inside,
                        "ratio": medians["postgresql"] / medians["sqlite"],
                        "differ": differ})
        log(f"{fmt}: sqlite {medians['sqlite']:.2f} s, postgresql {medians['postgresql']:.2f} s"
            f", differing files: {differ or 'none'}")
        for engine in engines:
            shutil.rmtree(work / f"{engine}-{fmt}", ignore_errors=True)
    return results


def table(results: list[dict]) -> str:
    lines = ["| format | SQLite s (reported) | PostgreSQL s (reported) | PG / SQLite "
             "| same files |",
             "|---|---:|---:|---:|---|"]
    for r in results:
        m, i = r["median"], r["median_reported"]
        lines.append(f"| {r['format']} | {m['sqlite']:.2f} ({i['sqlite']:.2f}) | "
                     f"{m['postgresql']:.2f} ({i['postgresql']:.2f}) | {r['ratio']:.2f}x | "
                     f"{'yes' if not r['differ'] else 'NO: ' + ', '.join(r['differ'])} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sqlite_db")
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args()
    before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="factdb-pgexport-") as work:
        results = compare(args.sqlite_db, args.url, args.runs, Path(work),
                          lambda m: print(m, file=sys.stderr, flush=True))
    after = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps({"load_before": before, "load_after": after,
                                         "results": results}, indent=2))
    print(table(results))
    print(f"\nload average (1, 5, 15 min) before: {before[0]:.2f} {before[1]:.2f} "
          f"{before[2]:.2f}; after: {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}")


if __name__ == "__main__":
    main()
