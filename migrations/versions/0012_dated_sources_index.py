"""The sources that give an event their own date, as a partial covering index. The
``date_conflicts`` view pairs such sources; without the index it read every row of
``event_sources`` to find them (all 250k at 1M statements, for an answer that is often
empty), with it only the dated ones.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_event_sources_dated"
COLUMNS = ["event_id", "id", "document_id", "date", "date_words", "date_earliest",
           "date_latest"]


def upgrade() -> None:
    where = sa.text("date IS NOT NULL")
    op.create_index(NAME, "event_sources", COLUMNS, unique=False, sqlite_where=where,
                    postgresql_where=where)


def downgrade() -> None:
    op.drop_index(NAME, table_name="event_sources")
