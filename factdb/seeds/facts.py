"""Actors, statements, events and relations: their references and evidence checked, and
the rows they make."""

from __future__ import annotations

from datetime import date

from factdb.evidence.names import normalize_name
from factdb.seeds.columns import (
    COLUMNS,
    DATE_PARTS,
    NO_DATE,
    Actor,
    ActorAlias,
    ActorRole,
    Event,
    EventParticipant,
    EventSource,
    Fact,
    Relation,
    Statement,
    StatementPiece,
)
from factdb.seeds.corpus import Corpus, Entry, Problems
from factdb.seeds.dating import Dating
from factdb.seeds.format import ActorSeed, EventSeed, RelationSeed, StatementSeed
from factdb.seeds.references import References, fact_documents
from factdb.seeds.spans import Spans
from factdb.seeds.validate import suggest

PIECE_MARK = " … "  # between the pieces of a quote, in the stored quote


class Facts:
    """Resolves actors and facts (statements, events), then relations between facts."""

    def __init__(self, corpus: Corpus, problems: Problems, refs: References, spans: Spans,
                 dating: Dating, streaming: bool):
        self.c = corpus
        self.problems = problems
        self.refs = refs
        self.spans = spans
        self.dating = dating
        self.streaming = streaming

    def actor(self, actor_id: str, entry: Entry) -> None:
        rows, known = self.c.rows, self.refs.known
        actor: ActorSeed = entry.record
        rows["actors"].append(Actor(id=actor_id, name=actor.name, kind=actor.kind,
                                    description=actor.description, party=actor.party))
        names: dict[str, list[tuple[int, str]]] = {actor.name: []}
        for i, alias in enumerate(actor.aliases):
            if alias.name in names and alias.name != actor.name:
                self.problems.add(entry, ("aliases", i, "name"), f"alias {alias.name!r} is "
                                  "listed twice")
                continue
            names[alias.name] = [(i, d) for d in dict.fromkeys(alias.seen_in)]
            if len(names[alias.name]) < len(alias.seen_in):  # one sighting row per document
                twice = next(d for d in alias.seen_in if alias.seen_in.count(d) > 1)
                self.problems.add(entry, ("aliases", i, "seen_in"), f"document {twice!r} is "
                                  "listed twice; list each document once")
        for name, seen in names.items():
            normalized = normalize_name(name)
            if not seen:
                rows["actor_aliases"].append(ActorAlias(
                    actor_id=actor_id, alias=name, normalized=normalized, document_id=None,
                    start_offset=None, end_offset=None))
            for i, doc_id in seen:
                path = ("aliases", i, "seen_in")
                if not known(entry, path, doc_id, self.c.documents, "document"):
                    continue
                got = self.spans.sighting(entry, path, doc_id, name)
                if got:
                    rows["actor_aliases"].append(ActorAlias(
                        actor_id=actor_id, alias=name, normalized=normalized,
                        document_id=doc_id, start_offset=got[0], end_offset=got[1]))
        for i, role in enumerate(actor.roles):
            if not known(entry, ("roles", i, "document"), role.document, self.c.documents,
                         "document"):
                continue
            got = self.spans.span(entry, ("roles", i), role.document, role)
            if got:
                rows["actor_roles"].append(ActorRole(
                    actor_id=actor_id, role=role.role, document_id=role.document,
                    words=role.words, start_offset=got[0], end_offset=got[1]))

    def fact(self, section: str, entry: Entry) -> None:
        (self.statement if section == "statements" else self.event)(entry)
        if self.streaming:  # relations need only the fact's documents
            entry.record, entry.path = fact_documents(entry.record), ()

    def statement(self, entry: Entry) -> None:
        known = self.refs.known
        st: StatementSeed = entry.record
        ok = known(entry, ("speaker",), st.speaker, self.c.actors, "actor")
        if st.relayed_by is not None:
            ok &= known(entry, ("relayed_by",), st.relayed_by, self.c.actors, "actor")
        ok &= self.origin(entry, ("origin",), st.origin) & self.reviewed(entry, st)
        if st.document is None or not known(entry, ("document",), st.document,
                                            self.c.documents, "document"):
            return
        pieces = self.pieces(entry, st)
        got = (pieces[0][0], pieces[-1][1]) if pieces else None
        said = NO_DATE
        if st.said is not None:
            said = self.dating.date(entry, ("said",), st.said, st.document, (), [st.document])
        if not ok or got is None or said is None or entry.duplicate:
            return
        self.c.rows["facts"].append(Fact(id=st.id, kind="statement"))
        quote = PIECE_MARK.join(w for _, _, w in pieces)
        self.c.rows["statements"].append(Statement(
            id=st.id, speaker_id=st.speaker, document_id=st.document, quote=quote,
            start_offset=got[0], end_offset=got[1], speech=st.speech,
            said_on=said, venue=st.venue, relayed_by_id=st.relayed_by,
            note=st.note, status=st.status, status_reason=st.status_reason,
            origin_id=st.origin))
        if st.pieces:
            self.c.rows["statement_pieces"].extend(
                StatementPiece(statement_id=st.id, seq=i + 1, words=w, start_offset=a,
                               end_offset=b) for i, (a, b, w) in enumerate(pieces))

    def pieces(self, entry: Entry, st: StatementSeed) -> list[tuple[int, int, str]]:
        """A statement's evidence: its ``words``, or its ``pieces`` in the text's order and
        apart; [] when a piece is missing or misplaced (reported)."""
        if (st.words is None) == (not st.pieces):
            self.problems.add(entry, ("pieces" if st.pieces else "words",),
                              "give either words or pieces (a quote in several parts)"
                              if st.pieces else "missing required field 'words' (or pieces)")
            return []
        if st.words is not None:
            got = self.spans.span(entry, (), st.document, st)
            return [(got[0], got[1], st.words)] if got else []
        found: list[tuple[int, int, str]] = []
        for i, piece in enumerate(st.pieces):
            got = self.spans.span(entry, ("pieces", i), st.document, piece)
            if got is None:
                return []
            if found and got[0] < found[-1][1]:
                where = "overlaps" if got[1] > found[-1][0] else "comes before"
                self.problems.add(entry, ("pieces", i, "words"), f"piece {i + 1} {where} "
                                  f"piece {i} in document {st.document!r}; list the pieces "
                                  "in the text's order, each after the one before")
                return []
            found.append((got[0], got[1], piece.words))
        return found

    def event(self, entry: Entry) -> None:
        known = self.refs.known
        ev: EventSeed = entry.record
        ok = self.reviewed(entry, ev)
        sources, seen = [], set()
        for i, src in enumerate(ev.sources):
            if src.relayed_by is not None:
                ok &= known(entry, ("sources", i, "relayed_by"), src.relayed_by,
                            self.c.actors, "actor")
            ok &= self.origin(entry, ("sources", i, "origin"), src.origin)
            if not known(entry, ("sources", i, "document"), src.document, self.c.documents,
                         "document"):
                ok = False
                continue
            got = self.spans.span(entry, ("sources", i), src.document, src)
            when = NO_DATE
            if src.date is not None:  # read against this source's own document
                when = self.dating.date(entry, ("sources", i, "date"), src.date, src.document,
                                        (), [src.document])
            if got is None or when is None:
                ok = False
            elif (src.document, got[0]) in seen:  # one source per start in a document
                self.problems.add(entry, ("sources", i), "the same evidence is given twice"
                                  if (src.document, got) in seen else "another source of "
                                  "this event starts at the same word of the document; give "
                                  "one source for these words")
                ok = False
            else:
                seen |= {(src.document, got), (src.document, got[0])}
                sources.append(EventSource(
                    event_id=ev.id, document_id=src.document, words=src.words,
                    start_offset=got[0], end_offset=got[1], relayed_by_id=src.relayed_by,
                    origin_id=src.origin, date=when))
        participants, actors = [], set()
        for i, part in enumerate(ev.participants):
            if not known(entry, ("participants", i, "actor"), part.actor, self.c.actors,
                         "actor"):
                ok = False
            elif part.actor in actors:
                self.problems.add(entry, ("participants", i, "actor"),
                                  f"{part.actor!r} is already a participant")
                ok = False
            else:
                actors.add(part.actor)
                participants.append(EventParticipant(event_id=ev.id, actor_id=part.actor,
                                                     role=part.role))
        docs = list(dict.fromkeys(s.document for s in ev.sources))
        if ev.date is not None:
            when = self.dating.date(entry, ("date",), ev.date, docs[0] if docs else None, (),
                                    docs)
        else:
            when = self.sources_date(entry, ev, sources) if ok else None
        if not ok or when is None or entry.duplicate:
            return
        rows = self.c.rows
        rows["facts"].append(Fact(id=ev.id, kind="event"))
        rows["events"].append(Event(id=ev.id, description=ev.description, kind=ev.kind,
                                    date=when, place=ev.place, note=ev.note,
                                    status=ev.status, status_reason=ev.status_reason))
        rows["event_participants"].extend(participants)
        rows["event_sources"].extend(sources)

    def sources_date(self, entry: Entry, ev: EventSeed, sources: list[tuple]) -> tuple | None:
        """An undated event's date: the most precise of its sources' dates that agrees with
        all the others (None: reported)."""
        at = COLUMNS["event_sources"].index("date")
        dated = [(s[1], s[at:at + len(DATE_PARTS)]) for s in sources if s[at] is not None]
        if not dated:
            self.problems.add(entry, ("date",), "missing required field 'date': give the "
                              "event's date, or a date on one of its sources")
            return None
        agreeing = [(doc, d) for doc, d in dated
                    if all(d[5] <= o[6] and o[5] <= d[6] for _, o in dated)]
        if not agreeing:
            self.problems.add(entry, ("date",), "its sources' dates cannot all be true "
                              "(see `factdb query date-conflicts`); give the event's date")
            return None
        doc, d = min(agreeing, key=lambda x: (date.fromisoformat(x[1][6])
                                              - date.fromisoformat(x[1][5])))
        note = f"the date its source in {doc} gives"
        return (*d[:4], f"{note}: {d[4]}" if d[4] else note, *d[5:])

    def origin(self, entry: Entry, path: tuple, origin: str | None) -> bool:
        """Whether an ``origin`` (whose words a report carries) names an actor or a document."""
        if origin is None or origin in self.c.actors or origin in self.c.documents:
            return True
        if origin not in self.refs.invalid_ids and not self.refs.unreadable:
            known = [*self.c.actors, *self.c.documents]
            self.problems.add(entry, path, f"origin {origin!r} is neither an actor nor a "
                              f"document{suggest(origin, known)}")
        return False

    def reviewed(self, entry: Entry, fact: StatementSeed | EventSeed) -> bool:
        """Whether a fact's review status has the reason it needs (all but normal do)."""
        if fact.status == "normal" or fact.status_reason is not None:
            return True
        self.problems.add(entry, ("status",), f"a {fact.status} fact needs a status_reason: "
                          "say why (e.g. which fact supersedes it)")
        return False

    def relations(self) -> None:
        for rel_id, entry in self.c.relations.items():
            rel: RelationSeed = entry.record
            ok = True
            for side, doc_side in (("fact", "fact_document"), ("other", "other_document")):
                fact_id, doc_id = getattr(rel, side), getattr(rel, doc_side)
                if not self.refs.known(entry, (side,), fact_id, self.c.facts, "fact"):
                    ok = False
                    continue
                if doc_id is not None:
                    ok &= self.refs.fact_in_document(entry, doc_side, fact_id, doc_id)
            if rel.fact == rel.other and (rel.fact_document == rel.other_document):
                self.problems.add(entry, ("other",), f"relation links fact {rel.fact!r} to "
                                                     "itself")
                ok = False
            if ok:
                self.c.rows["relations"].append(Relation(
                    id=rel_id, kind=rel.kind, fact_id=rel.fact,
                    fact_document_id=rel.fact_document, other_fact_id=rel.other,
                    other_document_id=rel.other_document, note=rel.note))
