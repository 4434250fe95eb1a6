"""A prefix index for 4-letter prefixes in the three FTS5 tables (``prefix='4'``).

Without it FTS5 answers ``homi*`` by reading and merging the postings of every word that
starts so, three times a search (to find the hits, for bm25's IDF, for the snippets): at
1M statements a 4-letter prefix was the slowest search. With it, such a prefix is one
posting list read as far as needed. Other prefix lengths are answered as before. The
indexes take about 1.7x the space and their rebuild 1.4-1.7x the time (README, "search and
actor at 1M"). PostgreSQL: nothing changes (the revision keeps both engines at one number).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS_TABLES = {
    "documents_fts": ("documents", ("title", "text")),
    "statements_fts": ("statements", ("quote",)),
    "events_fts": ("events", ("description", "place")),
}
STEMMED = "porter unicode61 remove_diacritics 2"


def _remake(options: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        return
    for name, (table, columns) in FTS_TABLES.items():
        op.execute(f"DROP TABLE IF EXISTS [{name}]")
        op.execute(f"CREATE VIRTUAL TABLE [{name}] USING fts5({', '.join(columns)}, "
                   f"content=[{table}], tokenize='{STEMMED}'{options})")
        op.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('rebuild')")


def upgrade() -> None:
    _remake(", prefix='4'")


def downgrade() -> None:
    _remake("")
