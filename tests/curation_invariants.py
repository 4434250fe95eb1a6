"""What must hold for any curated seeds folder, checked on the database built from it.

Each invariant takes an open connection to a built database and the seeds folder it was
built from, and returns its violations: an empty list when the curation is sound. Nothing
here names a seed document or counts records, so the checks hold as curators add articles;
``tests/test_curation.py`` runs them on ``seeds/`` and ``tests/test_grown_seeds.py`` on
``seeds/`` grown by the fixture article.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from factdb.cli import app
from factdb.dates.values import parse_value

Invariant = Callable[[sqlite3.Connection, Path], list]
INVARIANTS: dict[str, Invariant] = {}

# The column that holds the evidence words, in a table or view that points into a document.
WORDS_COLUMNS = ("words", "quote", "alias")
# Regions of a document, not evidence: they have offsets but no words.
REGIONS = ("boilerplate_regions",)
DATED = {"documents": "published_on", "statements": "said_on", "events": "date"}


def invariant(func: Invariant) -> Invariant:
    INVARIANTS[func.__name__] = func
    return func


def violations(db: Path, seeds: Path) -> dict[str, list]:
    """Every invariant's violations on the database ``db`` built from ``seeds``."""
    conn = sqlite3.connect(db)
    try:
        return {name: check(conn, seeds) for name, check in INVARIANTS.items()}
    finally:
        conn.close()


def _columns(conn: sqlite3.Connection, name: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info([{name}])")]


PIECED = {"statements": "id", "statement_details": "statement_id"}


def evidence_sources(conn: sqlite3.Connection) -> dict[str, str | None]:
    """Every table and view whose rows point at words of a document, with its words column
    (None for one that has offsets but no words: a test of this module fails on it)."""
    found = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', "
                                "'view') AND name NOT LIKE '%fts%' ORDER BY name"):
        columns = _columns(conn, name)
        if {"document_id", "start_offset", "end_offset"} <= set(columns) and name not in REGIONS:
            found[name] = next((c for c in WORDS_COLUMNS if c in columns), None)
    return found


@invariant
def coverage_is_complete(conn: sqlite3.Connection, seeds: Path) -> list:
    """`factdb coverage --strict` exits 0 and accounts for every document in the database."""
    result = CliRunner().invoke(app, ["coverage", "--strict", "--seeds", str(seeds)])
    if result.exit_code != 0:
        return [f"exit {result.exit_code}: {result.output}"]
    listed = {line.split()[0] for line in result.stdout.splitlines()[1:] if line.strip()}
    return [doc for (doc,) in conn.execute("SELECT id FROM documents") if doc not in listed]


@invariant
def texts_are_the_seed_files(conn: sqlite3.Connection, seeds: Path) -> list:
    """Each document's text is its file in seeds/texts/, byte for byte, with that sha256."""
    wrong = []
    for doc, file_name, digest, text in conn.execute(
            "SELECT id, file_name, sha256, text FROM documents"):
        data = (seeds / "texts" / file_name).read_bytes()
        if hashlib.sha256(data).hexdigest() != digest or data.decode("utf-8") != text:
            wrong.append(doc)
    return wrong


@invariant
def evidence_offsets_hold_their_words(conn: sqlite3.Connection, seeds: Path) -> list:
    """In every evidence table and view, substr(text, start + 1, end - start) is the words,
    and the span lies inside the text."""
    wrong = []
    for name, words in evidence_sources(conn).items():
        if words is None:
            wrong.append((name, "has offsets but no words column"))
            continue
        # a quote in pieces spans them all and joins their words: its pieces are checked
        # (in the evidence view) instead
        key = PIECED.get(name)
        pieced = (f"e.[{key}] IN (SELECT statement_id FROM statement_pieces)" if key
                  else "0")
        wrong += [(name, *row) for row in conn.execute(f"""
            SELECT e.document_id, e.start_offset, e.end_offset FROM [{name}] e
            JOIN documents d ON d.id = e.document_id
            WHERE NOT ({pieced}) AND substr(d.text, e.start_offset + 1,
                                            e.end_offset - e.start_offset)
                  IS NOT e.[{words}]
               OR e.start_offset < 0 OR e.end_offset <= e.start_offset
               OR e.end_offset > length(d.text)""")]
    return wrong


@invariant
def boilerplate_regions_lie_in_their_text(conn: sqlite3.Connection, seeds: Path) -> list:
    return conn.execute("""
        SELECT b.id FROM boilerplate_regions b LEFT JOIN documents d ON d.id = b.document_id
        WHERE d.id IS NULL OR b.start_offset < 0 OR b.end_offset <= b.start_offset
           OR b.end_offset > length(d.text)""").fetchall()


@invariant
def no_evidence_in_boilerplate(conn: sqlite3.Connection, seeds: Path) -> list:
    """No statement, event report or role rests on words inside a boilerplate region (an
    alias may: a caption names people)."""
    return conn.execute("""
        SELECT e.table_name, e.record_id, b.id FROM evidence e JOIN boilerplate_regions b
          ON b.document_id = e.document_id
         AND e.start_offset < b.end_offset AND b.start_offset < e.end_offset
        WHERE e.table_name IN ('statements', 'event_sources', 'actor_roles')""").fetchall()


@invariant
def aliases_are_whole_words_in_their_documents(conn: sqlite3.Connection, seeds: Path) -> list:
    """An alias seen in a document is found there, not as part of a longer word."""
    wrong = []
    for alias_id, alias, start, end, text in conn.execute("""
            SELECT a.id, a.alias, a.start_offset, a.end_offset, d.text FROM actor_aliases a
            JOIN documents d ON d.id = a.document_id"""):
        before, after = text[start - 1:start] if start else "", text[end:end + 1]
        if text[start:end] != alias or before.isalnum() or after.isalnum():
            wrong.append((alias_id, alias))
    return wrong


@invariant
def publication_dates_have_a_basis(conn: sqlite3.Connection, seeds: Path) -> list:
    """A stated publication date quotes the words that state it; an inferred one says what
    it was inferred from (the schema already requires a date and its basis)."""
    return conn.execute("""
        SELECT id, published_on_basis FROM documents
        WHERE (published_on_basis = 'stated' AND published_on_words IS NULL)
           OR (published_on_basis = 'inferred' AND published_on_inferred_from IS NULL)
        """).fetchall()


@invariant
def inferred_dates_say_from_what(conn: sqlite3.Connection, seeds: Path) -> list:
    return [row for table, col in DATED.items() for row in conn.execute(
        f"SELECT '{table}', id FROM {table} WHERE {col}_basis = 'inferred' "
        f"AND {col}_inferred_from IS NULL")]


@invariant
def date_bounds_are_ordered_and_in_the_value(conn: sqlite3.Connection, seeds: Path) -> list:
    """earliest <= latest, both inside the value (a 2022-02 date's bounds are in February,
    a 2022-W04's in 24-30 January), and the precision is the value's shape."""
    bad = []
    for table, col in DATED.items():
        for ident, value, precision, earliest, latest in conn.execute(
                f"SELECT id, {col}, {col}_precision, {col}_earliest, {col}_latest FROM {table} "
                f"WHERE {col} IS NOT NULL"):
            span = parse_value(value)
            if not (str(span.earliest) <= earliest <= latest <= str(span.latest)) \
                    or precision != span.precision:
                bad.append((table, ident))
    return bad


@invariant
def date_words_occur_in_the_document(conn: sqlite3.Connection, seeds: Path) -> list:
    return conn.execute("""
        SELECT 'documents', id FROM documents
        WHERE published_on_words IS NOT NULL AND instr(text, published_on_words) = 0
        UNION ALL
        SELECT 'statements', s.id FROM statements s JOIN documents d ON d.id = s.document_id
        WHERE s.said_on_words IS NOT NULL AND instr(d.text, s.said_on_words) = 0
        """).fetchall()


@invariant
def speakers_and_participants_are_actors(conn: sqlite3.Connection, seeds: Path) -> list:
    return conn.execute("""
        SELECT 'statement', id, speaker_id FROM statements
        WHERE speaker_id IS NULL OR speaker_id NOT IN (SELECT id FROM actors)
        UNION ALL
        SELECT 'participant', event_id, actor_id FROM event_participants
        WHERE actor_id NOT IN (SELECT id FROM actors)""").fetchall()


@invariant
def publishers_and_relays_are_media_outlets(conn: sqlite3.Connection, seeds: Path) -> list:
    outlet = """SELECT '{what}', r.id, r.{col} FROM {table} r LEFT JOIN actors a ON a.id = r.{col}
                WHERE r.{col} IS NOT NULL AND a.kind IS NOT 'media-outlet'"""
    return conn.execute(" UNION ALL ".join((
        outlet.format(what="document", table="documents", col="publisher_id"),
        outlet.format(what="statement", table="statements", col="relayed_by_id"),
        outlet.format(what="event source", table="event_sources", col="relayed_by_id"),
    ))).fetchall()


@invariant
def facts_are_statements_and_events(conn: sqlite3.Connection, seeds: Path) -> list:
    """The facts table lists each statement and event once, under its kind."""
    return conn.execute("""
        SELECT id, kind FROM facts
        EXCEPT SELECT id, 'statement' FROM statements EXCEPT SELECT id, 'event' FROM events
        UNION ALL
        SELECT id, 'statement' FROM statements WHERE id NOT IN (SELECT id FROM facts)
        UNION ALL
        SELECT id, 'event' FROM events WHERE id NOT IN (SELECT id FROM facts)""").fetchall()


@invariant
def documents_hold_facts(conn: sqlite3.Connection, seeds: Path) -> list:
    """Every document holds a statement or reports an event (else why is it curated?)."""
    return conn.execute("""
        SELECT id FROM documents d
        WHERE NOT EXISTS (SELECT 1 FROM statements s WHERE s.document_id = d.id)
          AND NOT EXISTS (SELECT 1 FROM event_sources e WHERE e.document_id = d.id)
        """).fetchall()


@invariant
def events_have_sources(conn: sqlite3.Connection, seeds: Path) -> list:
    return conn.execute("SELECT id FROM events WHERE id NOT IN "
                        "(SELECT event_id FROM event_sources)").fetchall()


@invariant
def relations_have_evidence_on_both_sides(conn: sqlite3.Connection, seeds: Path) -> list:
    """Both sides of a relation have evidence (in the document named, when one is), and
    differ (one event may corroborate itself across two documents' reports)."""
    side = """EXISTS (SELECT 1 FROM statements s WHERE s.id = r.{f}_id
                        AND (r.{d}_document_id IS NULL OR s.document_id = r.{d}_document_id))
           OR EXISTS (SELECT 1 FROM event_sources e WHERE e.event_id = r.{f}_id
                        AND (r.{d}_document_id IS NULL OR e.document_id = r.{d}_document_id))"""
    return conn.execute(f"""
        SELECT id FROM relations r
        WHERE NOT ({side.format(f="fact", d="fact")})
           OR NOT ({side.format(f="other_fact", d="other")})
           OR (r.fact_id = r.other_fact_id AND r.fact_document_id IS r.other_document_id)
           OR r.kind NOT IN ('corroborates', 'contradicts')""").fetchall()


@invariant
def dependent_corroborations_say_so(conn: sqlite3.Connection, seeds: Path) -> list:
    """A corroboration whose sides come through one outlet (relation_details.independent
    'no: both from ...') says in its note that it is not independent."""
    return conn.execute("""
        SELECT relation_id FROM relation_details
        WHERE kind = 'corroborates' AND independent LIKE 'no: both%'
          AND lower(note) NOT LIKE '%not independent%'""").fetchall()


@invariant
def skips_give_reasons(conn: sqlite3.Connection, seeds: Path) -> list:
    return conn.execute("SELECT id FROM skipped_passages "
                        "WHERE reason IS NULL OR trim(reason) = ''").fetchall()
