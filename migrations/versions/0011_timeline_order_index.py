"""The timeline's order as an index: events by (date_earliest, date_latest, id), replacing
the index on date_earliest alone. `timeline` without an actor walks it in order, so its
first row comes at once instead of after every event is sorted; a date range still bounds
the walk, as the old index did.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("ix_events_date_earliest", ["date_earliest"])
NEW = ("ix_events_date_earliest_date_latest_id", ["date_earliest", "date_latest", "id"])


def upgrade() -> None:
    op.create_index(NEW[0], "events", NEW[1], unique=False)
    op.drop_index(OLD[0], table_name="events")


def downgrade() -> None:
    op.create_index(OLD[0], "events", OLD[1], unique=False)
    op.drop_index(NEW[0], table_name="events")
