"""Time the canned queries (library vs plain sqlite3) and whole query commands.

Each canned query runs with parameters taken from the database itself: the actor who
speaks most (the slowest name to ask about), an event and a document from the middle, a
word that is neither rare nor everywhere.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

from bench.measure import ChildFailed, repeat, run_child, summary

# A direct-SQL question answered through an index; every tool can run it (no factdb_*).
COMMAND_SQL = ("SELECT speaker_id, count(*) AS statements FROM statements "
               "WHERE document_id = '{doc}' GROUP BY speaker_id ORDER BY speaker_id")
MINIMAL_SCRIPT = Path(__file__).with_name("minimal_query.py")


def sample_params(db: Path) -> dict[str, dict[str, str | None]]:
    """Parameter values for each canned query, chosen from what the database holds."""
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        (speaker,) = conn.execute("SELECT speaker_id FROM statements GROUP BY speaker_id "
                                  "ORDER BY count(*) DESC LIMIT 1").fetchone()
        (name,) = conn.execute("SELECT name FROM actors WHERE id = ?", (speaker,)).fetchone()
        (events,) = conn.execute("SELECT count(*) FROM events").fetchone()
        (event,) = conn.execute("SELECT id FROM events ORDER BY id LIMIT 1 OFFSET ?",
                                (events // 2,)).fetchone()
        (docs,) = conn.execute("SELECT count(*) FROM documents").fetchone()
        (doc,) = conn.execute("SELECT id FROM documents ORDER BY id LIMIT 1 OFFSET ?",
                              (docs // 2,)).fetchone()
        (month,) = conn.execute("SELECT substr(date_earliest, 1, 7) FROM events "
                                "ORDER BY date_earliest LIMIT 1 OFFSET ?",
                                (events // 2,)).fetchone()
    finally:
        conn.close()
    return {
        "timeline": {"actor": name, "from": month, "to": month},  # a month mid-way
        "said": {"name": name},
        "sources": {"event": event},
        "conflicts": {},
        "corroborations": {},
        "search": {"text": "security talks"},
        "actor": {"name": name},
        "document": {"id": doc},
        "_doc": {"id": doc},
    }


def canned(db: Path, runs: int, limit: str | None = None) -> list[dict]:
    """Each canned query through the library and through plain sqlite3, in this process.

    With ``limit``, only the queries that take one, each asked for that many rows.
    """
    from factdb.query import run as querying
    from factdb.query import sqlfunctions
    from factdb.query.registry import QUERIES

    chosen = sample_params(db)
    lib = querying.connect(db)
    raw = sqlite3.connect(str(db))
    sqlfunctions.register(raw)  # the SQL calls factdb_* functions; plain sqlite3 needs them too
    results = []
    for name, query in QUERIES.items():
        values = chosen.get(name, {})
        params = {p.name: values.get(p.name) for p in query.params}
        if limit is not None:
            if "limit" not in params:
                continue
            params["limit"] = limit
        rows = len(querying.run(lib, name, params).rows)  # also warms the page cache

        def through_library(q=name, p=params):
            return querying.run(lib, q, p).rows

        def through_sqlite3(q=query, p=params):
            return raw.execute(q.sql, p).fetchall()

        library = repeat(through_library, runs)
        plain = repeat(through_sqlite3, runs)
        results.append({"query": name, "params": params, "rows": rows, "library": library,
                        "sqlite3": plain, "ratio": library["median"] / plain["median"]})
    lib.close()
    raw.close()
    return results


def plans(db: Path) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of each canned query, as indented lines."""
    from factdb.query import sqlfunctions
    from factdb.query.registry import QUERIES

    chosen = sample_params(db)
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    sqlfunctions.register(conn)
    out = {}
    for name, query in QUERIES.items():
        values = chosen.get(name, {})
        params = {p.name: values.get(p.name) for p in query.params}
        rows = conn.execute(f"EXPLAIN QUERY PLAN {query.sql}", params).fetchall()
        depth = {0: 0}
        lines = []
        for node, parent, _, detail in rows:
            depth[node] = depth.get(parent, 0) + 1
            lines.append("  " * (depth[node] - 1) + detail)
        out[name] = lines
    conn.close()
    return out


def commands(db: Path, runs: int) -> dict:
    """The whole `factdb query sql` command against its peers, on the same SQL and database."""
    doc = sample_params(db)["_doc"]["id"]
    sql = COMMAND_SQL.format(doc=doc)
    bindir = Path(sys.executable).parent
    tools = {
        "factdb query sql": [str(bindir / "factdb"), "query", "sql", sql, "--db", str(db)],
        "sqlite-utils query": [str(bindir / "sqlite-utils"), "query", str(db), sql],
        "python + sqlite3 script": [sys.executable, str(MINIMAL_SCRIPT), str(db), sql],
    }
    shell = shutil.which("sqlite3")
    if shell:
        tools["sqlite3 shell"] = [shell, "-readonly", str(db), sql]
    result: dict = {"sql": sql, "tools": {}}
    seconds: dict[str, list[float]] = {tool: [] for tool in tools}
    errors: dict[str, str] = {}
    for round_ in range(runs + 1):  # alternated rounds; round 0 warms the caches
        for tool, argv in tools.items():
            if tool in errors:
                continue
            try:
                took = run_child(argv, sample=False).seconds
            except (ChildFailed, FileNotFoundError) as exc:
                errors[tool] = str(exc).splitlines()[0][:200]
                continue
            if round_:
                seconds[tool].append(took)
    for tool in tools:
        result["tools"][tool] = ({"error": errors[tool]} if tool in errors
                                 else summary(seconds[tool]))
    times = {t: v.get("median") for t, v in result["tools"].items()}
    mine = times.get("factdb query sql")
    if mine:
        for peer, key in (("sqlite-utils query", "vs_sqlite_utils"),
                          ("python + sqlite3 script", "vs_minimal_script")):
            if times.get(peer):
                result[key] = mine / times[peer]
    return result
