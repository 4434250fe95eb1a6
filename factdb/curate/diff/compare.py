"""Compare two built databases fact by fact: what was added, removed or changed.

Both are attached to one in-memory SQLite connection; ``EXCEPT`` finds the rows that differ
(in SQL, so a large database is never held in memory), then rows are paired by their key:
a key on both sides is a change, field by field.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AT = ("start_offset", "end_offset")


@dataclass(frozen=True)
class Field:
    """A compared field: one column, or several shown as one (offsets, a date's bounds).

    ``follows`` names a field this one is derived from: a table hides this field's change
    when that one changed too.
    """

    name: str
    columns: tuple[str, ...]
    follows: str | None = None


def _date(prefix: str) -> tuple[Field, ...]:
    return (Field(prefix, (prefix,)),
            Field(f"{prefix}_precision", (f"{prefix}_precision",), follows=prefix),
            Field(f"{prefix}_basis", (f"{prefix}_basis",)),
            Field(f"{prefix}_words", (f"{prefix}_words",)),
            Field(f"{prefix}_inferred_from", (f"{prefix}_inferred_from",)),
            Field(f"{prefix}_bounds", (f"{prefix}_earliest", f"{prefix}_latest"),
                  follows=prefix))


def _fields(*names: str | Field | tuple[Field, ...]) -> tuple[Field, ...]:
    out: list[Field] = []
    for name in names:
        if isinstance(name, Field):
            out.append(name)
        elif isinstance(name, tuple):
            out.extend(name)
        else:
            out.append(Field(name, (name,)))
    return tuple(out)


@dataclass(frozen=True)
class Kind:
    """One kind of record: its table, key, compared fields, and how a line names it.

    A line reads ``KIND ID (SUMMARY...): "WORDS"``: ``ident`` gives the id, ``summary`` the
    columns in brackets and ``words`` its evidence (or its text) column.
    """

    name: str
    plural: str
    table: str
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    ident: str
    summary: tuple[str, ...] = ()
    words: str | None = None
    source: str | None = None  # a FROM clause, when the table alone does not hold the row

    @property
    def columns(self) -> tuple[str, ...]:
        compared = [c for f in self.fields for c in f.columns]
        return tuple(dict.fromkeys([*self.key, *compared]))


KINDS: tuple[Kind, ...] = (
    Kind("document", "documents", "documents", ("id",), _fields(
        "title", "publisher_id", "author", "url", "language", "is_machine_translation",
        "translated_from", _date("published_on"), "file_name", "sha256",
        "republished_from_id"),
        ident="id", summary=("publisher_id", "published_on"), words="title"),
    Kind("boilerplate", "boilerplate", "boilerplate_regions",
         ("document_id", "kind", "words"), _fields(Field("at", AT)),
         ident="document_id", summary=("kind",), words="words",
         source="(SELECT b.*, substr(d.text, b.start_offset + 1, b.end_offset - "
                "b.start_offset) AS words FROM {db}.boilerplate_regions b "
                "JOIN {db}.documents d ON d.id = b.document_id)"),
    Kind("skip", "skips", "skipped_passages", ("document_id", "words"),
         _fields("reason", Field("at", AT)), ident="document_id", words="words"),
    Kind("actor", "actors", "actors", ("id",), _fields("name", "kind", "description", "party"),
         ident="id", summary=("kind",), words="name"),
    Kind("alias", "aliases", "actor_aliases", ("actor_id", "alias", "document_id"),
         _fields(Field("normalized", ("normalized",), follows="alias"), Field("at", AT)),
         ident="actor_id", summary=("document_id",), words="alias"),
    Kind("role", "roles", "actor_roles", ("actor_id", "role", "document_id"),
         _fields("words", Field("at", AT, follows="words")),
         ident="actor_id", summary=("role", "document_id"), words="words"),
    Kind("statement", "statements", "statements", ("id",), _fields(
        "speaker_id", "document_id", "quote", Field("at", AT, follows="quote"), "speech",
        _date("said_on"), "venue", "relayed_by_id", "note", "status", "status_reason",
        "origin_id"),
        ident="id", summary=("speaker_id", "speech"), words="quote"),
    Kind("piece", "pieces", "statement_pieces", ("statement_id", "seq"),
         _fields("words", Field("at", AT, follows="words")),
         ident="statement_id", summary=("seq",), words="words"),
    Kind("event", "events", "events", ("id",), _fields(
        "description", "kind", _date("date"), "place", "note", "status", "status_reason"),
        ident="id", summary=("kind", "date"), words="description"),
    Kind("participant", "participants", "event_participants", ("event_id", "actor_id"),
         _fields("role"), ident="event_id", summary=("actor_id", "role")),
    Kind("event source", "event sources", "event_sources",
         ("event_id", "document_id", "words"),
         _fields(Field("at", AT), "relayed_by_id", "origin_id", _date("date")),
         ident="event_id", summary=("document_id",), words="words"),
    Kind("relation", "relations", "relations", ("id",), _fields(
        "kind", "fact_id", "fact_document_id", "other_fact_id", "other_document_id", "note"),
        ident="id", summary=("kind", "fact_id", "other_fact_id"), words="note"),
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any  # a value, or a list of values for a field of several columns
    new: Any
    follows: str | None = None


@dataclass
class Change:
    """One record added, removed or changed; ``row`` is the new one (the old if removed)."""

    kind: Kind
    change: str  # "added", "removed" or "changed"
    row: dict[str, Any]
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return tuple(self.row[c] for c in self.kind.key)


def compare(old: Path, new: Path) -> list[Change]:
    """Every difference between the databases ``old`` and ``new``, by kind, then by key."""
    conn = sqlite3.connect(":memory:")
    try:
        for name, path in (("old", old), ("new", new)):
            conn.execute(f"ATTACH DATABASE ? AS {name}",
                         (f"file:{Path(path).resolve()}?mode=ro",))
        changes: list[Change] = []
        for kind in KINDS:
            changes.extend(_compare_kind(conn, kind))
        return changes
    finally:
        conn.close()


def _rows(conn: sqlite3.Connection, kind: Kind, first: str, second: str) -> list[dict]:
    cols = ", ".join(kind.columns)

    def source(db: str) -> str:
        return kind.source.format(db=db) if kind.source else f"{db}.{kind.table}"

    query = f"SELECT {cols} FROM {source(first)} EXCEPT SELECT {cols} FROM {source(second)}"
    return [dict(zip(kind.columns, row, strict=True)) for row in conn.execute(query)]


def _compare_kind(conn: sqlite3.Connection, kind: Kind) -> list[Change]:
    olds: dict[tuple, list[dict]] = defaultdict(list)
    news: dict[tuple, list[dict]] = defaultdict(list)
    for row in _rows(conn, kind, "old", "new"):
        olds[tuple(row[c] for c in kind.key)].append(row)
    for row in _rows(conn, kind, "new", "old"):
        news[tuple(row[c] for c in kind.key)].append(row)
    changes = []
    for key in sorted(olds.keys() | news.keys(), key=_sortable):
        before, after = olds.get(key, []), news.get(key, [])
        if len(before) == 1 and len(after) == 1:
            changes.append(Change(kind, "changed", after[0], _field_changes(kind, *before,
                                                                             *after)))
            continue  # several rows under one key cannot be paired: removed and added
        changes.extend(Change(kind, "removed", row) for row in before)
        changes.extend(Change(kind, "added", row) for row in after)
    return changes


def _field_changes(kind: Kind, old: dict, new: dict) -> list[FieldChange]:
    changes = []
    for f in kind.fields:
        was = [old[c] for c in f.columns]
        now = [new[c] for c in f.columns]
        if was != now:
            changes.append(FieldChange(f.name, was if len(was) > 1 else was[0],
                                       now if len(now) > 1 else now[0], f.follows))
    return changes


def _sortable(key: tuple) -> tuple:
    return tuple((value is not None, value) for value in key)
