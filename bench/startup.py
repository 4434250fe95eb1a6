"""Whole `factdb query` processes against the floor (python + sqlite3), on the real seeds.

Each round runs every command once, in turn, so that the machine's load hits all alike;
figures are medians over the rounds. The canned query is `document` (a parameter, a check,
no factdb_* function, so the minimal script can run its SQL as it stands).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
from pathlib import Path

from bench.measure import ChildFailed, run_child
from bench.querybench import MINIMAL_SCRIPT

ROOT = Path(__file__).resolve().parent.parent


def seeds_db(out: Path) -> Path:
    db = out / "seeds.db"
    run_child([str(Path(sys.executable).parent / "factdb"), "build", "--seeds",
               str(ROOT / "seeds"), "--db", str(db)], cwd=str(ROOT))
    return db


def commands(db: Path) -> dict[str, list[str]]:
    from factdb.query.registry import QUERIES

    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    (count,) = conn.execute("SELECT count(*) FROM documents").fetchone()
    (doc,) = conn.execute("SELECT id FROM documents ORDER BY id LIMIT 1 OFFSET ?",
                          (count // 2,)).fetchone()
    conn.close()
    bindir = Path(sys.executable).parent
    factdb, py, minimal = str(bindir / "factdb"), sys.executable, str(MINIMAL_SCRIPT)
    return {
        "factdb query sql 'select 1'": [factdb, "query", "sql", "select 1", "--db", str(db)],
        "minimal script 'select 1'": [py, minimal, str(db), "select 1"],
        "sqlite-utils query 'select 1'": [str(bindir / "sqlite-utils"), "query", str(db),
                                          "select 1"],
        f"factdb query document {doc}": [factdb, "query", "document", doc, "--db", str(db),
                                         "--format", "csv"],
        f"minimal script document SQL ({doc})": [py, minimal, str(db),
                                                 QUERIES["document"].sql,
                                                 json.dumps({"id": doc, "all": ""})],
    }


def measure(out: Path, runs: int) -> dict:
    db = seeds_db(out)
    argvs = commands(db)
    times: dict[str, list[float]] = {name: [] for name in argvs}
    errors: dict[str, str] = {}
    for round_ in range(runs + 1):
        for name, argv in argvs.items():
            if name in errors:
                continue
            try:
                seconds = run_child(argv, sample=False).seconds
            except (ChildFailed, FileNotFoundError) as exc:
                errors[name] = str(exc).splitlines()[0][:200]
                continue
            if round_:  # round 0 warms the caches
                times[name].append(seconds)
    med = {name: statistics.median(t) for name, t in times.items() if t}
    names = list(argvs)
    ratios = {}
    if names[0] in med and names[1] in med:
        ratios["sql select 1 / minimal script"] = med[names[0]] / med[names[1]]
    if names[0] in med and names[2] in med:
        ratios["sql select 1 / sqlite-utils"] = med[names[0]] / med[names[2]]
    if names[3] in med and names[4] in med:
        ratios["canned document / minimal script"] = med[names[3]] / med[names[4]]
    return {"db": str(db), "runs": runs, "median_s": med, "runs_s": times, "errors": errors,
            "ratios": ratios}
