"""What a seed file defines and refers to, small enough to keep between builds: enough to
know, without validating it again, where its records fall in a build's order and which
records a change elsewhere reaches (the build's reuse, factdb.store.reuse).

A file's summary is one tuple per record it defines, in the order the loader meets them:
``(section, id, digest, actors, documents, either, facts, extra)``, where actors and
documents are what the record waits for (references.needs), ``either`` origins naming an
actor or a document, ``facts`` a relation's facts, and ``extra`` a fact's documents or a
document's text file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from factdb.seeds.corpus import Entry, Order
from factdb.seeds.digests import digest as digest_of
from factdb.seeds.references import fact_documents, needs

Record = tuple  # (section, id, digest, actors, documents, either, facts, extra)
Key = tuple[str, str]  # (section, id)
KIND = {"document": "documents", "actors": "actors", "statements": "facts",
        "events": "facts", "relations": "relations"}  # the id space each section defines


def summarize(data: Any, defined: list[tuple[str, Entry]],
              digests: dict[tuple, bytes] | None = None) -> tuple[Record, ...]:
    """The records a file defined (as Reader.on_read is told of them), summarized;
    ``digests``: their digests by path, where the file's parse worked them out."""
    out = []
    for section, entry in defined:
        r = entry.record
        digest = digests.get(entry.path) if digests is not None else None
        if digest is None:
            raw = data
            for step in entry.path:  # the record as written: a change to any byte shows
                raw = raw[step]
            digest = digest_of(raw, section, r.document if section == "statements" else None)
        actors, docs, either = needs(section, r)
        facts: tuple = ()
        extra: Any = None
        if section == "relations":
            facts = (r.fact, r.other)
            docs = tuple(d for d in (r.fact_document, r.other_document) if d is not None)
        elif section in ("statements", "events"):
            extra = fact_documents(r)
        elif section == "document":
            extra = r.file
        out.append((section, r.id, digest, actors, docs, either, facts, extra))
    return tuple(out)


def order(files: Iterable[tuple[Record, ...]]) -> Order | None:
    """The order a full build resolves the records of these files in (as load._Loader
    does), hence the order of their rows in every table; None if an id is defined twice."""
    defined: dict[str, set[str]] = {k: set() for k in set(KIND.values())}
    actors, published = defined["actors"], set()
    out = Order()
    waiting: dict[str, list[str]] = {"document": [], "actors": [], "statements": [],
                                     "events": []}
    relations: list[str] = []

    def ready(rec: Record) -> bool:
        return (actors.issuperset(rec[3]) and published.issuperset(rec[4])
                and (not rec[5] or all(x in actors or x in published for x in rec[5])))

    for records in files:
        for rec in records:
            ids = defined[KIND[rec[0]]]
            if rec[1] in ids:
                return None
            ids.add(rec[1])
        for rec in records:  # the file's document first: its facts refer to it
            if rec[0] == "document":
                if ready(rec):
                    out.append("document", rec[1])
                    published.add(rec[1])
                else:
                    waiting["document"].append(rec[1])
        for rec in records:
            if rec[0] == "relations":
                relations.append(rec[1])
            elif rec[0] != "document":
                if ready(rec):
                    out.append(rec[0], rec[1])
                else:
                    waiting[rec[0]].append(rec[1])
    for section, ids in waiting.items():  # in the loader's order: documents, actors, facts
        out.extend(section, ids)
    out.extend("relations", relations)
    return out


def affected(old: dict[Key, Record], new: dict[Key, Record], changed_texts: set[str],
             everything: dict[Key, Record]) -> set[Key]:
    """The records to resolve again: new or changed ones, and every record whose
    references reach something that changed (an actor or fact that came or went, a fact
    whose documents changed, a document that changed or that depends on one that did)."""
    todo = {k for k, rec in new.items() if old.get(k) != rec}
    todo |= {k for k, rec in everything.items()
             if k[0] == "document" and rec[7] in changed_texts}
    dirty: set[str] = set()
    for k in old.keys() - new.keys():
        dirty.add(k[1])
    for k in todo:
        was = old.get(k)
        if k[0] == "document" or was is None or (k[0] != "actors"
                                                 and was[7] != everything[k][7]):
            dirty.add(k[1])
    grown = dirty
    while grown:  # records referring to what changed; documents among them change too
        docs = set()
        for k, rec in everything.items():
            if k not in todo and not (grown.isdisjoint(rec[3]) and grown.isdisjoint(rec[4])
                                      and grown.isdisjoint(rec[5])
                                      and grown.isdisjoint(rec[6])):
                todo.add(k)
                if k[0] == "document" and k[1] not in dirty:  # its date may have moved
                    docs.add(k[1])
        dirty |= docs
        grown = docs
    return todo
