"""Draft statements for the passages no fact accounts for yet, for a curator to accept.

For every quotation (:func:`factdb.evidence.passages.quotes_in`) a *direct* draft; for
every attribution sentence, the *reported* speech in it ("X said that ...", "according to
X, ...", "..., X said"). Each draft holds the document's exact words (with ``occurrence``
when they repeat), the speaker (a known actor by any alias, or a proposed new actor), the
date words near the attribution resolved against the publication date, the cue that gave
it away and a confidence between 0 and 1. Drafts are plain data: a writer can add them to
the seeds as they are. How a speaker is found is in :mod:`factdb.curate.speech`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from factdb.curate import speech
from factdb.curate.coverage import coverage
from factdb.curate.locate import open_seeds
from factdb.dates import words as date_words
from factdb.errors import Problem
from factdb.evidence.locate import occurrences
from factdb.evidence.passages import Passage, attributions_in, quotes_in, sentences
from factdb.seeds.load import COLUMNS, Corpus

Speech = Literal["direct", "reported"]
_MARKS = "“”„\"‘’"
_LEAD = re.compile(r"(?:\[[^\]]*\]|[….\s])+")  # "…", "[Russia]…." before the words
_TRAIL = re.compile(r"[\s,;:]+$")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_DATELINE = re.compile(r"^[^.:]{0,40}\):\s*")  # "Moscow, (UNI/Sputnik): "
_TITLED = re.compile(r"(?:(?:[A-Z][\w’'.-]*|the)\s+)*$")  # the title words before a name
_NOT_SPEECH_START = re.compile(r"^(?:at|in|on|during|to|after|before|with|by|for)\b")


@dataclass(frozen=True)
class SaidDate:
    """When the words were said, from date words near the attribution."""

    value: str
    basis: Literal["stated", "inferred"]
    words: str


@dataclass(frozen=True)
class NewActor:
    """An actor no known name matches, proposed with a slug id and the name as seen."""

    id: str
    name: str
    kind: str  # a guess from the name; the curator checks it
    seen_in: tuple[str, ...]


@dataclass(frozen=True)
class Draft:
    """A statement drafted from a passage; ``start``/``end`` locate ``words`` exactly."""

    document: str
    id: str
    speaker: str | None  # a known or proposed actor id; None when no speaker was found
    speaker_seen: str | None  # the words that name the speaker
    new_speaker: bool
    speech: Speech
    words: str
    start: int
    end: int
    occurrence: int | None
    said: SaidDate | None
    cue: str  # why: the cue found
    confidence: float

    def seed(self, with_document: bool = True) -> dict[str, Any]:
        """The draft as a statement record of the seed format (README "Seed format")."""
        record: dict[str, Any] = {"id": self.id, "speaker": self.speaker}
        if with_document:
            record["document"] = self.document
        record.update(speech=self.speech, words=self.words)
        if self.occurrence is not None:
            record["occurrence"] = self.occurrence
        if self.said is not None:
            record["said"] = {"value": self.said.value, "basis": self.said.basis,
                              "words": self.said.words}
        return record


@dataclass(frozen=True)
class Suggestions:
    drafts: tuple[Draft, ...]
    new_actors: tuple[NewActor, ...]
    documents: tuple[str, ...]  # the documents looked at
    problems: tuple[Problem, ...]  # seed problems (records with one account for nothing)


def suggest(root: Path, document: str | None = None, all_passages: bool = False
            ) -> Suggestions:
    """Drafts for the unaccounted passages of every document (or of one; or every passage)."""
    corpus, problems = open_seeds(root, document)
    docs = [d for d in corpus.documents if d in corpus.texts and document in (None, d)]
    wanted: dict[str, set[tuple[str, int, int]]] | None = None
    if not all_passages:
        report = coverage(root, document)
        wanted = {d.document: {(i.passage.kind, i.passage.start, i.passage.end)
                               for i in d.items if i.status == "unaccounted"}
                  for d in report.documents}
    cast = _cast(corpus)
    ids = set(corpus.facts)
    drafts: list[Draft] = []
    for doc in docs:
        drafter = _Drafter(doc, corpus.texts[doc], cast, _anchor(corpus, doc), ids)
        drafts.extend(drafter.run(None if wanted is None else wanted.get(doc, set())))
    return Suggestions(tuple(drafts), _new_actors(drafts, cast), tuple(docs), tuple(problems))


def _cast(corpus: Corpus) -> speech.Cast:
    titles: dict[str, list[str]] = {}
    for row in corpus.rows["actor_roles"]:
        titles.setdefault(row[0], []).append(row[1])
    actors = [speech.Actor(r["id"], r["name"], r["kind"],
                           " ".join([r["description"] or "", *titles.get(r["id"], [])]))
              for r in (dict(zip(COLUMNS["actors"], row, strict=True))
                        for row in corpus.rows["actors"])]
    names = [(a.id, a.name) for a in actors]
    names += [(r[0], r[1]) for r in corpus.rows["actor_aliases"]]
    return speech.Cast(actors, names)


def _anchor(corpus: Corpus, doc: str) -> tuple[date, date] | None:
    published = corpus.published.get(doc)
    if not published or published[5] is None:
        return None
    return date.fromisoformat(published[5]), date.fromisoformat(published[6])


def _new_actors(drafts: list[Draft], cast: speech.Cast) -> tuple[NewActor, ...]:
    seen: dict[str, tuple[str, list[str]]] = {}
    for d in drafts:
        if d.new_speaker and d.speaker is not None:
            _, docs = seen.setdefault(d.speaker, (d.speaker_seen or d.speaker, []))
            if d.document not in docs:
                docs.append(d.document)
    return tuple(NewActor(i, name, cast.kind_of(name), tuple(docs))
                 for i, (name, docs) in seen.items())


@dataclass(frozen=True)
class _Found:
    """A speaker found for some words, the cue that names them, and where the cue lies."""

    who: speech.Speaker
    cue: str
    confidence: float
    context: tuple[int, int]
    verb: int | None = None  # the speech verb's offset, when a verb is the cue


class _Drafter:
    """Drafts for one document."""

    def __init__(self, doc: str, text: str, cast: speech.Cast,
                 anchor: tuple[date, date] | None, ids: set[str]) -> None:
        self.doc, self.text, self.cast, self.anchor, self.ids = doc, text, cast, anchor, ids
        self.quotes = quotes_in(text)
        self.outer = [self._marks(q) for q in self.quotes]
        self.mentions = [m for m in cast.mentions(text)
                         if not any(a <= m.start < b for a, b in self.outer)]
        self.used_verbs: set[int] = set()
        self.speakers: dict[int, _Found] = {}  # quote index -> its speaker, once found

    def run(self, wanted: set[tuple[str, int, int]] | None) -> list[Draft]:
        drafts = []
        for k, q in enumerate(self.quotes):
            if wanted is None or ("quote", q.start, q.end) in wanted:
                drafts.extend(self._direct(k, q))
        for a in attributions_in(self.text, self.quotes):
            if wanted is None or ("attribution", a.start, a.end) in wanted:
                drafts.extend(self._reported(a))
        return sorted(drafts, key=lambda d: (d.start, d.speech))

    # -- quotations ------------------------------------------------------------------------
    def _marks(self, q: Passage) -> tuple[int, int]:
        """The quote's span with its marks (or up to its words when a mark is missing)."""
        text, lo, hi = self.text, q.start, q.end
        while lo > 0 and text[lo - 1].isspace():
            lo -= 1
        lo = lo - 1 if lo > 0 and text[lo - 1] in _MARKS else q.start
        while hi < len(text) and text[hi] in " \t":
            hi += 1
        hi = hi + 1 if hi < len(text) and text[hi] in _MARKS else q.end
        return lo, hi

    def _direct(self, k: int, q: Passage) -> list[Draft]:
        start, end = _trimmed(self.text, q.start, q.end)
        if not any(c.isalpha() for c in self.text[start:end]):
            return []
        found = self._quote_speaker(k)
        if found is not None:
            self.speakers[k] = found
        if found is not None and found.verb is not None and found.cue.startswith(
                ("quote followed", "second part")):
            self.used_verbs.add(found.verb)  # the sentence's attribution is this quote's
        draft = self._draft("direct", start, end, found, "quotation")
        if len(draft.words.split()) <= 4 and self._mid_sentence(k):
            draft = _with(draft, cue=draft.cue + "; a short phrase quoted inside a sentence",
                          confidence=round(draft.confidence * 0.4, 2))
        return [draft]

    def _quote_speaker(self, k: int) -> _Found | None:
        text = self.text
        open_at, close_at = self.outer[k]
        para = text.rfind("\n", 0, open_at) + 1
        para_end = text.find("\n", close_at)
        para_end = len(text) if para_end == -1 else para_end
        nxt = [a for a, _ in self.outer[k + 1:k + 2] if a < para_end]
        end = _SENTENCE_END.search(text, close_at, nxt[0] if nxt else para_end)
        hi = end.end() if end else (nxt[0] if nxt else para_end)
        found = self._attribution(close_at, hi, first=True, near=80)
        if found:
            return _Found(found.who, f"quote followed by {found.cue!r}", 0.9, found.context,
                          found.verb)
        prev = [b for _, b in self.outer[max(0, k - 1):k] if b > para]
        lo = max([para, *prev, *(m.end() for m in _SENTENCE_END.finditer(
            text, max([para, *prev]), open_at))])
        found = self._attribution(lo, open_at, first=False)
        if found:
            broken = bool(prev) and lo == prev[0] and len(text[lo:open_at]) < 60
            how = "second part of a quote broken by" if broken else "quote introduced by"
            return _Found(found.who, f"{how} {found.cue!r}", 0.85 if broken else 0.8,
                          found.context, found.verb)
        if prev and lo == prev[0] and k - 1 in self.speakers:
            earlier = self.speakers[k - 1]
            return _Found(earlier.who, "in the sentence of the quote before, "
                          f"{earlier.cue.split(' ', 3)[-1]}", 0.6, earlier.context)
        heading = re.match(r"\s*([^:\n]{1,40}):", text[para:open_at])
        if heading:
            who = [m for m in self.mentions if para <= m.start and m.end <= para + heading.end()]
            if who:
                return _Found(self.cast.speaker(who[0], self.mentions),
                              f"heading {heading.group().strip()!r}", 0.5,
                              (para, para + heading.end()))
        return self._earlier(para, lo)

    def _earlier(self, para: int, lo: int) -> _Found | None:
        """A speaker from the sentence before, or from the paragraph before the quote."""
        text = self.text
        if text[para:lo].strip():
            spans = [s for s in sentences(text) if para <= s[0] and s[1] <= lo]
            if spans:
                found = self._attribution(*spans[-1], first=False)
                if found:
                    return _Found(found.who, f"the sentence before has {found.cue!r}", 0.6,
                                  found.context)
            return None
        before = text[:para].rstrip()
        if not before:
            return None
        prev_para = before.rfind("\n") + 1
        spans = [s for s in sentences(text) if prev_para <= s[0] and s[1] <= len(before)]
        if not spans:
            return None
        found = self._attribution(*spans[-1], first=False)
        if found is None:
            return None
        if before.endswith(":"):
            return _Found(found.who, f"introduced by {found.cue!r} in the paragraph before",
                          0.7, found.context)
        return _Found(found.who, f"no attribution; the paragraph before has {found.cue!r}",
                      0.45, found.context)

    def _mid_sentence(self, k: int) -> bool:
        open_at, close_at = self.outer[k]
        before = self.text[max(0, open_at - 3):open_at]
        after = self.text[close_at:close_at + 2]
        return any(c.isalpha() for c in before) and any(c.isalpha() for c in after)

    def _attribution(self, lo: int, hi: int, first: bool, near: int | None = None
                     ) -> _Found | None:
        """A speech verb between ``lo`` and ``hi`` with its subject (first or last one)."""
        verbs = [v for v in speech.VERB.finditer(self.text, lo, hi)
                 if not any(a <= v.start() < b for a, b in self.outer)]
        if near is not None:
            verbs = [v for v in verbs if v.start() - lo <= near]
        for v in verbs if first else reversed(verbs):
            inverted = not any(c.isalnum() for c in self.text[lo:v.start()])
            m = speech.subject_before(self.text, v.start(), self.mentions, lo) or (
                speech.subject_after(self.text, v.end(), self.mentions, hi) if inverted else None)
            if m is not None:
                lo_cue, hi_cue = min(m.start, v.start()), max(m.end, v.end())
                return _Found(self.cast.speaker(m, self.mentions),
                              self.text[lo_cue:hi_cue], 1.0, (lo, hi), v.start())
        return None

    # -- reported speech -------------------------------------------------------------------
    def _reported(self, a: Passage) -> list[Draft]:
        drafts = self._according_to(a)
        text = self.text
        for v in speech.VERB.finditer(text, a.start, a.end):
            if v.start() in self.used_verbs or any(x <= v.start() < y for x, y in self.outer):
                continue
            inverted = not any(c.isalnum() for c in text[a.start:v.start()])
            m = speech.subject_before(text, v.start(), self.mentions, a.start) or (
                speech.subject_after(text, v.end(), self.mentions, a.end) if inverted else None)
            if m is None:
                continue
            cue = text[min(m.start, v.start()):max(m.end, v.end())]
            start, end, how, confidence = self._clause(a, m, v)
            if self._quoted(start, end):
                continue  # the quotation's own draft has these words
            self.used_verbs.add(v.start())
            found = _Found(self.cast.speaker(m, self.mentions), cue, confidence,
                           (a.start, a.end))
            drafts.append(self._draft("reported", start, end, found, how))
            break
        return _without_overlaps(drafts)

    def _quoted(self, start: int, end: int) -> bool:
        """Whether quotations make up most of some words."""
        inside = sum(max(0, min(end, b) - max(start, a)) for a, b in self.outer)
        return end <= start or inside >= 0.8 * (end - start)

    def _according_to(self, a: Passage) -> list[Draft]:
        """"According to X, ...", "..., according to X", and (machine translations)
        "X according to ..."."""
        text, drafts = self.text, []
        for at in speech.ACCORDING_TO.finditer(text, a.start, a.end):
            if any(x <= at.start() < y for x, y in self.outer):
                continue
            comma = text.find(",", at.end(), a.end)
            named = a.end if comma == -1 else comma
            who = [m for m in self.mentions if at.end() <= m.start and m.end <= named]
            before = text.rfind(",", a.start, at.start())
            if who and named - at.end() <= 60 and (comma != -1 or before != -1):
                cue, confidence, (start, end) = text[at.start():who[0].end], 0.7, (
                    (comma + 1, a.end) if comma != -1 else (a.start, before))
                how = "words after" if comma != -1 else "words before"
            else:
                who = [m for m in self.mentions if a.start <= m.start and m.end <= at.start()
                       and not text[m.end:at.start()].strip()]
                if not who:
                    continue
                cue, confidence, (start, end) = text[who[0].start:at.end()], 0.5, (at.end(),
                                                                                  a.end)
                how = "words after"
            start, end = _clause(text, start, end)
            if self._quoted(start, end):
                continue
            found = _Found(self.cast.speaker(who[0], self.mentions), cue, confidence,
                           (a.start, a.end))
            drafts.append(self._draft("reported", start, end, found, how))
        return drafts

    def _clause(self, a: Passage, m: speech.Mention, v: re.Match) -> tuple[int, int, str, float]:
        """The reported words: after "that", before ", X said", after "said", or all."""
        text = self.text
        that = re.compile(r"\bthat\b[\s,]*").search(text, v.end(), min(a.end, v.end() + 90))
        if that and "." not in text[v.end():that.start()]:
            return (*_clause(text, that.end(), a.end), "the clause after", 0.75)
        head = _TITLED.sub("", text[a.start:min(m.start, v.start())])
        if head.rstrip().endswith(",") and len(head) > 20 and not any(
                c in _MARKS for c in head[-3:]):
            start = a.start + (_DATELINE.match(head).end() if _DATELINE.match(head) else 0)
            return (*_clause(text, start, a.start + len(head.rstrip()) - 1),
                    "the clause before", 0.7)
        rest = text[v.end():a.end].lstrip()
        if v.group().lower() in ("said", "says", "stated", "added", "warned", "claimed") \
                and rest and not _NOT_SPEECH_START.match(rest) and v.start() > m.start:
            return (*_clause(text, a.end - len(rest), a.end), "the words after", 0.55)
        start = a.start + len(head) if len(head.strip()) > 3 else a.start
        return start, a.end, "the sentence of", 0.4

    # -- drafts ----------------------------------------------------------------------------
    def _draft(self, kind: Speech, start: int, end: int, found: _Found | None, how: str
               ) -> Draft:
        text = self.text
        words = text[start:end]
        starts = occurrences(text, words)
        occurrence = starts.index(start) + 1 if len(starts) > 1 else None
        if found is None:
            return Draft(self.doc, self._id("unknown", words), None, None, False, kind, words,
                         start, end, occurrence, None, f"{how} with no speech verb near; "
                         "who said it?", 0.2)
        who, confidence = found.who, found.confidence
        new = who.actor is None
        actor = who.actor or speech.slug(who.name)
        if new:
            confidence *= 0.8
        cue = f"{how} {found.cue!r}" if kind == "reported" else found.cue
        if who.resolved_from is not None:
            cue += f"; {who.mention.text!r} taken as {who.resolved_from.text!r}"
            confidence *= 0.9
        elif new:
            cue += f"; {who.name!r} is no known actor: new actor {actor!r} proposed"
        spans = [(found.context[0], min(start, found.context[1])),
                 (max(end, found.context[0]), found.context[1])]
        said = self._said(spans)
        return Draft(self.doc, self._id(actor, words), actor, who.name, new, kind, words,
                     start, end, occurrence, said, cue, round(confidence, 2))

    def _said(self, spans: list[tuple[int, int]]) -> SaidDate | None:
        found = speech.date_words(self.text, [(a, b) for a, b in spans if a < b])
        if found is None or self.anchor is None:
            return None
        got = date_words.resolve(found, *self.anchor)
        if got is None:
            return None
        basis = "inferred" if date_words.is_relative(found) else "stated"
        return SaidDate(got.value, basis, found)

    def _id(self, speaker: str, words: str) -> str:
        base = f"{speaker}-{speech.slug(' '.join(words.split()[:6]), 40)}"[:90].rstrip("-")
        ident, n = base, 1
        while ident in self.ids:
            n += 1
            ident = f"{base}-{n}"
        self.ids.add(ident)
        return ident


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of a reported clause: trimmed, without the sentence's full stop."""
    start, end = _trimmed(text, start, end)
    return (start, end - 1) if end > start and text[end - 1] == "." else (start, end)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without leading ellipses or brackets ("[Russia]….") and trailing commas."""
    lead = _LEAD.match(text, start, end)
    if lead:
        start = lead.end()
    words = _TRAIL.sub("", text[start:end])
    return start, start + len(words)


def _with(obj: Any, **changes: Any) -> Any:
    from dataclasses import replace

    return replace(obj, **changes)


def _without_overlaps(drafts: list[Draft]) -> list[Draft]:
    kept: list[Draft] = []
    for d in sorted(drafts, key=lambda d: -d.confidence):
        if not any(k.start < d.end and d.start < k.end for k in kept):
            kept.append(d)
    return kept
