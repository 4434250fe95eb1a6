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


def _remake(tokenize: str) -> None:
    for name, (table, columns) in FTS_TABLES.items():
        op.execute(f"DROP TABLE IF EXISTS [{name}]")
        op.execute(f"CREATE VIRTUAL TABLE [{name}] USING fts5({', '.join(columns)}, "
                   f"content=[{table}], tokenize='{tokenize}')")
        op.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('rebuild')")


def upgrade() -> None:
    _remake(STEMMED)


def downgrade() -> None:
    _remake(PLAIN)
