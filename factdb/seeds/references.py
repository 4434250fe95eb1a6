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
        need_actors, need_docs, either = needs(section, r)
        return (all(a in actors for a in need_actors) and all(d in docs for d in need_docs)
                and all(x in actors or x in docs for x in either))

    def fact_in_document(self, entry: Entry, field_name: str, fact_id: str, doc_id: str) -> bool:
        """Whether a fact has evidence in a document (a relation may name which)."""
        docs = fact_documents(self.c.facts[fact_id].record)
        if doc_id in docs:
            return True
        self.problems.add(entry, (field_name,), f"fact {fact_id!r} has no evidence in "
                          f"document {doc_id!r} (it is in {names(docs)})")
        return False


def needs(section: str, r: Any) -> tuple[tuple, tuple, tuple]:
    """What a record waits for before it is resolved: (actors, documents resolved, origins
    that may name either); the one statement of it, for the loader and for the build's
    reuse of unchanged files (factdb.seeds.summary)."""
    if section == "document":
        return ((*(a for a in (r.publisher, r.republished_from) if a is not None),),
                () if r.published.anchor is None else (r.published.anchor,), ())
    if section == "actors":
        return ((), (*(d for alias in r.aliases for d in alias.seen_in),
                     *(role.document for role in r.roles)), ())
    if section == "statements":
        return ((r.speaker, *(() if r.relayed_by is None else (r.relayed_by,))),
                (r.document, *(() if r.said is None or r.said.anchor is None
                               else (r.said.anchor,))),
                () if r.origin is None else (r.origin,))
    if section == "relations":  # resolved last, waiting for nothing
        return (), (), ()
    dates = (r.date, *(s.date for s in r.sources))
    return ((*(p.actor for p in r.participants),
             *(s.relayed_by for s in r.sources if s.relayed_by is not None)),
            (*(s.document for s in r.sources),
             *(d.anchor for d in dates if d is not None and d.anchor is not None)),
            (*(s.origin for s in r.sources if s.origin is not None),))


def fact_documents(record: StatementSeed | EventSeed | tuple) -> tuple:
    """The documents a fact's evidence is in (a streamed fact keeps only these)."""
    if isinstance(record, tuple):
        return record
    if isinstance(record, EventSeed):
        return tuple(s.document for s in record.sources)
    return (record.document,)


def names(items: list[str] | tuple[str, ...]) -> str:
    return ", ".join(repr(i) for i in items) or "no document"
