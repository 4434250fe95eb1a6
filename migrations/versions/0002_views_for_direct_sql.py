"""Views for direct SQL: statements, event timeline, event sources, relations, and all evidence.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = {
    # Each statement with its speaker's name, its relay and its document.
    "statement_details": """
SELECT s.id AS statement_id, s.speaker_id, sp.name AS speaker, s.quote, s.speech,
       s.said_on, s.said_on_precision, s.said_on_basis, s.said_on_earliest, s.said_on_latest,
       s.venue, s.relayed_by_id, rb.name AS relayed_by,
       s.document_id, d.title AS document_title, d.published_on, d.published_on_earliest,
       d.published_on_latest, d.publisher_id, pub.name AS publisher, s.start_offset,
       s.end_offset, s.note
FROM statements s
JOIN actors sp ON sp.id = s.speaker_id
JOIN documents d ON d.id = s.document_id
LEFT JOIN actors rb ON rb.id = s.relayed_by_id
LEFT JOIN actors pub ON pub.id = d.publisher_id""",
    # Events in date order (a month sorts with its first day), with how many documents report
    # each and who took part.
    "event_timeline": """
SELECT e.id AS event_id, e.date, e.date_precision, e.date_basis, e.date_earliest,
       e.date_latest, e.description, e.kind, e.place,
       (SELECT count(DISTINCT es.document_id) FROM event_sources es
        WHERE es.event_id = e.id) AS documents,
       (SELECT group_concat(name, ', ') FROM (
          SELECT a.name FROM event_participants p JOIN actors a ON a.id = p.actor_id
          WHERE p.event_id = e.id ORDER BY a.name)) AS participants,
       e.date_words, e.date_inferred_from, e.note
FROM events e
ORDER BY e.date_earliest, e.date_latest, e.id""",
    # Each piece of evidence for an event, with its document and publication date.
    "event_source_details": """
SELECT es.id AS event_source_id, es.event_id, e.description AS event, e.date AS event_date,
       es.document_id, d.title AS document_title, d.published_on, d.published_on_earliest,
       d.publisher_id, pub.name AS publisher, es.words, es.start_offset, es.end_offset,
       es.relayed_by_id, rb.name AS relayed_by
FROM event_sources es
JOIN events e ON e.id = es.event_id
JOIN documents d ON d.id = es.document_id
LEFT JOIN actors pub ON pub.id = d.publisher_id
LEFT JOIN actors rb ON rb.id = es.relayed_by_id""",
    # Each relation with both sides resolved to their evidence. A statement side is its quote
    # and speaker; an event side is its first source in the relation's document (or its first
    # source at all) and the outlet that published it (or the document's id when the page
    # names none); "X via Y" means Y relayed X.
    # Two sides are not independent when they share a document, an outlet that published
    # them, or an outlet one of them was relayed from.
    "relation_details": """
SELECT r.id AS relation_id, r.kind,
       r.fact_id, CASE WHEN fs.id IS NULL THEN 'event' ELSE 'statement' END AS fact_kind,
       coalesce(fsp.name || coalesce(' via ' || frb.name, ''),
                frb.name || coalesce(' via ' || fpub.name, ''), fpub.name, fd.id)
         AS fact_speaker_or_source,
       fd.id AS fact_document_id, coalesce(fs.quote, fe.words) AS fact_words,
       coalesce(fs.relayed_by_id, fe.relayed_by_id) AS fact_relayed_by_id,
       fd.publisher_id AS fact_publisher_id,
       r.other_fact_id, CASE WHEN os.id IS NULL THEN 'event' ELSE 'statement' END AS other_kind,
       coalesce(osp.name || coalesce(' via ' || orb.name, ''),
                orb.name || coalesce(' via ' || opub.name, ''), opub.name, od.id)
         AS other_speaker_or_source,
       od.id AS other_document_id, coalesce(os.quote, oe.words) AS other_words,
       coalesce(os.relayed_by_id, oe.relayed_by_id) AS other_relayed_by_id,
       od.publisher_id AS other_publisher_id,
       r.note,
       CASE
         WHEN fd.id = od.id THEN 'no: same document'
         WHEN coalesce(fs.relayed_by_id, fe.relayed_by_id)
              IN (coalesce(os.relayed_by_id, oe.relayed_by_id), od.publisher_id)
           THEN 'no: both from ' || frb.name
         WHEN coalesce(os.relayed_by_id, oe.relayed_by_id) = fd.publisher_id
           THEN 'no: both from ' || orb.name
         WHEN fd.publisher_id = od.publisher_id THEN 'no: both published by ' || fpub.name
         ELSE 'yes'
       END AS independent
FROM relations r
LEFT JOIN statements fs ON fs.id = r.fact_id
LEFT JOIN event_sources fe ON fs.id IS NULL AND fe.id = (
  SELECT min(x.id) FROM event_sources x WHERE x.event_id = r.fact_id
    AND (r.fact_document_id IS NULL OR x.document_id = r.fact_document_id))
JOIN documents fd ON fd.id = coalesce(fs.document_id, fe.document_id)
LEFT JOIN actors fsp ON fsp.id = fs.speaker_id
LEFT JOIN actors frb ON frb.id = coalesce(fs.relayed_by_id, fe.relayed_by_id)
LEFT JOIN actors fpub ON fpub.id = fd.publisher_id
LEFT JOIN statements os ON os.id = r.other_fact_id
LEFT JOIN event_sources oe ON os.id IS NULL AND oe.id = (
  SELECT min(x.id) FROM event_sources x WHERE x.event_id = r.other_fact_id
    AND (r.other_document_id IS NULL OR x.document_id = r.other_document_id))
JOIN documents od ON od.id = coalesce(os.document_id, oe.document_id)
LEFT JOIN actors osp ON osp.id = os.speaker_id
LEFT JOIN actors orb ON orb.id = coalesce(os.relayed_by_id, oe.relayed_by_id)
LEFT JOIN actors opub ON opub.id = od.publisher_id""",
    # Every row that points at words of a document, whatever table holds it: one query
    # checks them all (substr counts characters, as the offsets do).
    "evidence": """
SELECT 'statements' AS table_name, id AS record_id, document_id, start_offset, end_offset,
       quote AS words FROM statements
UNION ALL SELECT 'event_sources', id, document_id, start_offset, end_offset, words
  FROM event_sources
UNION ALL SELECT 'actor_roles', id, document_id, start_offset, end_offset, words
  FROM actor_roles
UNION ALL SELECT 'actor_aliases', id, document_id, start_offset, end_offset, alias
  FROM actor_aliases WHERE document_id IS NOT NULL
UNION ALL SELECT 'skipped_passages', id, document_id, start_offset, end_offset, words
  FROM skipped_passages""",
}


# PostgreSQL: the same views (its name for SQLite's group_concat, an alias its subqueries
# need), and the factdb_* functions SQLite gets from Python (factdb.query.sqlfunctions) as
# SQL functions, for direct SQL. (The canned queries compute them on their parameters in
# Python, exactly as on SQLite: see factdb.query.dialect.)
PG_VIEW_EDITS = {
    "event_timeline": (("group_concat(name, ', ')", "string_agg(name, ', ')"),
                       ("ORDER BY a.name))", "ORDER BY a.name) AS names)")),
    # a column of text ids (statements) and numbers (the others): text in PostgreSQL
    "evidence": tuple((f"SELECT '{t}', id,", f"SELECT '{t}', id::text,") for t in (
        "event_sources", "actor_roles", "actor_aliases", "skipped_passages")),
}
_DAY = "btrim(value)::date::text"
PG_FUNCTIONS = {
    "factdb_date_start(value text)": f"""RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN btrim(value) = '' THEN NULL
    WHEN btrim(value) ~ '^[0-9]{{4}}$' THEN btrim(value) || '-01-01'
    WHEN btrim(value) ~ '^[0-9]{{4}}-[0-9]{{2}}$' THEN (btrim(value) || '-01')::date::text
    ELSE {_DAY} END $$""",
    "factdb_date_end(value text)": f"""RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN btrim(value) = '' THEN NULL
    WHEN btrim(value) ~ '^[0-9]{{4}}$' THEN btrim(value) || '-12-31'
    WHEN btrim(value) ~ '^[0-9]{{4}}-[0-9]{{2}}$' THEN ((btrim(value) || '-01')::date
      + interval '1 month' - interval '1 day')::date::text
    ELSE {_DAY} END $$""",
    # lower case, accents (with unaccent, where the server has it) and punctuation removed
    "factdb_normalize(value text)": """RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  plain text := lower(value);
  ext text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n
               ON n.oid = e.extnamespace WHERE e.extname = 'unaccent');
BEGIN
  IF ext IS NOT NULL THEN
    EXECUTE format('SELECT %I.unaccent($1)', ext) INTO plain USING plain;
  END IF;
  plain := replace(replace(plain, chr(8217), ''), chr(39), '');
  RETURN btrim(regexp_replace(plain, '[^[:alnum:]_]+', ' ', 'g'));
END $$""",
    "factdb_contains_words(haystack text, needle text)": """RETURNS integer LANGUAGE sql
  STABLE AS $$
  SELECT CASE WHEN haystack IS NULL OR needle IS NULL OR factdb_normalize(needle) = '' THEN 0
    WHEN string_to_array(factdb_normalize(needle), ' ')
         <@ string_to_array(factdb_normalize(haystack), ' ') THEN 1 ELSE 0 END $$""",
    # words to find, as a tsquery (to use with @@ on the words_fts columns)
    "factdb_fts_query(value text)": """RETURNS tsquery LANGUAGE sql STABLE AS $$
  SELECT websearch_to_tsquery('factdb', value) $$""",
}


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    postgres = _postgres()
    for name, select in VIEWS.items():
        if postgres:
            for old, new in PG_VIEW_EDITS.get(name, ()):
                select = select.replace(old, new)
            op.execute(f'CREATE VIEW "{name}" AS {select.strip()}')
        else:
            op.execute(f"CREATE VIEW [{name}] AS {select.strip()}")
    if postgres:
        for signature, body in PG_FUNCTIONS.items():
            op.execute(f"CREATE FUNCTION {signature} {body}")


def downgrade() -> None:
    postgres = _postgres()
    if postgres:
        for signature in reversed(PG_FUNCTIONS):
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    for name in reversed(VIEWS):
        op.execute(f'DROP VIEW IF EXISTS "{name}"' if postgres
                   else f"DROP VIEW IF EXISTS [{name}]")
