"""What the fact pages show, read from a factdb database: plain data, no HTML.

Each function takes a sqlite3 connection (Datasette hands one to ``execute_fn``) and
returns dicts, so the same answers serve the pages and the tests.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from factdb.web.words import date_phrase, published_phrase

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _row(conn: sqlite3.Connection, sql: str, params: Any = ()) -> dict | None:
    found = _rows(conn, sql, params)
    return found[0] if found else None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each paragraph: text between blank lines."""
    spans, start = [], 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        if brk.start() > start:
            spans.append((start, brk.start()))
        start = brk.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph(s) that hold ``text[start:end]`` (a span may cross a break)."""
    spans = paragraphs(text)
    first = next((s for s, e in spans if s <= start < e or s >= start), 0)
    last = next((e for s, e in reversed(spans) if s < end), len(text))
    return min(first, start), max(last, end)


DOCUMENT_META = """SELECT d.id, d.title, d.publisher_id, p.name AS publisher, d.author, d.url,
       d.language, d.is_machine_translation, d.translated_from, d.published_on,
       d.published_on_precision, d.published_on_basis, d.published_on_words,
       d.published_on_inferred_from, d.file_name
FROM documents d LEFT JOIN actors p ON p.id = d.publisher_id"""


def _document_meta(conn: sqlite3.Connection, doc_id: str) -> dict | None:
    doc = _row(conn, DOCUMENT_META + " WHERE d.id = ?", (doc_id,))
    if doc:
        doc["published"] = published_phrase(doc)
    return doc


def _in_context(conn: sqlite3.Connection, doc_id: str, start: int, end: int,
                pieces: list[tuple[int, int]] | None = None) -> dict:
    """The paragraph around a span, as segments of text, each marked or not: the span's
    words are marked, or only its pieces' words for a quote in pieces."""
    text = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    first, last = paragraph_around(text, start, end)
    segments, at = [], first
    for lo, hi in pieces or [(start, end)]:
        segments += [(text[at:lo], False), (text[lo:hi], True)]
        at = hi
    segments.append((text[at:last], False))
    return {"segments": segments, "words": text[start:end], "start": start, "end": end}


def statement(conn: sqlite3.Connection, statement_id: str) -> dict | None:
    """A statement with its speaker, relay, date in words, document and relations."""
    s = _row(conn, """SELECT s.*, sp.name AS speaker, rb.name AS relayed_by
                      FROM statements s JOIN actors sp ON sp.id = s.speaker_id
                      LEFT JOIN actors rb ON rb.id = s.relayed_by_id WHERE s.id = ?""",
             (statement_id,))
    if s is None:
        return None
    s["document"] = _document_meta(conn, s["document_id"])
    s["date"] = date_phrase(s, "said_on", s["document"])
    pieces = conn.execute("SELECT start_offset, end_offset FROM statement_pieces "
                          "WHERE statement_id = ? ORDER BY seq", (statement_id,)).fetchall()
    s["context"] = _in_context(conn, s["document_id"], s["start_offset"], s["end_offset"],
                               [tuple(p) for p in pieces])
    s["relations"] = relations_of(conn, statement_id)
    return s


def event(conn: sqlite3.Connection, event_id: str) -> dict | None:
    """An event with its date in words, participants, every source in context, relations."""
    e = _row(conn, "SELECT * FROM events WHERE id = ?", (event_id,))
    if e is None:
        return None
    e["date_words_full"] = date_phrase(e, "date", None)
    e["participants"] = _rows(conn, """SELECT p.actor_id, a.name, p.role
        FROM event_participants p JOIN actors a ON a.id = p.actor_id
        WHERE p.event_id = ? ORDER BY a.name""", (event_id,))
    e["sources"] = _rows(conn, """SELECT es.id, es.document_id, es.start_offset,
            es.end_offset, rb.name AS relayed_by, es.relayed_by_id
        FROM event_sources es LEFT JOIN actors rb ON rb.id = es.relayed_by_id
        JOIN documents d ON d.id = es.document_id
        WHERE es.event_id = ? ORDER BY d.published_on_earliest, es.document_id,
            es.start_offset""", (event_id,))
    for source in e["sources"]:
        source["document"] = _document_meta(conn, source["document_id"])
        source["context"] = _in_context(conn, source["document_id"], source["start_offset"],
                                        source["end_offset"])
    e["relations"] = relations_of(conn, event_id)
    return e


def actor(conn: sqlite3.Connection, actor_id: str) -> dict | None:
    """An actor with names, roles in context, and counts of what they said and did."""
    a = _row(conn, "SELECT * FROM actors WHERE id = ?", (actor_id,))
    if a is None:
        return None
    a["aliases"] = [r["alias"] for r in _rows(
        conn, "SELECT DISTINCT alias FROM actor_aliases WHERE actor_id = ? ORDER BY alias",
        (actor_id,))]
    a["roles"] = _rows(conn, """SELECT r.role, r.document_id, r.start_offset, r.end_offset
        FROM actor_roles r WHERE r.actor_id = ? ORDER BY r.document_id, r.start_offset""",
                       (actor_id,))
    for role in a["roles"]:
        role["document"] = _document_meta(conn, role["document_id"])
        role["context"] = _in_context(conn, role["document_id"], role["start_offset"],
                                      role["end_offset"])
    a["statements"] = conn.execute("SELECT count(*) FROM statements WHERE speaker_id = ?",
                                   (actor_id,)).fetchone()[0]
    a["events"] = _rows(conn, """SELECT e.id, e.description, e.date FROM event_participants p
        JOIN events e ON e.id = p.event_id WHERE p.actor_id = ?
        ORDER BY e.date_earliest, e.id""", (actor_id,))
    return a


def relations_of(conn: sqlite3.Connection, fact_id: str) -> list[dict]:
    """The relations a fact takes part in, each with the other side."""
    found = _rows(conn, """SELECT * FROM relation_details WHERE fact_id = ? OR other_fact_id = ?
                           ORDER BY kind, relation_id""", (fact_id, fact_id))
    for r in found:
        side = "other" if r["fact_id"] == fact_id else "fact"
        other_id = r["other_fact_id"] if side == "other" else r["fact_id"]
        r["with"] = {"id": other_id, "who": r[f"{side}_speaker_or_source"],
                     "words": r[f"{side}_words"], "document_id": r[f"{side}_document_id"],
                     "deprecated": _fact_side(conn, other_id, None)[1]}
    return found


def relations(conn: sqlite3.Connection, kind: str, offset: int = 0,
              limit: int = 100) -> tuple[list[dict], int]:
    """One page of the relations of ``kind`` (corroborates or contradicts), both sides in
    full, and how many there are in all."""
    total = conn.execute("SELECT count(*) FROM relations WHERE kind = ?", (kind,)).fetchone()[0]
    found = _rows(conn, """SELECT * FROM relation_details WHERE relation_id IN (
                             SELECT id FROM relations WHERE kind = ? ORDER BY id
                             LIMIT ? OFFSET ?) ORDER BY relation_id""", (kind, limit, offset))
    docs: dict[str, dict | None] = {}
    for r in found:
        for side in ("fact", "other"):
            doc_id = r[f"{side}_document_id"]
            if doc_id not in docs:
                docs[doc_id] = _document_meta(conn, doc_id)
            r[f"{side}_document"] = docs[doc_id]
            fact_id = r["other_fact_id"] if side == "other" else r["fact_id"]
            r[f"{side}_date"], r[f"{side}_deprecated"] = _fact_side(conn, fact_id,
                                                                     docs[doc_id])
    return found, total


def _fact_side(conn: sqlite3.Connection, fact_id: str,
               doc: dict | None) -> tuple[str, str | None]:
    """A fact's date in words, and why it is deprecated (None when it is not)."""
    s = _row(conn, "SELECT * FROM statements WHERE id = ?", (fact_id,))
    fact = s or _row(conn, "SELECT * FROM events WHERE id = ?", (fact_id,))
    if fact is None:
        return "", None
    when = date_phrase(s, "said_on", doc) if s else date_phrase(fact, "date", None)
    deprecated = fact["status_reason"] or "" if fact["status"] == "deprecated" else None
    return when, deprecated


def document(conn: sqlite3.Connection, doc_id: str) -> dict | None:
    """A document's metadata, text, and every marked span (evidence, boilerplate, skips)."""
    doc = _document_meta(conn, doc_id)
    if doc is None:
        return None
    doc["text"] = conn.execute("SELECT text FROM documents WHERE id = ?",
                               (doc_id,)).fetchone()[0]
    doc["evidence"] = _rows(conn, """
        SELECT 'statement' AS kind, s.id AS target,
               coalesce(p.start_offset, s.start_offset) AS start_offset,
               coalesce(p.end_offset, s.end_offset) AS end_offset,
               a.name || ' (' || s.speech || ')' AS label
        FROM statements s JOIN actors a ON a.id = s.speaker_id
        LEFT JOIN statement_pieces p ON p.statement_id = s.id WHERE s.document_id = :d
        UNION ALL
        SELECT 'event', es.event_id, es.start_offset, es.end_offset, e.description
        FROM event_sources es JOIN events e ON e.id = es.event_id WHERE es.document_id = :d
        UNION ALL
        SELECT 'actor', r.actor_id, r.start_offset, r.end_offset, a.name || ': ' || r.role
        FROM actor_roles r JOIN actors a ON a.id = r.actor_id WHERE r.document_id = :d
        ORDER BY 3, 4""", {"d": doc_id})
    doc["boilerplate"] = _rows(conn, """SELECT kind, start_offset, end_offset
        FROM boilerplate_regions WHERE document_id = ? ORDER BY start_offset""", (doc_id,))
    doc["skipped"] = _rows(conn, """SELECT reason, start_offset, end_offset
        FROM skipped_passages WHERE document_id = ? ORDER BY start_offset""", (doc_id,))
    return doc


# The first documents by date, sorted in the index of (id, published_on_earliest, ...):
# sorting the table itself reads every row's text (0.25 s at 100k documents, 30 ms this way).
FIRST_DOCUMENTS = "SELECT id FROM documents ORDER BY published_on_earliest, id LIMIT :n"


def corpus(conn: sqlite3.Connection, shown: int = 50) -> dict:
    """The corpus in a few numbers, and the first ``shown`` documents by date."""
    docs = _rows(conn, DOCUMENT_META + f" WHERE d.id IN ({FIRST_DOCUMENTS}) "
                 "ORDER BY d.published_on_earliest, d.id", {"n": shown})
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("documents", "statements", "events", "actors", "relations")}
    period = conn.execute("SELECT min(published_on_earliest), max(published_on_latest) "
                          "FROM documents").fetchone()
    outlets = [r[0] for r in conn.execute(
        "SELECT a.name FROM actors a WHERE a.id IN (SELECT publisher_id FROM documents) "
        "ORDER BY a.name")]
    return {"documents": docs, "counts": counts, "period": period, "outlets": outlets}


def choices(conn: sqlite3.Connection, kind: str, limit: int = 500) -> list[tuple[str, str]]:
    """(value, label) pairs a form offers for an actor, event or document parameter."""
    sql = {"actor": "SELECT id, name FROM actors ORDER BY name",
           "event": "SELECT id, description FROM events ORDER BY date_earliest, id",
           "document": f"SELECT id, title FROM documents WHERE id IN ({FIRST_DOCUMENTS}) "
                       "ORDER BY published_on_earliest, id"}
    return [tuple(r) for r in conn.execute(sql[kind] + " LIMIT :n", {"n": limit})]


LABEL_SQL = {
    "actor": "SELECT id, name FROM actors",
    "document": """SELECT d.id, d.title || coalesce(' (' || p.name || ')', '') FROM documents d
                   LEFT JOIN actors p ON p.id = d.publisher_id""",
    "event": "SELECT id, description FROM events",
    "relation": "SELECT id, kind FROM relations",
}


def all_labels(conn: sqlite3.Connection, kind: str, most: int) -> dict[str, str] | None:
    """Every record's label of a kind (see LABEL_SQL), or None when there are over ``most``."""
    table = {"actor": "actors", "document": "documents", "event": "events",
             "relation": "relations"}[kind]
    if conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > most:
        return None
    return dict(conn.execute(LABEL_SQL[kind]).fetchall())


LABELS = {"actors": "SELECT name FROM actors WHERE id = ?",
          "documents": """SELECT d.title || coalesce(' (' || p.name || ')', '') FROM documents d
                          LEFT JOIN actors p ON p.id = d.publisher_id WHERE d.id = ?""",
          "events": "SELECT description FROM events WHERE id = ?",
          "relations": "SELECT kind FROM relations WHERE id = ?"}


def label(conn: sqlite3.Connection, table: str, record_id: str) -> str | None:
    """The human label of a record (a name, a headline and outlet, a description)."""
    sql = LABELS[table]
    found = conn.execute(sql, {"i": record_id} if ":i" in sql else (record_id,)).fetchone()
    return found[0] if found else None
