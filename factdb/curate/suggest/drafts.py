"""Drafted statements as plain data, and what drafting one document's statements shares.

A :class:`Draft` is a statement record of the seed format (``Draft.seed()``) with where its
words lie, who speaks (a known actor, or a :class:`NewActor` proposed), and why: the cue found
and a confidence between 0 and 1. A writer can add drafts to the seeds as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from factdb.curate.suggest import speech
from factdb.dates import words as date_words
from factdb.errors import Problem
from factdb.evidence.locate import occurrences
from factdb.evidence.passages import Passage, quotes_in, sentences

Speech = Literal["direct", "reported"]
MARKS = "“”„\"‘’"
_LEAD = re.compile(r"(?:\[[^\]]*\]|[….\s])+")  # "…", "[Russia]…." before the words
_TRAIL = re.compile(r"[\s,;:]+$")


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


@dataclass(frozen=True)
class Found:
    """A speaker found for some words, the cue that names them, and where the cue lies."""

    who: speech.Speaker
    cue: str
    confidence: float
    context: tuple[int, int]
    verb: int | None = None  # the speech verb's offset, when a verb is the cue


class Document:
    """One document's text, quotations and mentions, and the drafts' shared steps."""

    def __init__(self, doc: str, text: str, cast: speech.Cast,
                 anchor: tuple[date, date] | None, ids: set[str]) -> None:
        self.id, self.text, self.cast, self.anchor, self.ids = doc, text, cast, anchor, ids
        self.quotes = quotes_in(text)
        self.outer = [self.marks(q) for q in self.quotes]
        self.mentions = [m for m in cast.mentions(text)
                         if not any(a <= m.start < b for a, b in self.outer)]
        self.sentences = sentences(text)
        self.used_verbs: set[int] = set()
        self.speakers: dict[int, Found] = {}  # quote index -> its speaker, once found

    def marks(self, q: Passage) -> tuple[int, int]:
        """The quote's span with its marks (or up to its words when a mark is missing)."""
        text, lo, hi = self.text, q.start, q.end
        while lo > 0 and text[lo - 1].isspace():
            lo -= 1
        lo = lo - 1 if lo > 0 and text[lo - 1] in MARKS else q.start
        while hi < len(text) and text[hi] in " \t":
            hi += 1
        hi = hi + 1 if hi < len(text) and text[hi] in MARKS else q.end
        return lo, hi

    def attribution(self, lo: int, hi: int, first: bool, near: int | None = None
                    ) -> Found | None:
        """A speech verb between ``lo`` and ``hi`` with its subject (first or last one)."""
        verbs = [v for v in speech.VERB.finditer(self.text, lo, hi)
                 if not any(a <= v.start() < b for a, b in self.outer)]
        if near is not None:
            verbs = [v for v in verbs if v.start() - lo <= near]
        for v in verbs if first else reversed(verbs):
            inverted = not any(c.isalnum() for c in self.unquoted(lo, v.start()))
            m = speech.subject_before(self.text, v.start(), self.mentions, lo) or (
                speech.subject_after(self.text, v.end(), self.mentions, hi) if inverted else None)
            if m is not None:
                lo_cue, hi_cue = min(m.start, v.start()), max(m.end, v.end())
                return Found(self.cast.speaker(m, self.mentions),
                             self.text[lo_cue:hi_cue], 1.0, (lo, hi), v.start())
        return None

    def unquoted(self, lo: int, hi: int) -> str:
        """The text between ``lo`` and ``hi`` without its quotations."""
        cuts = sorted((max(a, lo), min(b, hi)) for a, b in self.outer if a < hi and lo < b)
        parts, at = [], lo
        for a, b in cuts:
            parts.append(self.text[at:a])
            at = max(at, b)
        return "".join(parts) + self.text[at:hi]

    def quoted(self, start: int, end: int) -> bool:
        """Whether quotations make up most of some words."""
        inside = sum(max(0, min(end, b) - max(start, a)) for a, b in self.outer)
        return end <= start or inside >= 0.8 * (end - start)

    def draft(self, kind: Speech, start: int, end: int, found: Found | None, how: str
              ) -> Draft:
        """The draft for the words at ``start``-``end``, said by whoever ``found`` names."""
        text = self.text
        words = text[start:end]
        starts = occurrences(text, words)
        occurrence = starts.index(start) + 1 if len(starts) > 1 else None
        if found is None:
            return Draft(self.id, self.new_id("unknown", words), None, None, False, kind, words,
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
        if new and actor in self.cast.actors:  # a known actor, by a name not listed
            new = False
            cue += f"; {who.name!r} taken as actor {actor!r}: add the name as an alias"
        elif new:
            cue += f"; {who.name!r} is no known actor: new actor {actor!r} proposed"
        spans = [(found.context[0], min(start, found.context[1])),
                 (max(end, found.context[0]), found.context[1])]
        said = self.said(spans)
        return Draft(self.id, self.new_id(actor, words), actor, who.name, new, kind, words,
                     start, end, occurrence, said, cue, round(confidence, 2))

    def said(self, spans: list[tuple[int, int]]) -> SaidDate | None:
        """The first date words in ``spans``, resolved against the publication date."""
        found = speech.date_words(self.text, [(a, b) for a, b in spans if a < b])
        if found is None or self.anchor is None:
            return None
        got = date_words.resolve(found, *self.anchor)
        if got is None:
            return None
        basis = "inferred" if date_words.is_relative(found) else "stated"
        return SaidDate(got.value, basis, found)

    def new_id(self, speaker: str, words: str) -> str:
        """A statement id from the speaker and the first words, unused so far."""
        base = f"{speaker}-{speech.slug(' '.join(words.split()[:6]), 40)}"[:90].rstrip("-")
        ident, n = base, 1
        while ident in self.ids:
            n += 1
            ident = f"{base}-{n}"
        self.ids.add(ident)
        return ident


def clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of a reported clause: trimmed, without the sentence's full stop."""
    start, end = trimmed(text, start, end)
    return (start, end - 1) if end > start and text[end - 1] == "." else (start, end)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without leading ellipses or brackets ("[Russia]….") and trailing commas."""
    lead = _LEAD.match(text, start, end)
    if lead:
        start = lead.end()
    words = _TRAIL.sub("", text[start:end])
    return start, start + len(words)


