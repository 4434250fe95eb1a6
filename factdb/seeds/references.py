"""Record ids and the references between records: duplicates, unknown ids, and whether
everything a record refers to is loaded yet (so it can be resolved while streaming)."""

from __future__ import annotations

from typing import Any

from factdb.seeds.corpus import Corpus, Entry, Problems
from factdb.seeds.format import EventSeed, StatementSeed
from factdb.seeds.validate import suggest


class References:
    """The ids defined so far, and checks of the references to them."""

    def __init__(self, corpus: Corpus, problems: Problems):
        self.c = corpus
        self.problems = problems
        # Ids of records that failed validation, and whether some file could not be read at
        # all: references to them are not reported again as "unknown" (one message per mistake).
        self.invalid_ids: set[str] = set()
        self.unreadable = False

    def register(self, entry: Entry, section: str) -> bool:
        """Record a validated entry's id; whether it is to be resolved (a duplicate fact is
        still checked, never loaded; a duplicate document or actor is neither)."""
        record = entry.record
        if section == "document":
            table, kind = self.c.documents, "document"
        elif section == "actors":
            table, kind = self.c.actors, "actor"
        elif section == "relations":
            table, kind = self.c.relations, "relation"
        else:
            table, kind = self.c.facts, "fact"
        if record.id in table:
            first = table[record.id]
            self.problems.add(entry, ("id",), f"duplicate {kind} id {record.id!r} "
                              f"(first defined in {first.file} line {first.line})")
            entry.duplicate = True
            return section in ("statements", "events")
        table[record.id] = entry
        return section != "relations"

    def known(self, entry: Entry, path: tuple, ref: str | None, table: dict, kind: str) -> bool:
        """Whether ``ref`` names a record of ``table``; an unknown one is a problem."""
        if ref is None or ref in table:
            return ref is not None
        if ref in self.invalid_ids or self.unreadable:
            return False  # its own problem is reported already
        self.problems.add(entry, path, f"unknown {kind} {ref!r}{suggest(ref, table)}")
        return False

    def ready(self, section: str, r: Any) -> bool:
        """Whether every actor and document that a record refers to is loaded already."""
        actors, docs = self.c.actors, self.c.published  # published: documents resolved
        if section == "document":
            return ((r.publisher is None or r.publisher in actors)
                    and (r.republished_from is None or r.republished_from in actors)
                    and (r.published.anchor is None or r.published.anchor in docs))
        if section == "actors":
            return (all(d in docs for alias in r.aliases for d in alias.seen_in)
                    and all(role.document in docs for role in r.roles))
        if section == "statements":
            return (r.speaker in actors and (r.relayed_by is None or r.relayed_by in actors)
                    and _origin_ready(r.origin, actors, docs)
                    and r.document in docs
                    and (r.said is None or r.said.anchor is None or r.said.anchor in docs))
        return (all(p.actor in actors for p in r.participants)
                and all(s.document in docs and (s.relayed_by is None or s.relayed_by in actors)
                        and _origin_ready(s.origin, actors, docs) for s in r.sources)
                and all(d is None or d.anchor is None or d.anchor in docs
                        for d in (r.date, *(s.date for s in r.sources))))

    def fact_in_document(self, entry: Entry, field_name: str, fact_id: str, doc_id: str) -> bool:
        """Whether a fact has evidence in a document (a relation may name which)."""
        docs = fact_documents(self.c.facts[fact_id].record)
        if doc_id in docs:
            return True
        self.problems.add(entry, (field_name,), f"fact {fact_id!r} has no evidence in "
                          f"document {doc_id!r} (it is in {names(docs)})")
        return False


def _origin_ready(origin: str | None, actors: dict, docs: dict) -> bool:
    return origin is None or origin in actors or origin in docs


def fact_documents(record: StatementSeed | EventSeed | tuple) -> tuple:
    """The documents a fact's evidence is in (a streamed fact keeps only these)."""
    if isinstance(record, tuple):
        return record
    if isinstance(record, EventSeed):
        return tuple(s.document for s in record.sources)
    return (record.document,)


def names(items: list[str] | tuple[str, ...]) -> str:
    return ", ".join(repr(i) for i in items) or "no document"
