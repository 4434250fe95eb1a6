"""The rows the loader emits: one named tuple per table, whose fields are its columns.

This is the loader's one statement of what it fills, and in what order: rows are made by
keyword (a missing or unknown column is a TypeError at once), the build's INSERTs and the
curator's tools take ``COLUMNS`` from here, and tests/test_columns.py checks it against the
migrated schema, so a column a migration adds and the loader does not fill fails a test.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

# A curated date fills seven columns: PREFIX, PREFIX_precision, ... PREFIX_latest.
DATE_PARTS = ("", "_precision", "_basis", "_words", "_inferred_from", "_earliest", "_latest")
NO_DATE = (None,) * len(DATE_PARTS)


def dated(prefix: str) -> tuple[str, ...]:
    """The seven column names of the date called ``prefix``."""
    return tuple(prefix + part for part in DATE_PARTS)


def date_columns(prefix: str, values: tuple) -> dict[str, Any]:
    """A date's seven values (as dating.py resolves them) keyed by their column names."""
    return dict(zip(_DATE_NAMES[prefix], values, strict=True))


Document = namedtuple("Document", (
    "id", "title", "publisher_id", "author", "url", "language", "is_machine_translation",
    "translated_from", *dated("published_on"), "file_name", "sha256", "text"))
BoilerplateRegion = namedtuple("BoilerplateRegion", (
    "document_id", "kind", "start_offset", "end_offset"))
SkippedPassage = namedtuple("SkippedPassage", (
    "document_id", "words", "start_offset", "end_offset", "reason"))
Actor = namedtuple("Actor", ("id", "name", "kind", "description", "party"))
ActorAlias = namedtuple("ActorAlias", (
    "actor_id", "alias", "normalized", "document_id", "start_offset", "end_offset"))
ActorRole = namedtuple("ActorRole", (
    "actor_id", "role", "document_id", "words", "start_offset", "end_offset"))
Fact = namedtuple("Fact", ("id", "kind"))
Statement = namedtuple("Statement", (
    "id", "speaker_id", "document_id", "quote", "start_offset", "end_offset", "speech",
    *dated("said_on"), "venue", "relayed_by_id", "note"))
Event = namedtuple("Event", (
    "id", "description", "kind", *dated("date"), "place", "note"))
EventParticipant = namedtuple("EventParticipant", ("event_id", "actor_id", "role"))
EventSource = namedtuple("EventSource", (
    "event_id", "document_id", "words", "start_offset", "end_offset", "relayed_by_id"))
Relation = namedtuple("Relation", (
    "id", "kind", "fact_id", "fact_document_id", "other_fact_id", "other_document_id", "note"))

# Table -> row type, in the order rows are inserted (referenced tables first).
ROWS: dict[str, type] = {
    "documents": Document,
    "boilerplate_regions": BoilerplateRegion,
    "skipped_passages": SkippedPassage,
    "actors": Actor,
    "actor_aliases": ActorAlias,
    "actor_roles": ActorRole,
    "facts": Fact,
    "statements": Statement,
    "events": Event,
    "event_participants": EventParticipant,
    "event_sources": EventSource,
    "relations": Relation,
}
COLUMNS: dict[str, tuple[str, ...]] = {table: row._fields for table, row in ROWS.items()}
LOAD_ORDER = tuple(ROWS)
_DATE_NAMES = {prefix: dated(prefix) for prefix in ("published_on", "said_on", "date")}
