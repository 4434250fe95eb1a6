"""The schema as SQLAlchemy models: Alembic's target for autogenerate comparisons.

Migrations in ``migrations/versions`` create the schema; these models must agree with
them (a test runs Alembic's comparison). Nothing calls ``create_all``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _date_columns(prefix: str, required: bool) -> dict:
    """The seven columns of a date: value, precision, basis, words, source, bounds."""
    nullable = not required
    return {
        prefix: mapped_column(Text, nullable=nullable),
        f"{prefix}_precision": mapped_column(Text, nullable=nullable),
        f"{prefix}_basis": mapped_column(Text, nullable=nullable),
        f"{prefix}_words": mapped_column(Text),
        f"{prefix}_inferred_from": mapped_column(Text),
        f"{prefix}_earliest": mapped_column(Text, nullable=nullable),
        f"{prefix}_latest": mapped_column(Text, nullable=nullable),
    }


def _date_checks(prefix: str) -> tuple:
    return (
        CheckConstraint(f"{prefix}_precision IN ('year', 'month', 'week', 'day', 'range')",
                        name=f"{prefix}_precision"),
        CheckConstraint(f"{prefix}_basis IN ('stated', 'inferred')", name=f"{prefix}_basis"),
    )


def _review_columns() -> dict:
    """A fact's review status and why (migration 0005): preferred, normal or deprecated."""
    return {
        "status": mapped_column(Text, nullable=False, server_default="normal"),
        "status_reason": mapped_column(Text),
    }


def _fk(target: str) -> ForeignKey:
    return ForeignKey(target)


class Actor(Base):
    """A person, organisation, government body, state or media outlet."""

    __tablename__ = "actors"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('person', 'organisation', 'government-body', 'state', 'media-outlet')",
            name="kind",
        ),
    )
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    party: Mapped[str | None] = mapped_column(Text)


class Document(Base):
    """A source article, its curated metadata and its full text."""

    __tablename__ = "documents"
    __table_args__ = (
        *_date_checks("published_on"),
        Index(None, "publisher_id"),
        # a document's dates without reading its text (migration 0003)
        Index(None, "id", "published_on_earliest", "published_on_latest", "published_on"),
    )
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    publisher_id: Mapped[str | None] = mapped_column(Text, _fk("actors.id"))
    author: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(Text, nullable=False)
    is_machine_translation: Mapped[bool] = mapped_column(Boolean, nullable=False)
    translated_from: Mapped[str | None] = mapped_column(Text)
    locals().update(_date_columns("published_on", required=True))
    file_name: Mapped[str] = mapped_column(Text, nullable=False)
    sha256: Mapped[str] = mapped_column(Text, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    # the outlet whose report this page carries (migration 0005)
    republished_from_id: Mapped[str | None] = mapped_column(Text)


class BoilerplateRegion(Base):
    """A stretch of a page that is not the article (captions, link lists, forms)."""

    __tablename__ = "boilerplate_regions"
    __table_args__ = (Index(None, "document_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(Text, _fk("documents.id"), nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    start_offset: Mapped[int] = mapped_column(Integer, nullable=False)
    end_offset: Mapped[int] = mapped_column(Integer, nullable=False)


class SkippedPassage(Base):
    """A passage a curator looked at and deliberately recorded no fact for."""

    __tablename__ = "skipped_passages"
    __table_args__ = (Index(None, "document_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(Text, _fk("documents.id"), nullable=False)
    words: Mapped[str] = mapped_column(Text, nullable=False)
    start_offset: Mapped[int] = mapped_column(Integer, nullable=False)
    end_offset: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)


class ActorAlias(Base):
    """A spelling of an actor's name, and where it is seen (document is null if nowhere)."""

    __tablename__ = "actor_aliases"
    __table_args__ = (
        UniqueConstraint("actor_id", "alias", "document_id"),
        Index(None, "normalized"),
        Index(None, "document_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[str] = mapped_column(Text, _fk("actors.id"), nullable=False)
    alias: Mapped[str] = mapped_column(Text, nullable=False)
    normalized: Mapped[str] = mapped_column(Text, nullable=False)
    document_id: Mapped[str | None] = mapped_column(Text, _fk("documents.id"))
    start_offset: Mapped[int | None] = mapped_column(Integer)
    end_offset: Mapped[int | None] = mapped_column(Integer)


class ActorRole(Base):
    """A role an actor held at the time, with the words that say so."""

    __tablename__ = "actor_roles"
    __table_args__ = (Index(None, "actor_id"), Index(None, "document_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[str] = mapped_column(Text, _fk("actors.id"), nullable=False)
    role: Mapped[str] = mapped_column(Text, nullable=False)
    document_id: Mapped[str] = mapped_column(Text, _fk("documents.id"), nullable=False)
    words: Mapped[str] = mapped_column(Text, nullable=False)
    start_offset: Mapped[int] = mapped_column(Integer, nullable=False)
    end_offset: Mapped[int] = mapped_column(Integer, nullable=False)


class Fact(Base):
    """Every statement and event: the things relations can link."""

    __tablename__ = "facts"
    __table_args__ = (CheckConstraint("kind IN ('statement', 'event')", name="kind"),)
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False)


def _deprecated() -> Index:
    """The deprecated facts of a table, a partial index (migration 0007)."""
    where = text("status = 'deprecated'")
    return Index(None, "status", sqlite_where=where, postgresql_where=where)


class Statement(Base):
    """Words attributed to a speaker in one document: a direct quote or reported speech."""

    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint("speech IN ('direct', 'reported')", name="speech"),
        *_date_checks("said_on"),
        # covering an actor's statements with their dates (migration 0003)
        Index(None, "speaker_id", "document_id", "said_on_earliest", "said_on_latest",
              "said_on", "start_offset"),
        Index(None, "document_id", "start_offset"),
        Index(None, "said_on_earliest"),
        Index(None, "relayed_by_id"),
        _deprecated(),
    )
    id: Mapped[str] = mapped_column(Text, _fk("facts.id"), primary_key=True)
    speaker_id: Mapped[str] = mapped_column(Text, _fk("actors.id"), nullable=False)
    document_id: Mapped[str] = mapped_column(Text, _fk("documents.id"), nullable=False)
    quote: Mapped[str] = mapped_column(Text, nullable=False)
    start_offset: Mapped[int] = mapped_column(Integer, nullable=False)
    end_offset: Mapped[int] = mapped_column(Integer, nullable=False)
    speech: Mapped[str] = mapped_column(Text, nullable=False)
    locals().update(_date_columns("said_on", required=False))
    venue: Mapped[str | None] = mapped_column(Text)
    relayed_by_id: Mapped[str | None] = mapped_column(Text, _fk("actors.id"))
    note: Mapped[str | None] = mapped_column(Text)
    locals().update(_review_columns())
    origin_id: Mapped[str | None] = mapped_column(Text)  # an actor's or a document's id


class StatementPiece(Base):
    """One passage of a quote in several pieces (interrupted or elided), in text order
    (migration 0005); a statement given as one passage has no pieces."""

    __tablename__ = "statement_pieces"
    statement_id: Mapped[str] = mapped_column(Text, _fk("statements.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    words: Mapped[str] = mapped_column(Text, nullable=False)
    start_offset: Mapped[int] = mapped_column(Integer, nullable=False)
    end_offset: Mapped[int] = mapped_column(Integer, nullable=False)


class Event(Base):
    """Something that happened or was announced, with its date and place."""

    __tablename__ = "events"
    __table_args__ = (*_date_checks("date"), Index(None, "date_earliest", "date_latest", "id"),
                      Index(None, "id", "date_earliest", "date_latest", "date"), _deprecated())
    id: Mapped[str] = mapped_column(Text, _fk("facts.id"), primary_key=True)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str | None] = mapped_column(Text)
    locals().update(_date_columns("date", required=True))
    place: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    locals().update(_review_columns())


class EventParticipant(Base):
    """An actor taking part in an event, and their part in it."""

    __tablename__ = "event_participants"
    __table_args__ = (Index(None, "actor_id", "event_id"),)
    event_id: Mapped[str] = mapped_column(Text, _fk("events.id"), primary_key=True)
    actor_id: Mapped[str] = mapped_column(Text, _fk("actors.id"), primary_key=True)
    role: Mapped[str | None] = mapped_column(Text)


class EventSource(Base):
    """A document reporting an event, with its own evidence words."""

    __tablename__ = "event_sources"
    __table_args__ = (
        UniqueConstraint("event_id", "document_id", "start_offset"),
        Index(None, "document_id", "start_offset"),
        Index(None, "relayed_by_id"),
        # the sources with their own date, as view date_conflicts reads them (migration 0012)
        Index("ix_event_sources_dated", "event_id", "id", "document_id", "date", "date_words",
              "date_earliest", "date_latest", sqlite_where=text("date IS NOT NULL"),
              postgresql_where=text("date IS NOT NULL")),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(Text, _fk("events.id"), nullable=False)
    document_id: Mapped[str] = mapped_column(Text, _fk("documents.id"), nullable=False)
    words: Mapped[str] = mapped_column(Text, nullable=False)
    start_offset: Mapped[int] = mapped_column(Integer, nullable=False)
    end_offset: Mapped[int] = mapped_column(Integer, nullable=False)
    relayed_by_id: Mapped[str | None] = mapped_column(Text, _fk("actors.id"))
    origin_id: Mapped[str | None] = mapped_column(Text)  # an actor's or a document's id
    # the date this document gives the event, if it gives one (migration 0005)
    locals().update(_date_columns("date", required=False))


class Relation(Base):
    """One fact corroborates or contradicts another (optionally as one document reports it)."""

    __tablename__ = "relations"
    __table_args__ = (
        CheckConstraint("kind IN ('corroborates', 'contradicts')", name="kind"),
        CheckConstraint("fact_id != other_fact_id OR fact_document_id IS NOT other_document_id",
                        name="not_self"),
        Index(None, "fact_id"),
        Index(None, "other_fact_id"),
    )
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    fact_id: Mapped[str] = mapped_column(Text, _fk("facts.id"), nullable=False)
    fact_document_id: Mapped[str | None] = mapped_column(Text, _fk("documents.id"))
    other_fact_id: Mapped[str] = mapped_column(Text, _fk("facts.id"), nullable=False)
    other_document_id: Mapped[str | None] = mapped_column(Text, _fk("documents.id"))
    note: Mapped[str] = mapped_column(Text, nullable=False)


class ActorSummary(Base):
    """An actor's count and first and last date in one section, written by the build after
    loading (factdb.store.summaries): with deprecated facts left out, and with every fact."""

    __tablename__ = "actor_summaries"
    __table_args__ = (
        CheckConstraint("section IN ('statements', 'events', 'documents')", name="section"),
    )
    actor_id: Mapped[str] = mapped_column(Text, _fk("actors.id"), primary_key=True)
    section: Mapped[str] = mapped_column(Text, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False)
    first: Mapped[str | None] = mapped_column(Text)
    last: Mapped[str | None] = mapped_column(Text)
    n_all: Mapped[int] = mapped_column(Integer, nullable=False)
    first_all: Mapped[str | None] = mapped_column(Text)
    last_all: Mapped[str | None] = mapped_column(Text)


metadata = Base.metadata
