"""Review status of facts, origins of reports, republication credits, quotes in pieces;
views that show them.

- statements and events: ``status`` (preferred, normal, deprecated) and ``status_reason``;
- statements and event sources: ``origin_id``, whose words a report carries (an actor's or a
  document's id, so no foreign key);
- documents: ``republished_from_id``, the outlet whose report a page carries;
- event sources: their own ``date`` (seven columns, as every date), read against their
  document's date;
- statement_pieces: the passages of a quote interrupted by its attribution or elided (the
  statement's offsets span them all; the evidence view lists the pieces instead);
- statement_details and event_timeline gain status and status_reason; event_source_details
  gains origin_id; relation_details counts a shared origin against independence.

Plain ``ADD COLUMN`` and plain SQL views: the same in SQLite and PostgreSQL. A downgrade
loses what the older schema cannot hold: statuses, origins, sources' dates and quotes'
pieces (a statement in pieces keeps its joined quote; rebuild from the seeds instead).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    ("statements", "status", False), ("statements", "status_reason", True),
    ("statements", "origin_id", True),
    ("events", "status", False), ("events", "status_reason", True),
    ("event_sources", "origin_id", True),
    *(("event_sources", "date" + part, True) for part in (
        "", "_precision", "_basis", "_words", "_inferred_from", "_earliest", "_latest")),
    ("documents", "republished_from_id", True),
]


def _origin(side: str, st: str, src: str) -> str:
    return f"coalesce({st}.origin_id, {src}.origin_id)"


FO, OO = _origin("f", "fs", "fe"), _origin("o", "os", "oe")
FR = "coalesce(fs.relayed_by_id, fe.relayed_by_id)"
OR = "coalesce(os.relayed_by_id, oe.relayed_by_id)"

VIEWS = {
    "statement_details": """
SELECT s.id AS statement_id, s.speaker_id, sp.name AS speaker, s.quote, s.speech,
       s.said_on, s.said_on_precision, s.said_on_basis, s.said_on_earliest, s.said_on_latest,
       s.venue, s.relayed_by_id, rb.name AS relayed_by,
       s.document_id, d.title AS document_title, d.published_on, d.published_on_earliest,
       d.published_on_latest, d.publisher_id, pub.name AS publisher, s.start_offset,
       s.end_offset, s.note, s.status, s.status_reason, s.origin_id
FROM statements s
JOIN actors sp ON sp.id = s.speaker_id
JOIN documents d ON d.id = s.document_id
LEFT JOIN actors rb ON rb.id = s.relayed_by_id
LEFT JOIN actors pub ON pub.id = d.publisher_id""",
    "event_timeline": """
SELECT e.id AS event_id, e.date, e.date_precision, e.date_basis, e.date_earliest,
       e.date_latest, e.description, e.kind, e.place,
       (SELECT count(DISTINCT es.document_id) FROM event_sources es
        WHERE es.event_id = e.id) AS documents,
       (SELECT group_concat(name, ', ') FROM (
          SELECT a.name FROM event_participants p JOIN actors a ON a.id = p.actor_id
          WHERE p.event_id = e.id ORDER BY a.name)) AS participants,
       e.date_words, e.date_inferred_from, e.note, e.status, e.status_reason
FROM events e
ORDER BY e.date_earliest, e.date_latest, e.id""",
    # As in 0002, but a statement in pieces is its pieces (its quote joins them with " … ").
    "evidence": """
SELECT 'statements' AS table_name, id AS record_id, document_id, start_offset, end_offset,
       quote AS words FROM statements s
  WHERE NOT EXISTS (SELECT 1 FROM statement_pieces p WHERE p.statement_id = s.id)
UNION ALL SELECT 'statement_pieces', p.statement_id || '#' || p.seq, s.document_id,
       p.start_offset, p.end_offset, p.words
  FROM statement_pieces p JOIN statements s ON s.id = p.statement_id
UNION ALL SELECT 'event_sources', id, document_id, start_offset, end_offset, words
  FROM event_sources
UNION ALL SELECT 'actor_roles', id, document_id, start_offset, end_offset, words
  FROM actor_roles
UNION ALL SELECT 'actor_aliases', id, document_id, start_offset, end_offset, alias
  FROM actor_aliases WHERE document_id IS NOT NULL
UNION ALL SELECT 'skipped_passages', id, document_id, start_offset, end_offset, words
  FROM skipped_passages""",
    "event_source_details": """
SELECT es.id AS event_source_id, es.event_id, e.description AS event, e.date AS event_date,
       es.document_id, d.title AS document_title, d.published_on, d.published_on_earliest,
       d.publisher_id, pub.name AS publisher, es.words, es.start_offset, es.end_offset,
       es.relayed_by_id, rb.name AS relayed_by, es.origin_id, es.date AS source_date,
       es.date_precision AS source_date_precision, es.date_basis AS source_date_basis,
       es.date_words AS source_date_words, es.date_earliest AS source_date_earliest,
       es.date_latest AS source_date_latest
FROM event_sources es
JOIN events e ON e.id = es.event_id
JOIN documents d ON d.id = es.document_id
LEFT JOIN actors pub ON pub.id = d.publisher_id
LEFT JOIN actors rb ON rb.id = es.relayed_by_id""",
    # As in 0002, and a side's origin (whose words it carries: an actor or a document) comes
    # first in its speaker_or_source ("origin via relay via publisher"); two sides are not
    # independent when one's origin is the other's origin, document, publisher or relay.
    "relation_details": f"""
SELECT r.id AS relation_id, r.kind,
       r.fact_id, CASE WHEN fs.id IS NULL THEN 'event' ELSE 'statement' END AS fact_kind,
       coalesce(fsp.name || coalesce(' via ' || frb.name, ''),
                coalesce(forg.name, fod.title) || coalesce(' via ' || frb.name, '')
                  || coalesce(' via ' || fpub.name, ''),
                frb.name || coalesce(' via ' || fpub.name, ''), fpub.name, fd.id)
         AS fact_speaker_or_source,
       fd.id AS fact_document_id, coalesce(fs.quote, fe.words) AS fact_words,
       {FR} AS fact_relayed_by_id,
       fd.publisher_id AS fact_publisher_id, {FO} AS fact_origin_id,
       r.other_fact_id, CASE WHEN os.id IS NULL THEN 'event' ELSE 'statement' END AS other_kind,
       coalesce(osp.name || coalesce(' via ' || orb.name, ''),
                coalesce(oorg.name, ood.title) || coalesce(' via ' || orb.name, '')
                  || coalesce(' via ' || opub.name, ''),
                orb.name || coalesce(' via ' || opub.name, ''), opub.name, od.id)
         AS other_speaker_or_source,
       od.id AS other_document_id, coalesce(os.quote, oe.words) AS other_words,
       {OR} AS other_relayed_by_id,
       od.publisher_id AS other_publisher_id, {OO} AS other_origin_id,
       r.note,
       CASE
         WHEN fd.id = od.id THEN 'no: same document'
         WHEN {FO} IN ({OO}, od.id, od.publisher_id, {OR})
           THEN 'no: both from ' || coalesce(forg.name, fod.title, {FO})
         WHEN {OO} IN (fd.id, fd.publisher_id, {FR})
           THEN 'no: both from ' || coalesce(oorg.name, ood.title, {OO})
         WHEN {FR} IN ({OR}, od.publisher_id)
           THEN 'no: both from ' || frb.name
         WHEN {OR} = fd.publisher_id
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
LEFT JOIN actors frb ON frb.id = {FR}
LEFT JOIN actors fpub ON fpub.id = fd.publisher_id
LEFT JOIN actors forg ON forg.id = {FO}
LEFT JOIN documents fod ON fod.id = {FO}
LEFT JOIN statements os ON os.id = r.other_fact_id
LEFT JOIN event_sources oe ON os.id IS NULL AND oe.id = (
  SELECT min(x.id) FROM event_sources x WHERE x.event_id = r.other_fact_id
    AND (r.other_document_id IS NULL OR x.document_id = r.other_document_id))
JOIN documents od ON od.id = coalesce(os.document_id, oe.document_id)
LEFT JOIN actors osp ON osp.id = os.speaker_id
LEFT JOIN actors orb ON orb.id = {OR}
LEFT JOIN actors opub ON opub.id = od.publisher_id
LEFT JOIN actors oorg ON oorg.id = {OO}
LEFT JOIN documents ood ON ood.id = {OO}""",
}


# New: pairs of dates of one event that cannot both be true (their ranges do not meet): two
# sources' own dates, or a source's date and the event's.
NEW_VIEWS = {
    "date_conflicts": """
WITH d AS (SELECT id, event_id, document_id, date, date_words, date_earliest, date_latest
           FROM event_sources WHERE date IS NOT NULL)
SELECT a.event_id, a.document_id, a.date, a.date_words,
       b.document_id AS against, b.date AS against_date, b.date_words AS against_words
FROM d a JOIN d b ON b.event_id = a.event_id AND a.id < b.id
WHERE a.date_latest < b.date_earliest OR b.date_latest < a.date_earliest
UNION ALL
SELECT a.event_id, a.document_id, a.date, a.date_words,
       'the event' AS against, e.date AS against_date, e.date_words AS against_words
FROM d a JOIN events e ON e.id = a.event_id
WHERE a.date_latest < e.date_earliest OR e.date_latest < a.date_earliest""",
}


def _migration_0002():
    path = next(Path(__file__).parent.glob("0002_*.py"))
    spec = importlib.util.spec_from_file_location("factdb_migration_0002", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _previous_views() -> dict[str, str]:
    """The views as 0002 defined them (what a downgrade restores)."""
    module = _migration_0002()
    return {name: module.VIEWS[name] for name in VIEWS}


def _for_dialect(name: str, select: str) -> str:
    """PostgreSQL: 0002's edits of these views (string_agg, subquery aliases, text ids),
    and the pieces' text ids."""
    if op.get_bind().dialect.name != "postgresql":
        return select
    edits = _migration_0002().PG_VIEW_EDITS.get(name, ())
    if name == "evidence":
        edits = (*edits, ("SELECT 'statements' AS table_name, id AS record_id,",
                          "SELECT 'statements' AS table_name, id::text AS record_id,"),
                 ("|| '#' || p.seq", "|| '#' || p.seq::text"))
    for old, new in edits:
        select = select.replace(old, new)
    return select


def _replace_views(views: dict[str, str]) -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    for name, select in views.items():
        op.execute(f"CREATE VIEW {name} AS {_for_dialect(name, select).strip()}")


def upgrade() -> None:
    for table, column, nullable in COLUMNS:
        default = None if nullable else sa.text("'normal'")
        op.add_column(table, sa.Column(column, sa.Text(), nullable=nullable,
                                       server_default=default))
    op.create_table(
        "statement_pieces",
        sa.Column("statement_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["statement_id"], ["statements.id"],
                                name="fk_statement_pieces_statement_id_statements"),
        sa.PrimaryKeyConstraint("statement_id", "seq", name="pk_statement_pieces"),
    )
    _replace_views(VIEWS)
    for name, select in NEW_VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {select.strip()}")


def downgrade() -> None:
    for name in [*NEW_VIEWS, *VIEWS]:
        op.execute(f"DROP VIEW IF EXISTS {name}")
    op.drop_table("statement_pieces")
    for table, column, _ in reversed(COLUMNS):  # (SQLite 3.35+ drops columns in place)
        op.drop_column(table, column)
    _replace_views(_previous_views())
