"""`factdb explain ID`: where a curated record was written, its evidence, and what relates to it.

Works from the seeds folder (leniently: a record with a problem is shown without the evidence
that failed to resolve). Returns data; the CLI renders it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from factdb.curate.locate import open_seeds, unknown
from factdb.errors import Problem
from factdb.evidence.locate import Context, context
from factdb.seeds.columns import COLUMNS
from factdb.seeds.corpus import Corpus, Entry
from factdb.seeds.format import EventSeed, Reviewed

MAX_SHOWN = 160  # longer evidence is shown with its middle elided


@dataclass(frozen=True)
class Evidence:
    """Words of a document that a record rests on (or marks), in context."""

    what: str
    document: str
    start: int
    end: int
    context: Context


@dataclass(frozen=True)
class Link:
    """A record related to the one explained, and how."""

    kind: str
    id: str
    how: str
    where: str | None


@dataclass(frozen=True)
class Explanation:
    kind: str  # document, actor, statement, event or relation
    id: str
    where: str  # seed file and line
    fields: tuple[tuple[str, str], ...]
    evidence: tuple[Evidence, ...]
    related: tuple[Link, ...]


def explain(root: Path, ident: str) -> tuple[list[Explanation], list[Problem]]:
    """Every record with id ``ident`` (ids are unique per kind), and the seeds' problems."""
    corpus, problems = open_seeds(root)
    index = _Index(corpus)
    found = index.explain(ident)
    if not found:
        raise unknown("record", ident, index.all_ids())
    return found, problems


def _spans_by_fact(by: dict) -> dict[str, list[tuple[str, int, int]]]:
    """Each fact's evidence spans (a quote in pieces: its pieces) as (document, start, end)."""
    spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for fact, rows in by["statements"].items():
        pieces = by["statement_pieces"].get(fact, [])
        spans[fact] += [(r["document_id"], p["start_offset"], p["end_offset"])
                        for r in rows for p in pieces or [r]]
    for fact, rows in by["event_sources"].items():
        spans[fact] += [(r["document_id"], r["start_offset"], r["end_offset"]) for r in rows]
    return spans


class _Index:
    """The corpus's resolved rows, grouped for lookup by record id."""

    def __init__(self, corpus: Corpus):
        self.c = corpus
        self.by: dict[str, dict[str, list[dict]]] = {}
        for table, key in (("statements", "id"), ("statement_pieces", "statement_id"),
                           ("events", "id"), ("event_sources", "event_id"),
                           ("event_participants", "event_id"), ("actor_aliases", "actor_id"),
                           ("actor_roles", "actor_id"), ("boilerplate_regions", "document_id"),
                           ("skipped_passages", "document_id")):
            groups: dict[str, list[dict]] = defaultdict(list)
            for row in corpus.rows[table]:
                record = dict(zip(COLUMNS[table], row, strict=True))
                groups[record[key]].append(record)
            self.by[table] = groups

    def all_ids(self) -> list[str]:
        return [*self.c.documents, *self.c.actors, *self.c.facts, *self.c.relations]

    def explain(self, ident: str) -> list[Explanation]:
        found = []
        if ident in self.c.documents:
            found.append(self.document(ident))
        if ident in self.c.actors:
            found.append(self.actor(ident))
        if ident in self.c.facts:
            is_event = isinstance(self.c.facts[ident].record, EventSeed)
            found.append(self.event(ident) if is_event else self.statement(ident))
        if ident in self.c.relations:
            found.append(self.relation(ident))
        return found

    # -- helpers ---------------------------------------------------------------------------
    def where(self, entry: Entry | None) -> str | None:
        if entry is None:
            return None
        path = (Path(self.c.root) / entry.file).as_posix()
        return f"{path}:{entry.line}" if entry.line else path

    def link(self, ident: str, how: str) -> Link:
        kind, entry = self.kind_of(ident)
        return Link(kind, ident, how, self.where(entry))

    def kind_of(self, ident: str) -> tuple[str, Entry | None]:
        for kind, table in (("document", self.c.documents), ("actor", self.c.actors),
                            ("relation", self.c.relations)):
            if ident in table:
                return kind, table[ident]
        entry = self.c.facts.get(ident)
        if entry is None:
            return "record", None
        return ("event" if isinstance(entry.record, EventSeed) else "statement"), entry

    def evidence(self, what: str, doc: str, start: int, end: int) -> Evidence:
        return Evidence(what, doc, start, end,
                        context(self.c.texts[doc], start, end, max_match=MAX_SHOWN))

    def actor_name(self, ident: str | None) -> str:
        entry = self.c.actors.get(ident or "")
        return f"{ident} ({entry.record.name})" if entry else str(ident)

    def chain(self, origin: str | None, relay: str | None, doc_id: str) -> str | None:
        """How words reached a document: origin, then relay, then the document's publisher
        (and whose report it republishes); None when nothing but the document is known."""
        if origin is None and relay is None:
            return None
        links = [self.actor_name(origin) if origin in self.c.actors else origin, relay and
                 f"relayed by {self.actor_name(relay)}"]
        doc = self.c.documents.get(doc_id)
        record = doc.record if doc else None
        if record is not None and record.republished_from:
            links.append(f"republished from {self.actor_name(record.republished_from)}")
        publisher = record.publisher if record is not None else None
        links.append(f"{doc_id}" + (f", published by {self.actor_name(publisher)}"
                                    if publisher else ""))
        return " → ".join(x for x in links if x)

    def relations_of(self, fact: str) -> list[Link]:
        links = []
        for rel_id, entry in self.c.relations.items():
            rel = entry.record
            if fact in (rel.fact, rel.other) and rel.fact != rel.other:
                other = rel.other if rel.fact == fact else rel.fact
                links.append(self.link(rel_id, f"{rel.kind} {other}: {rel.note}"))
        return links

    def overlapping(self, fact: str, spans: list[tuple[str, int, int]]) -> list[Link]:
        """Other facts whose evidence overlaps this fact's, in the same document."""
        links = []
        for other, how in _spans_by_fact(self.by).items():
            if other == fact:
                continue
            for doc, a, b in how:
                if any(d == doc and a < end and start < b for d, start, end in spans):
                    links.append(self.link(other, f"evidence overlaps in {doc}"))
                    break
        return links

    # -- one method per kind ---------------------------------------------------------------
    def document(self, ident: str) -> Explanation:
        entry = self.c.documents[ident]
        doc = entry.record
        fields = [("title", doc.title), ("publisher", self.actor_name(doc.publisher)
                                         if doc.publisher else None),
                  ("republished from", self.actor_name(doc.republished_from)
                   if doc.republished_from else None),
                  ("author", doc.author), ("url", doc.url),
                  ("language", doc.language + (f", machine-translated from {doc.translated_from}"
                                               if doc.machine_translation else "")),
                  ("published", _when(dict(zip(_DATE, self.c.published.get(ident, ()),
                                               strict=False)))),
                  ("text", f"texts/{doc.file}"), ("note", doc.note)]
        evidence = []
        if ident in self.c.texts:
            evidence += [self.evidence(f"boilerplate: {r['kind']}", ident, r["start_offset"],
                                       r["end_offset"])
                         for r in self.by["boilerplate_regions"].get(ident, [])]
            evidence += [self.evidence(f"skipped: {r['reason']}", ident, r["start_offset"],
                                       r["end_offset"])
                         for r in self.by["skipped_passages"].get(ident, [])]
        related = []
        for fact, spans in _spans_by_fact(self.by).items():
            if any(d == ident for d, _, _ in spans):
                related.append(self.link(fact, "evidence in this document"))
        for actor, rows in self.by["actor_aliases"].items():
            names = sorted({r["alias"] for r in rows if r["document_id"] == ident})
            if names:
                related.append(self.link(actor, "named " + ", ".join(names)))
        for rel_id, rel_entry in self.c.relations.items():
            rel = rel_entry.record
            if ident in (rel.fact_document, rel.other_document):
                related.append(self.link(rel_id, f"{rel.kind}: {rel.note}"))
        return Explanation("document", ident, self.where(entry), _fields(fields),
                           tuple(evidence), tuple(related))

    def actor(self, ident: str) -> Explanation:
        entry = self.c.actors[ident]
        actor = entry.record
        aliases = "; ".join(f"{a.name} ({', '.join(a.seen_in) or 'no document'})"
                            for a in actor.aliases)
        fields = [("name", actor.name), ("kind", actor.kind), ("description", actor.description),
                  ("party", actor.party), ("aliases", aliases)]
        evidence = [self.evidence(f"role: {r['role']}", r["document_id"], r["start_offset"],
                                  r["end_offset"])
                    for r in self.by["actor_roles"].get(ident, [])]
        evidence += [self.evidence(f"named {r['alias']}", r["document_id"], r["start_offset"],
                                   r["end_offset"])
                     for r in self.by["actor_aliases"].get(ident, []) if r["document_id"]]
        related = []
        for doc_id, doc in self.c.documents.items():
            if doc.record.publisher == ident:
                related.append(self.link(doc_id, "publisher"))
        for fact_id, fact in self.c.facts.items():
            record = fact.record
            if isinstance(record, EventSeed):
                for part in record.participants:
                    if part.actor == ident:
                        related.append(self.link(fact_id, "participant"
                                                 + (f" ({part.role})" if part.role else "")))
                for src in record.sources:
                    if src.relayed_by == ident:
                        related.append(self.link(fact_id, f"relays its report in {src.document}"))
            else:
                if record.speaker == ident:
                    related.append(self.link(fact_id, "speaker"))
                if record.relayed_by == ident:
                    related.append(self.link(fact_id, "relays it"))
        return Explanation("actor", ident, self.where(entry), _fields(fields), tuple(evidence),
                           tuple(related))

    def statement(self, ident: str) -> Explanation:
        entry = self.c.facts[ident]
        st = entry.record
        rows = self.by["statements"].get(ident, [])
        said = _when({k[len("said_on_"):] if k != "said_on" else "value": v
                      for k, v in rows[0].items() if k.startswith("said_on")}) if rows else None
        fields = [("speaker", self.actor_name(st.speaker)), ("document", st.document),
                  ("speech", st.speech), ("said", said), ("venue", st.venue),
                  ("relayed by", self.actor_name(st.relayed_by) if st.relayed_by else None),
                  ("chain", self.chain(st.origin, st.relayed_by, st.document)),
                  ("status", _status(st)), ("note", st.note)]
        what = "quote" if st.speech == "direct" else "reported"
        pieces = self.by["statement_pieces"].get(ident, [])
        evidence = [self.evidence(what, r["document_id"], r["start_offset"], r["end_offset"])
                    for r in rows if not pieces]
        evidence += [self.evidence(f"{what}, piece {p['seq']} of {len(pieces)}", st.document,
                                   p["start_offset"], p["end_offset"]) for p in pieces]
        related = [self.link(st.speaker, "speaker")]
        if st.relayed_by:
            related.append(self.link(st.relayed_by, "relays it"))
        if st.origin:
            related.append(self.link(st.origin, "its origin"))
        spans = [(e.document, e.start, e.end) for e in evidence]
        related += self.relations_of(ident) + self.overlapping(ident, spans)
        return Explanation("statement", ident, self.where(entry), _fields(fields),
                           tuple(evidence), tuple(related))

    def event(self, ident: str) -> Explanation:
        entry = self.c.facts[ident]
        ev = entry.record
        rows = self.by["events"].get(ident, [])
        date = _when({k[len("date_"):] if k != "date" else "value": v
                      for k, v in rows[0].items() if k.startswith("date")}) if rows else None
        chains = "; ".join(c for c in dict.fromkeys(
            self.chain(s.origin, s.relayed_by, s.document) for s in ev.sources) if c)
        fields = [("description", ev.description), ("kind", ev.kind), ("date", date),
                  ("place", ev.place), ("chain", chains), ("status", _status(ev)),
                  ("note", ev.note)]
        evidence = [self.evidence("source" + (f", relayed by {r['relayed_by_id']}"
                                              if r["relayed_by_id"] else "")
                                  + (f", dated {_when(_date_of(r, 'date'))}"
                                     if r["date"] else ""),
                                  r["document_id"], r["start_offset"], r["end_offset"])
                    for r in self.by["event_sources"].get(ident, [])]
        related = [self.link(p.actor, "participant" + (f" ({p.role})" if p.role else ""))
                   for p in ev.participants]
        related += [self.link(s.relayed_by, f"relays its report in {s.document}")
                    for s in ev.sources if s.relayed_by]
        related += [self.link(s.origin, f"origin of its report in {s.document}")
                    for s in ev.sources if s.origin]
        spans = [(e.document, e.start, e.end) for e in evidence]
        related += self.relations_of(ident) + self.overlapping(ident, spans)
        return Explanation("event", ident, self.where(entry), _fields(fields), tuple(evidence),
                           tuple(related))

    def relation(self, ident: str) -> Explanation:
        entry = self.c.relations[ident]
        rel = entry.record
        fields = [("kind", rel.kind), ("fact", rel.fact + (f" in {rel.fact_document}"
                                                         if rel.fact_document else "")),
                  ("other", rel.other + (f" in {rel.other_document}"
                                         if rel.other_document else "")),
                  ("note", rel.note)]
        spans = _spans_by_fact(self.by)
        evidence = []
        for fact, doc in ((rel.fact, rel.fact_document), (rel.other, rel.other_document)):
            evidence += [self.evidence(fact, d, a, b) for d, a, b in spans.get(fact, [])
                         if doc in (None, d)]
        related = [self.link(rel.fact, "fact"), self.link(rel.other, "other")]
        return Explanation("relation", ident, self.where(entry), _fields(fields),
                           tuple(evidence), tuple(related))


_DATE = ("value", "precision", "basis", "words", "inferred_from", "earliest", "latest")


def _when(date: dict) -> str | None:
    """A resolved date as one line: value, basis, the words and what it was inferred from."""
    if not date or date.get("value") is None:
        return None
    parts = [date["basis"]]
    if date.get("inferred_from"):
        parts = [f"{date['basis']} from: {date['inferred_from']}"]
    if date.get("words"):
        parts.append(f"words {date['words']!r}")
    if date.get("earliest") != date.get("latest"):
        parts.append(f"between {date['earliest']} and {date['latest']}")
    return f"{date['value']} ({'; '.join(parts)})"


def _date_of(row: dict, prefix: str) -> dict:
    """A row's date called ``prefix`` as _when reads it (value, precision, ... latest)."""
    return {part or "value": row[prefix + ("_" + part if part else "")]
            for part in ("", *_DATE[1:])}


def _status(fact: Reviewed) -> str | None:
    """A fact's review status when not normal, with its reason."""
    if fact.status == "normal":
        return None
    return f"{fact.status}: {fact.status_reason}" if fact.status_reason else fact.status


def _fields(pairs: list[tuple[str, str | None]]) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in pairs if v)
