"""Partial indexes of deprecated facts: the canned queries leave deprecated statements and
events out (unless asked for every fact), and ask "is this row deprecated?" of these tiny
indexes instead of reading each row (an actor's profile is answered from covering indexes
that do not hold the status).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("statements", "events")
DEPRECATED = "status = 'deprecated'"


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_status", table, ["status"], unique=False,
                        sqlite_where=sa.text(DEPRECATED), postgresql_where=sa.text(DEPRECATED))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(f"ix_{table}_status", table_name=table)
