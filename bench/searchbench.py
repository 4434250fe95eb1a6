"""`search` over a mix of queries, and `actor` for the busiest speaker: library time (ms).

The search words come from the database itself (events spread over its whole range): single
words, pairs, phrases and prefixes. Each query's time is the median of its runs; p50 and p95
are taken over the queries.
"""

from __future__ import annotations

import re
import sqlite3
import statistics
from pathlib import Path

from bench.measure import repeat
from bench.querybench import sample_params

MIX = 24  # queries in the mix


def search_texts(db: Path, count: int = MIX) -> list[str]:
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        (events,) = conn.execute("SELECT count(*) FROM events").fetchone()
        step = max(events // count, 1)
        descriptions = [d for (d,) in conn.execute(
            "SELECT description FROM events ORDER BY id")][::step][:count]
    finally:
        conn.close()
    texts = []
    for n, description in enumerate(descriptions):
        words = [w for w in re.findall(r"[A-Za-z]+", description) if len(w) > 3] or ["the"]
        kind = n % 4
        if kind == 0:
            texts.append(words[0])
        elif kind == 1:
            texts.append(" ".join(words[:2]))
        elif kind == 2:
            texts.append('"' + " ".join(words[:2]) + '"')
        else:
            texts.append(words[-1][:4] + "*")
    return texts


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(db: Path, runs: int) -> dict:
    from factdb.query import run as querying

    conn = querying.connect(db)
    try:
        per_query = []
        for text in search_texts(db):
            rows = len(querying.run(conn, "search", {"text": text}).rows)
            took = repeat(lambda t=text: querying.run(conn, "search", {"text": t}), runs)
            per_query.append({"text": text, "rows": rows, "ms": took["median"] * 1000})
        ms = [q["ms"] for q in per_query]
        name = sample_params(db)["actor"]["name"]
        actor = {q: repeat(lambda q=q: querying.run(conn, q, {"name": name}), runs)["median"]
                 * 1000 for q in ("actor", "said")}
    finally:
        conn.close()
    return {"queries": per_query, "p50_ms": _percentile(ms, 0.5), "p95_ms": _percentile(ms, 0.95),
            "mean_ms": statistics.fmean(ms), "busiest_speaker": name,
            "actor_ms": actor["actor"], "said_ms": actor["said"], "runs": runs}
