"""Indexes for the canned queries: covering indexes for an actor's profile, and lookups by
publisher and by relay.

An actor's profile counts and dates everything the actor said, took part in and appears
in; at 1M statements the busiest speaker has tens of thousands of each. These indexes let
SQLite answer from the index alone instead of reading each row (a document's row holds its
whole text):

- statements by speaker, with document, dates and offset (replaces the index on speaker
  alone): an actor's statements in date order without reading them;
- event participants by actor, with the event (replaces the index on actor alone);
- events and documents by id, with their dates (the queries name these with INDEXED BY);
- documents by publisher and event sources by relay (were full scans).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, columns) of each new index; names follow the models' naming convention.
NEW = [
    ("statements", ["speaker_id", "document_id", "said_on_earliest", "said_on_latest",
                    "said_on", "start_offset"]),
    ("event_participants", ["actor_id", "event_id"]),
    ("events", ["id", "date_earliest", "date_latest", "date"]),
    ("documents", ["id", "published_on_earliest", "published_on_latest", "published_on"]),
    ("documents", ["publisher_id"]),
    ("event_sources", ["relayed_by_id"]),
]
# Indexes the new ones make redundant (a prefix of a new one).
REPLACED = [("statements", ["speaker_id"]), ("event_participants", ["actor_id"])]


def _name(table: str, columns: list[str]) -> str:
    name = f"ix_{table}_{'_'.join(columns)}"
    if len(name) > 63 and op.get_bind().dialect.name == "postgresql":
        # PostgreSQL's names are at most 63 bytes: shortened as SQLAlchemy shortens them
        from sqlalchemy.util import md5_hex

        name = f"{name[:55]}_{md5_hex(name)[-4:]}"
    return name


def upgrade() -> None:
    for table, columns in REPLACED:
        op.drop_index(_name(table, columns), table_name=table)
    for table, columns in NEW:
        op.create_index(_name(table, columns), table, columns, unique=False)


def downgrade() -> None:
    for table, columns in reversed(NEW):
        op.drop_index(_name(table, columns), table_name=table)
    for table, columns in REPLACED:
        op.create_index(_name(table, columns), table, columns, unique=False)
