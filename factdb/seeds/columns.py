"""The rows the loader emits: one row maker per table, whose keywords are its columns.

This is the loader's one statement of what it fills, and in what order. Rows are made by
keyword only (a missing or unknown column is a TypeError at once); the build's INSERTs and
the curator's tools take ``COLUMNS`` from here; tests/test_columns.py checks it against the
migrated schema, so a column a migration adds and the loader does not fill fails a test.
"""

from __future__ import annotations

from collections.abc import Callable

# A curated date fills seven columns: PREFIX, PREFIX_precision, ... PREFIX_latest.
DATE_PARTS = ("", "_precision", "_basis", "_words", "_inferred_from", "_earliest", "_latest")
NO_DATE = (None,) * len(DATE_PARTS)


class Dated(str):
    """In a row's fields: a date, given as its seven values (dating.py), filling seven
    columns named after it."""


def dated(prefix: str) -> tuple[str, ...]:
    """The seven column names of the date called ``prefix``."""
    return tuple(prefix + part for part in DATE_PARTS)


TABLES: dict[str, tuple[str, ...]] = {  # in the order rows are inserted (referenced first)
    "documents": (
        "id", "title", "publisher_id", "author", "url", "language", "is_machine_translation",
        "translated_from", Dated("published_on"), "file_name", "sha256", "text",
        "republished_from_id"),
    "boilerplate_regions": ("document_id", "kind", "start_offset", "end_offset"),
    "skipped_passages": ("document_id", "words", "start_offset", "end_offset", "reason"),
    "actors": ("id", "name", "kind", "description", "party"),
    "actor_aliases": (
        "actor_id", "alias", "normalized", "document_id", "start_offset", "end_offset"),
    "actor_roles": ("actor_id", "role", "document_id", "words", "start_offset", "end_offset"),
    "facts": ("id", "kind"),
    "statements": (
        "id", "speaker_id", "document_id", "quote", "start_offset", "end_offset", "speech",
        Dated("said_on"), "venue", "relayed_by_id", "note", "status", "status_reason",
        "origin_id"),
    "statement_pieces": ("statement_id", "seq", "words", "start_offset", "end_offset"),
    "events": ("id", "description", "kind", Dated("date"), "place", "note", "status",
               "status_reason"),
    "event_participants": ("event_id", "actor_id", "role"),
    "event_sources": (
        "event_id", "document_id", "words", "start_offset", "end_offset", "relayed_by_id",
        "origin_id", Dated("date")),
    "relations": (
        "id", "kind", "fact_id", "fact_document_id", "other_fact_id", "other_document_id",
        "note"),
}
COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(c for f in fields for c in (dated(f) if isinstance(f, Dated) else (f,)))
    for table, fields in TABLES.items()}
LOAD_ORDER = tuple(TABLES)


def _maker(table: str, fields: tuple[str, ...]) -> Callable[..., tuple]:
    """A function taking the fields by keyword only and returning the row as a tuple.

    Generated (as collections.namedtuple does): a plain function with keyword-only
    parameters costs a tenth of a named tuple made by keyword, and a build makes millions.
    """
    body = ", ".join(f"*{f}" if isinstance(f, Dated) else f for f in fields)
    namespace: dict = {}
    exec(f"def {table}(*, {', '.join(fields)}):\n    return ({body},)", namespace)
    return namespace[table]


ROWS: dict[str, Callable[..., tuple]] = {t: _maker(t, f) for t, f in TABLES.items()}
Document = ROWS["documents"]
BoilerplateRegion = ROWS["boilerplate_regions"]
SkippedPassage = ROWS["skipped_passages"]
Actor = ROWS["actors"]
ActorAlias = ROWS["actor_aliases"]
ActorRole = ROWS["actor_roles"]
Fact = ROWS["facts"]
Statement = ROWS["statements"]
StatementPiece = ROWS["statement_pieces"]
Event = ROWS["events"]
EventParticipant = ROWS["event_participants"]
EventSource = ROWS["event_sources"]
Relation = ROWS["relations"]
