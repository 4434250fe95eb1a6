"""Full-text search that forgives: the Porter stemmer over the Unicode tokenizer, so
``guarantee`` finds ``guarantees`` and ``indivisible`` finds ``indivisibility``.

The three external-content FTS5 indexes are made again with
``tokenize='porter unicode61 remove_diacritics 2'`` and rebuilt from their tables (they hold
no copy of the words, so no data is lost either way).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_TABLES = {
    "documents_fts": ("documents", ("title", "text")),
    "statements_fts": ("statements", ("quote",)),
    "events_fts": ("events", ("description", "place")),
}
STEMMED = "porter unicode61 remove_diacritics 2"
PLAIN = "unicode61 remove_diacritics 2"


# PostgreSQL: the same change to the text search configuration (Snowball's English stemmer
# after unaccent), and the generated word columns made again so they hold stemmed words.
PG_FTS = {
    "documents": "setweight(to_tsvector('factdb', title), 'A') || "
                 "setweight(to_tsvector('factdb', text), 'B')",
    "statements": "to_tsvector('factdb', quote)",
    "events": "to_tsvector('factdb', description || ' ' || coalesce(place, ''))",
}


def _remake_pg(dictionary: str) -> None:
    bind = op.get_bind()
    schema = bind.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'").scalar()
    chain = f"{schema}.unaccent, {dictionary}" if schema else dictionary
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION factdb ALTER MAPPING FOR hword, hword_part, "
               f"word, asciiword, asciihword, hword_asciipart WITH {chain}")
    for table, vector in PG_FTS.items():
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_words_fts")
        op.execute(f"ALTER TABLE {table} DROP COLUMN words_fts")
        op.execute(f"ALTER TABLE {table} ADD COLUMN words_fts tsvector "
                   f"GENERATED ALWAYS AS ({vector}) STORED")
        op.execute(f"CREATE INDEX ix_{table}_words_fts ON {table} USING gin (words_fts)")
    op.execute("REINDEX INDEX ix_events_description_fts")


def _remake(tokenize: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        _remake_pg("english_stem" if tokenize == STEMMED else "simple")
        return
    for name, (table, columns) in FTS_TABLES.items():
        op.execute(f"DROP TABLE IF EXISTS [{name}]")
        op.execute(f"CREATE VIRTUAL TABLE [{name}] USING fts5({', '.join(columns)}, "
                   f"content=[{table}], tokenize='{tokenize}')")
        op.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('rebuild')")


def upgrade() -> None:
    _remake(STEMMED)


def downgrade() -> None:
    _remake(PLAIN)
