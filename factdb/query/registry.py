"""The canned queries: each defined once, as data, for `factdb query`, Datasette and the help.

A :class:`CannedQuery` is a name, a title, a one-line description, SQL with named
parameters (``:name``), and those parameters. The SQL is plain SQLite over the tables and
the views of migration 0002, plus the ``factdb_*`` functions of :mod:`factdb.sqlfunctions`,
so it runs unchanged wherever those functions are registered. A parameter left empty
(``''``, as Datasette sends it, or NULL) means "no filter".

To add a query: write its SQL here, add it to ``QUERIES``; `factdb query NAME` and the
Datasette canned query follow from it.
"""

from __future__ import annotations

from factdb.query.canned import CannedQuery, Param
from factdb.query.sqlparts import ASKED, actor_matches, dated, fact_shown, shown, translation

# An event given as its id or, failing that, as words of its description: both are index
# lookups (the primary key, then the events_fts full-text index), never a scan of events.
EVENT_MATCHES = """chosen AS (
  SELECT id FROM events WHERE id = :event
  UNION
  SELECT e.id FROM events_fts JOIN events e ON e.rowid = events_fts.rowid
  WHERE NOT EXISTS (SELECT 1 FROM events WHERE id = :event)
    AND events_fts MATCH 'description : (' || factdb_fts_query(:event) || ')'
)"""

# Lookups that make a name or words meaning several records a question, not a mix: the CLI
# resolves an actor first, and an event when the answer names none or several.
RESOLVE_ACTOR = f"""WITH {actor_matches("name")}
SELECT id, name FROM actors WHERE id IN (SELECT actor_id FROM matched) ORDER BY id"""
RESOLVE_EVENT = f"""WITH {EVENT_MATCHES}
SELECT id, description, status FROM events WHERE id IN chosen ORDER BY date_earliest, id"""

# A covering index: a document's dates without reading its row (and its text). SQLite
# prefers the primary key's index for `id = ?`, so the queries that read many documents'
# dates name it.
DOCUMENT_DATES = "ix_documents_id_published_on_earliest_published_on_latest_published_on"
EVENT_DATES = "ix_events_id_date_earliest_date_latest_date"

# "LIMIT :limit", where an empty limit (the default) means every row.
LIMIT_ALL = "LIMIT coalesce(nullif(:limit, ''), -1)"
# How many hits a search shows when no limit is given.
SEARCH_LIMIT = 50

# With an actor, the actor's events are found through event_participants, then filtered by
# date; without one, the index on (date_earliest, date_latest, id) bounds the scan and gives
# the order, so the first row comes without sorting every event. (One WHERE with "no actor
# OR ..." would let SQLite use neither index.) The ORDER BY belongs to the UNION ALL, which
# SQLite answers by merging its two arms, each in order; a scalar subquery for each bound
# (not a join with `bounds`) lets the planner take the index for that order.
_TIMELINE_ARM = """SELECT t.event_id, t.date, t.date_precision AS precision, t.date_basis AS basis,
         t.documents, t.description, t.participants, t.date_earliest, t.date_latest
  FROM event_timeline t"""
TIMELINE = f"""WITH {actor_matches("actor")},
bounds AS (SELECT coalesce(factdb_date_start(:from), '0000-01-01') AS first,
                  coalesce(factdb_date_end(:to), '9999-12-31') AS last)
SELECT event_id, date, precision, basis, documents, description, participants
FROM (
  {_TIMELINE_ARM}
  WHERE coalesce(:actor, '') = '' AND t.date_earliest <= (SELECT last FROM bounds)
    AND t.date_latest >= (SELECT first FROM bounds) AND {shown("t.event_id", "events")}
  UNION ALL
  {_TIMELINE_ARM}
  WHERE coalesce(:actor, '') != ''
    AND t.event_id IN (SELECT event_id FROM event_participants
                       WHERE actor_id IN (SELECT actor_id FROM matched))
    AND +t.date_earliest <= (SELECT last FROM bounds)
    AND t.date_latest >= (SELECT first FROM bounds) AND {shown("t.event_id", "events")}
  ORDER BY date_earliest, date_latest, event_id
  {LIMIT_ALL}
)"""

# The rows wanted are first chosen, in order, from the covering indexes alone (speaker,
# document, date, offset; the document's date, looked up only for an undated statement),
# so the sort holds ids and dates, not whole rows, and only the rows shown are read; the
# CROSS JOINs keep SQLite's loops in the chosen order, so the first row comes as soon as
# the ids are sorted. (PostgreSQL, which may reorder joins, is told to order by the
# chosen keys: factdb/query/dialect.py.)
SAID = f"""WITH {actor_matches("name")},
chosen AS (
  SELECT s.rowid AS r, s.said_on_earliest IS NULL AS undated,
         coalesce(s.said_on_earliest,
                  (SELECT d.published_on_earliest FROM documents d INDEXED BY {DOCUMENT_DATES}
                   WHERE d.id = s.document_id)) AS day,
         s.document_id AS doc, s.start_offset AS at
  FROM statements s
  WHERE s.speaker_id IN (SELECT actor_id FROM matched)
    AND {shown("s.rowid", "statements", "rowid")}
  ORDER BY undated, day, doc, at
  {LIMIT_ALL}
)
SELECT s.id AS statement_id, sp.name AS speaker, s.speech, s.quote,
       {dated("s.said_on")} AS date, s.venue, rb.name AS relayed_by, s.document_id,
       {dated("d.published_on")} AS published, {translation("d")} AS translation
FROM chosen
CROSS JOIN statements s
CROSS JOIN actors sp
CROSS JOIN documents d
LEFT JOIN actors rb ON rb.id = s.relayed_by_id
WHERE s.rowid = chosen.r AND sp.id = s.speaker_id AND d.id = s.document_id"""

SOURCES = f"""WITH {EVENT_MATCHES}
SELECT x.event_id, x.document_id, {dated("d.published_on")} AS published_on, x.words,
       x.relayed_by, x.document_title, {translation("d")} AS translation
FROM event_source_details x JOIN documents d ON d.id = x.document_id
WHERE x.event_id IN chosen AND {shown("x.event_id", "events")}
ORDER BY x.event_id, x.published_on_earliest, x.document_id, x.start_offset"""

def _side(side: str) -> str:
    """One side of a relation: its fact's date (statement or event) and translation flag."""
    return (f"CASE WHEN {side}_s.id IS NOT NULL THEN {dated(side + '_s.said_on')} "
            f"ELSE {dated(side + '_e.date')} END AS {side}_date, "
            f"{translation(side + '_d')} AS {side}_translation")


_RELATION_COLUMNS = f"""r.relation_id,
       r.fact_id, r.fact_speaker_or_source, r.fact_document_id, r.fact_words, {_side("fact")},
       r.other_fact_id, r.other_speaker_or_source, r.other_document_id, r.other_words,
       {_side("other")},
       r.note"""
_RELATION_JOINS = """FROM relation_details r
LEFT JOIN statements fact_s ON fact_s.id = r.fact_id
LEFT JOIN events fact_e ON fact_e.id = r.fact_id
JOIN documents fact_d ON fact_d.id = r.fact_document_id
LEFT JOIN statements other_s ON other_s.id = r.other_fact_id
LEFT JOIN events other_e ON other_e.id = r.other_fact_id
JOIN documents other_d ON other_d.id = r.other_document_id"""
# A relation is listed only when both its facts are (one deprecated hides the pair).
_BOTH_SHOWN = f'{fact_shown("r.fact_id")} AND {fact_shown("r.other_fact_id")}'

CONFLICTS = f"""SELECT {_RELATION_COLUMNS}
{_RELATION_JOINS}
WHERE r.kind = 'contradicts' AND {_BOTH_SHOWN}
ORDER BY r.relation_id
{LIMIT_ALL}"""

CORROBORATIONS = f"""SELECT {_RELATION_COLUMNS}, r.independent
{_RELATION_JOINS}
WHERE r.kind = 'corroborates' AND {_BOTH_SHOWN}
ORDER BY r.relation_id
{LIMIT_ALL}"""

# At most this many hits of each kind are ranked (more when the limit asks for more): bm25
# costs microseconds a row, and a word in most of a million statements would take a second.
# When more match, the first in id order are ranked; when fewer, all of them, exactly.
SEARCH_RANKED = 1000

# Rank (scores only), keep the best :limit, make snippets for those alone from the hits
# between the first and last of them ("+": not one full-text lookup per row, slower). Names
# in the text are found through the index on actor_aliases.normalized: each run of words.
SEARCH = f"""WITH names AS (
  SELECT a.normalized AS name, b.alias AS spelling
  FROM actor_aliases a JOIN actor_aliases b ON b.actor_id = a.actor_id
  WHERE a.normalized IN (SELECT value FROM json_each(factdb_word_runs(:text)))
),
q AS (SELECT factdb_fts_query(:text, (SELECT json_group_array(json_array(name, spelling))
                                      FROM names)) AS m),
n AS (SELECT shown, max(shown, {SEARCH_RANKED}) AS ranked FROM (
  SELECT CAST(coalesce(nullif(:limit, ''), {SEARCH_LIMIT}) AS INTEGER) AS shown)),
hits AS (
  SELECT * FROM (SELECT 'document' AS kind, rowid AS r, bm25(documents_fts, 5.0, 1.0) AS score
    FROM documents_fts WHERE documents_fts MATCH (SELECT m FROM q)
    ORDER BY rowid LIMIT (SELECT ranked FROM n))
  UNION ALL
  SELECT * FROM (SELECT 'statement', rowid, bm25(statements_fts) FROM statements_fts
    WHERE statements_fts MATCH (SELECT m FROM q)
      AND {shown("statements_fts.rowid", "statements", "rowid")}
    ORDER BY rowid LIMIT (SELECT ranked FROM n))
  UNION ALL
  SELECT * FROM (SELECT 'event', rowid, bm25(events_fts) FROM events_fts
    WHERE events_fts MATCH (SELECT m FROM q) AND {shown("events_fts.rowid", "events", "rowid")}
    ORDER BY rowid LIMIT (SELECT ranked FROM n))
),
best AS (SELECT kind, r, score FROM hits ORDER BY score, kind, r LIMIT (SELECT shown FROM n))
SELECT x.kind, x.id, x.speaker, x.document_id, x.title, x.date, x.translation, x.snippet,
       round(-best.score, 3) AS relevance
FROM best JOIN (
  SELECT 'document' AS kind, documents_fts.rowid AS r, d.id, NULL AS speaker,
         d.id AS document_id, d.title, {dated("d.published_on")} AS date,
         {translation("d")} AS translation,
         replace(snippet(documents_fts, -1, '[', ']', '…', 16), char(10), ' ') AS snippet
  FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
  WHERE documents_fts MATCH (SELECT m FROM q)
    AND documents_fts.rowid BETWEEN (SELECT min(r) FROM best WHERE kind = 'document')
                        AND (SELECT max(r) FROM best WHERE kind = 'document')
    AND +documents_fts.rowid IN (SELECT r FROM best WHERE kind = 'document')
  UNION ALL
  SELECT 'statement', statements_fts.rowid, s.id, sp.name, s.document_id, d.title,
         CASE WHEN s.said_on IS NULL THEN {dated("d.published_on")} || ', published'
              ELSE {dated("s.said_on")} END, {translation("d")},
         replace(snippet(statements_fts, 0, '[', ']', '…', 32), char(10), ' ')
  FROM statements_fts JOIN statements s ON s.rowid = statements_fts.rowid
  JOIN actors sp ON sp.id = s.speaker_id JOIN documents d ON d.id = s.document_id
  WHERE statements_fts MATCH (SELECT m FROM q)
    AND statements_fts.rowid BETWEEN (SELECT min(r) FROM best WHERE kind = 'statement')
                        AND (SELECT max(r) FROM best WHERE kind = 'statement')
    AND +statements_fts.rowid IN (SELECT r FROM best WHERE kind = 'statement')
  UNION ALL
  SELECT 'event', events_fts.rowid, e.id, NULL, NULL, NULL, {dated("e.date")}, '',
         replace(snippet(events_fts, -1, '[', ']', '…', 32), char(10), ' ')
  FROM events_fts JOIN events e ON e.rowid = events_fts.rowid
  WHERE events_fts MATCH (SELECT m FROM q)
    AND events_fts.rowid BETWEEN (SELECT min(r) FROM best WHERE kind = 'event')
                        AND (SELECT max(r) FROM best WHERE kind = 'event')
    AND +events_fts.rowid IN (SELECT r FROM best WHERE kind = 'event')
) AS x ON x.kind = best.kind AND x.r = best.r
ORDER BY best.score, best.kind, best.r"""

# The counts and date bounds come from actor_summaries, which the build writes (summing an
# actor's statements, events and documents took some 60k index entries for a busy speaker).
ACTOR = f"""WITH {actor_matches("name")},
mine AS (SELECT id, name, kind, party, description FROM actors
         WHERE id IN (SELECT actor_id FROM matched)),
summed AS (SELECT actor_id, section, CASE WHEN {ASKED} THEN n_all ELSE n END AS n,
                  CASE WHEN {ASKED} THEN first_all ELSE first END AS first,
                  CASE WHEN {ASKED} THEN last_all ELSE last END AS last
           FROM actor_summaries WHERE actor_id IN (SELECT id FROM mine))
SELECT actor_id, section, value, document_id, detail FROM (
  SELECT id AS actor_id, 0 AS part, 'actor' AS section, name AS value, NULL AS document_id,
         kind || coalesce('; ' || party, '') || coalesce('; ' || description, '') AS detail
  FROM mine
  UNION ALL
  SELECT actor_id, 1, 'alias', alias, document_id,
         CASE WHEN document_id IS NULL THEN 'not seen in a document'
              ELSE 'first seen at ' || start_offset END
  FROM actor_aliases WHERE actor_id IN (SELECT id FROM mine)
  UNION ALL
  SELECT actor_id, 2, 'role', role, document_id, words
  FROM actor_roles WHERE actor_id IN (SELECT id FROM mine)
  UNION ALL
  SELECT m.id, s.part, s.section, coalesce(t.n, 0), NULL,
         'first ' || t.first || ', last ' || t.last
  FROM mine m
  CROSS JOIN (SELECT 'statements' AS section, 3 AS part UNION ALL SELECT 'events', 4
              UNION ALL SELECT 'documents', 5) s
  LEFT JOIN summed t ON t.actor_id = m.id AND t.section = s.section
)
ORDER BY actor_id, part, value, document_id"""

DOCUMENT = f"""WITH doc AS (SELECT * FROM documents WHERE id = :id)
SELECT kind, id, start_offset, label, text, date FROM (
  SELECT 0 AS part, m.n, 'document' AS kind, doc.id, NULL AS start_offset, m.label, m.text,
         NULL AS date
  FROM doc, (
    SELECT 1 AS n, 'title' AS label, title AS text FROM doc
    UNION ALL SELECT 2, 'published', published_on || ' (' || published_on_precision || ', '
           || published_on_basis || coalesce(': ' || published_on_words, '')
           || coalesce('; inferred from ' || published_on_inferred_from, '') || ')' FROM doc
    UNION ALL SELECT 3, 'publisher', a.name || ' (' || a.id || ')'
           FROM doc JOIN actors a ON a.id = doc.publisher_id
    UNION ALL SELECT 4, 'author', author FROM doc WHERE author IS NOT NULL
    UNION ALL SELECT 5, 'url', url FROM doc WHERE url IS NOT NULL
    UNION ALL SELECT 6, 'language', language || CASE WHEN is_machine_translation
           THEN ' (machine translation' || coalesce(' from ' || translated_from, '') || ')'
           ELSE coalesce(' (translated from ' || translated_from || ')', '') END FROM doc
    UNION ALL SELECT 7, 'file', file_name || ' (sha256 ' || sha256 || ')' FROM doc
  ) AS m
  UNION ALL
  SELECT 1, 0, 'statement', s.id, s.start_offset, sp.name || ' (' || s.speech || ')',
         s.quote, {dated("s.said_on")}
  FROM statements s JOIN actors sp ON sp.id = s.speaker_id
  WHERE s.document_id = (SELECT id FROM doc) AND {shown("s.id", "statements")}
  UNION ALL
  SELECT 1, 0, 'event', e.id, es.start_offset, e.description, es.words, {dated("e.date")}
  FROM event_sources es JOIN events e ON e.id = es.event_id
  WHERE es.document_id = (SELECT id FROM doc) AND {shown("e.id", "events")}
  UNION ALL
  SELECT 1, 0, 'role', r.actor_id, r.start_offset, r.role, r.words, NULL
  FROM actor_roles r WHERE r.document_id = (SELECT id FROM doc)
  UNION ALL
  SELECT 1, 0, 'skipped', NULL, k.start_offset, k.reason, k.words, NULL
  FROM skipped_passages k WHERE k.document_id = (SELECT id FROM doc)
)
ORDER BY part, n, start_offset, kind, id"""

_NAME = "Any of the actor's names or its id; case and accents are ignored."
_ALL_ROWS = Param("limit", "At most this many rows (default: all).", check="limit", metavar="N")
_ALL = Param("all", "Also list deprecated facts (a curator believes the article got them "
             "wrong; kept with the reason), and what relates to them.", check="flag",
             metavar="")

QUERIES: dict[str, CannedQuery] = {q.name: q for q in (
    CannedQuery(
        "timeline", "Timeline",
        "Events in date order, with date precision and basis, and how many documents "
        "report each.",
        TIMELINE,
        (Param("actor", "Only events this actor took part in. " + _NAME, check="actor",
               metavar="NAME"),
         Param("from", "Only events that may fall on or after this date "
               "(YYYY, YYYY-MM or YYYY-MM-DD).", check="date", metavar="DATE"),
         Param("to", "Only events that may fall on or before this date "
               "(YYYY, YYYY-MM or YYYY-MM-DD).", check="date", metavar="DATE"), _ALL_ROWS,
         _ALL),
    ),
    CannedQuery(
        "said", "What an actor said",
        "What an actor said: quote, direct or reported, date, venue, relay and document.",
        SAID,
        (Param("name", _NAME, required=True, check="actor", metavar="NAME"), _ALL_ROWS, _ALL),
    ),
    CannedQuery(
        "sources", "Sources of an event",
        "The documents behind an event, with their evidence words and publication dates.",
        SOURCES,
        (Param("event", "An event id, or words of its description.", required=True,
               check="event", metavar="EVENT"), _ALL),
    ),
    CannedQuery(
        "conflicts", "Conflicts",
        "Every contradiction: both sides with speaker or source, document and words, "
        "and the note.",
        CONFLICTS,
        (_ALL_ROWS, _ALL),
    ),
    CannedQuery(
        "corroborations", "Corroborations",
        "Facts that other documents support: both sides, the note, and whether the "
        "sides are independent.",
        CORROBORATIONS,
        (_ALL_ROWS, _ALL),
    ),
    CannedQuery(
        "search", "Full-text search",
        "Full-text search over documents, statements and events, best matches first.",
        SEARCH,
        (Param("text", 'Words to find (all of them; endings and accents do not matter); '
               '"double quotes" for a phrase, a trailing * for a prefix, OR for either, '
               "-word to leave out.", required=True, check="search", metavar="TEXT"),
         Param("limit", f"At most this many of the best matches (default {SEARCH_LIMIT}).",
               check="limit", metavar="N"), _ALL),
    ),
    CannedQuery(
        "actor", "Actor profile",
        "An actor's profile: aliases and where seen, roles, and counts of statements, "
        "events and documents with first and last dates.",
        ACTOR,
        (Param("name", _NAME, required=True, check="actor", metavar="NAME"), _ALL),
    ),
    CannedQuery(
        "document", "Document",
        "One document's metadata and all its facts in text order.",
        DOCUMENT,
        (Param("id", "The document's id.", required=True, check="document", metavar="ID"),
         _ALL),
    ),
    CannedQuery(
        "date-conflicts", "Date conflicts",
        "Dates of one event that cannot both be true: two sources' own dates, or a "
        "source's and the event's.",
        f"SELECT * FROM date_conflicts WHERE {shown('event_id', 'events')} "
        f"ORDER BY event_id, document_id, against {LIMIT_ALL}",
        (_ALL_ROWS, _ALL),
    ),
)}
