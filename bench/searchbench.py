"""`search` over a mix of queries, and `actor` for the busiest speaker: library time (ms).

The search words come from the database itself (events spread over its whole range): single
words, pairs, phrases and prefixes; then two actors' names (the busiest speaker's, and the
middle actor's), the word in the most documents and a word in the fewest statements. Each
query's time is the median of its runs; p50 and p95 are taken over the queries.
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
    return texts + _names_and_words(db)


def _names_and_words(db: Path) -> list[str]:
    """Two actors' names, the most frequent word of the documents and a rare statement word
    (read from the index's own vocabulary: stemmed terms, which stem to themselves)."""
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
    try:
        (busiest,) = conn.execute("SELECT name FROM actors WHERE id = (SELECT speaker_id FROM "
                                  "statements GROUP BY speaker_id ORDER BY count(*) DESC "
                                  "LIMIT 1)").fetchone()
        (actors,) = conn.execute("SELECT count(*) FROM actors").fetchone()
        (middle,) = conn.execute("SELECT name FROM actors ORDER BY id LIMIT 1 OFFSET ?",
                                 (actors // 2,)).fetchone()
        words = []
        for table, order in (("documents_fts", "DESC"), ("statements_fts", "ASC")):
            conn.execute(f"CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, {table!r}, "
                         "'row')")
            (word,) = conn.execute("SELECT term FROM temp.vocab WHERE length(term) > 3 AND "
                                   f"term NOT GLOB '*[^a-z]*' ORDER BY doc {order}, term "
                                   "LIMIT 1").fetchone()
            conn.execute("DROP TABLE temp.vocab")
            words.append(word)
    finally:
        conn.close()
    return [busiest, middle, *words]


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
