"""Each actor's counts and first and last dates, per section, written by the build.

The ``actor`` canned query summed up every statement, event and document of the actor on
each call: some 60k index entries and 17k documents deduplicated for the busiest speaker
at 1M statements. ``actor_summaries`` holds the sums (with deprecated facts left out, and
with every fact), so the profile reads a few rows. The build, a rebuild and PostgreSQL's
build fill it after loading (factdb.store.summaries); this migration fills it for a
database upgraded in place.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "actor_summaries",
        sa.Column("actor_id", sa.Text(), nullable=False),
        sa.Column("section", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("first", sa.Text(), nullable=True),
        sa.Column("last", sa.Text(), nullable=True),
        sa.Column("n_all", sa.Integer(), nullable=False),
        sa.Column("first_all", sa.Text(), nullable=True),
        sa.Column("last_all", sa.Text(), nullable=True),
        sa.CheckConstraint("section IN ('statements', 'events', 'documents')",
                           name=op.f("ck_actor_summaries_section")),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"],
                                name=op.f("fk_actor_summaries_actor_id_actors")),
        sa.PrimaryKeyConstraint("actor_id", "section", name=op.f("pk_actor_summaries")),
    )
    from factdb.store.summaries import fill_sql

    for statement in fill_sql(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("actor_summaries")
