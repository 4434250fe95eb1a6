"""PostgreSQL finds a search's first documents by id the cheaper of two ways.

SQLite: nothing changes (the revision keeps both engines at one number). PostgreSQL:
``factdb_first_documents(query, n)`` returns the first ``n`` documents in id order that
match ``query`` (as FTS5 gives its hits in rowid order), with their tsvectors for ranking.

A document's tsvector is kilobytes, stored out of line. Walking the primary key reads one
for every document passed, matching or not; the GIN index finds every hit without reading
one, and then only the hits' rows are read and sorted. The planner prices both as if
reading a tsvector were free, so it walked the key for words in 3-25% of the documents:
about 1,000 / share documents read (two names together in 2.4% of 100k documents: 41k
tsvectors, 270 ms, where the index took 10 ms). Here the planner's own estimate of the
hits (EXPLAIN) decides, with what each way costs per row: walking when hits² > WALK_COST ·
n · documents.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A document passed on the walk costs about 8 hits taken from the index (1M statements,
# 100k documents: 4.9-11 µs against 0.65-1.1 µs, EXPLAIN ANALYZE; docs/benchmarks.md).
WALK_COST = 8
# The two ways differ only in ORDER BY: `id || ''` is the same order, which no index gives.
_FIRST = ("SELECT id, words_fts FROM documents WHERE words_fts @@ $1 ORDER BY {} "
          "LIMIT $2")
FUNCTION = f"""CREATE FUNCTION factdb_first_documents(query tsquery, n bigint)
RETURNS TABLE (id text, words_fts tsvector) LANGUAGE plpgsql AS $$
DECLARE
  plan json;
  hits float8;
  total float8;
BEGIN
  EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM documents WHERE words_fts @@ %L',
                 query) INTO plan;
  hits := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
  SELECT greatest(reltuples, 1) INTO total FROM pg_class WHERE oid = 'documents'::regclass;
  IF hits * hits > {WALK_COST} * n * total THEN
    RETURN QUERY EXECUTE '{_FIRST.format("id")}' USING query, n;
  ELSE
    RETURN QUERY EXECUTE '{_FIRST.format("id || ''''")}' USING query, n;
  END IF;
END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION factdb_first_documents(tsquery, bigint)")
