"""Curated dates: check a date's value, precision and bounds, and check (or compute) what
its words say against an anchor document's publication date.

A resolved date is seven column values: value, precision, basis, words, inferred_from,
earliest, latest (see columns.DATE_PARTS).
"""

from __future__ import annotations

import re
from datetime import date

from factdb.dates import values
from factdb.dates import words as date_words
from factdb.errors import FactdbError
from factdb.seeds.columns import NO_DATE
from factdb.seeds.corpus import Corpus, Entry, Problems
from factdb.seeds.format import DateSeed
from factdb.seeds.references import References, names
from factdb.seeds.texts import Texts
from factdb.seeds.validate import suggest


class Dating:
    """Resolves curated dates; publication dates once each, following their anchors."""

    def __init__(self, corpus: Corpus, problems: Problems, refs: References, texts: Texts):
        self.c = corpus
        self.problems = problems
        self.refs = refs
        self.texts = texts

    def publication(self, doc_id: str, chain: tuple[str, ...]) -> tuple | None:
        """A document's resolved publication date (resolving anchors it depends on first)."""
        if doc_id in self.c.published:
            return self.c.published[doc_id]
        entry = self.c.documents.get(doc_id)
        if entry is None or doc_id in chain:
            if entry is not None:
                self.problems.add(entry, ("published", "anchor"), "publication dates anchor "
                                  f"on each other in a loop: {' -> '.join((*chain, doc_id))}")
            return None
        resolved = self.date(entry, ("published",), entry.record.published, None,
                             (*chain, doc_id), [doc_id])
        self.c.published[doc_id] = resolved or NO_DATE
        return resolved

    def date(self, entry: Entry, path: tuple, seed: DateSeed, default_anchor: str | None,
             chain: tuple[str, ...], documents: list[str]) -> tuple | None:
        """Check a curated date and return its seven column values (None: reported).

        A date without a value has words the build understands (validate.py saw to that):
        the value is computed from them, inferred unless the curator said otherwise."""
        report = self.problems.add
        reading = None
        if seed.value is None:
            reading = self.read_words(entry, path, seed, default_anchor, chain)
            if reading is None:
                return None
            # the words' own bounds, unless the curator narrowed them ("last week": 7 days)
            seed = seed.model_copy(update={
                "value": reading.span.value, "basis": seed.basis or "inferred",
                "earliest": seed.earliest or reading.span.earliest.isoformat(),
                "latest": seed.latest or reading.span.latest.isoformat()})
        try:
            span = values.parse_value(seed.value)
        except ValueError as exc:
            report(entry, (*path, "value"), str(exc))
            return None
        if seed.precision and seed.precision != span.precision:
            report(entry, (*path, "precision"), f"precision {seed.precision!r} does not "
                   f"match value {seed.value!r}, which is a {span.precision}")
            return None
        earliest, latest = span.earliest, span.latest
        for bound in ("earliest", "latest"):
            text = getattr(seed, bound)
            if text is None:
                continue
            try:
                day = values.parse_day(text)
            except ValueError as exc:
                report(entry, (*path, bound), str(exc))
                return None
            if not span.earliest <= day <= span.latest:
                report(entry, (*path, bound), f"{text} lies outside {seed.value}")
                return None
            earliest, latest = (day, latest) if bound == "earliest" else (earliest, day)
        if earliest > latest:
            report(entry, (*path, "latest"), "latest is before earliest")
            return None
        if seed.words is not None and documents:
            texts = [t for t in map(self.texts.get, documents) if t is not None]
            if texts and not any(seed.words in t for t in texts):
                report(entry, (*path, "words"), f"date words {seed.words!r} do not occur "
                       f"in {names(documents)}")
        inferred_from = seed.inferred_from
        anchor_id = seed.anchor or default_anchor
        if seed.anchor is not None and not self.refs.known(entry, (*path, "anchor"), seed.anchor,
                                                           self.c.documents, "document"):
            return None
        understood = seed.words is not None and date_words.understood(seed.words)
        if understood and anchor_id is not None:
            anchor = self.publication(anchor_id, chain)
            if anchor is None or anchor[0] is None:
                return None
            a_lo, a_hi = date.fromisoformat(anchor[5]), date.fromisoformat(anchor[6])
            got = date_words.resolve(seed.words, a_lo, a_hi)
            relative = date_words.is_relative(seed.words)
            if got is not None:
                if (got.value, got.earliest, got.latest) != (seed.value, earliest, latest):
                    want = values.Span(seed.value, span.precision, earliest, latest)
                    report(entry, (*path, "value"), f"{seed.words!r} read from "
                           f"{anchor_id}'s publication date ({anchor[0]}) gives "
                           f"{values.contrast(got, want)}")
                    return None
                if relative and seed.basis == "stated":
                    report(entry, (*path, "basis"), f"{seed.words!r} is relative to "
                           "when it was written, so the date is inferred: "
                           "set basis: inferred")
                    return None
                if relative and reading is None:
                    note = f"{anchor_id} publication date ({anchor[0]})"
                    inferred_from = f"{note}; {inferred_from}" if inferred_from else note
        elif seed.words and anchor_id is None and seed.basis == "stated" and reading is None:
            # stated words with nothing to count from (a page's own dateline) must still
            # name the stated date: "Wednesday, March 3" is not 2022-03-03, a Thursday
            got = date_words.resolve(seed.words, earliest, latest)
            dated = got is not None or date_words.understood(
                re.sub(r"^\s*(on\s+)?[A-Za-z]+day,?\s+", "", seed.words))
            if dated and (got is None or got.value != seed.value):
                gives = f"gives {got.value}" if got else "name no day of it (check the weekday)"
                report(entry, (*path, "words"), f"{seed.words!r} read as the stated date "
                       f"{seed.value} {gives}; correct the words or the value")
                return None
        if reading is not None and seed.basis == "inferred":
            inferred_from = f"{reading.note}; {inferred_from}" if inferred_from else reading.note
        if seed.basis == "inferred" and inferred_from is None:
            report(entry, (*path, "inferred_from"), "an inferred date must say what it "
                   "was inferred from: words the build understands (see README) with an "
                   "anchor document, or an `inferred_from` note")
            return None
        return (seed.value, span.precision, seed.basis, seed.words, inferred_from,
                earliest.isoformat(), latest.isoformat())

    def read_words(self, entry: Entry, path: tuple, seed: DateSeed,
                   default_anchor: str | None, chain: tuple[str, ...]) -> date_words.Reading | None:
        """The date a value-less date's words give, read against its anchor (None: reported
        or, when the anchor's own date failed, reported there)."""
        anchor_id = seed.anchor or default_anchor
        if seed.anchor is not None and not self.refs.known(entry, (*path, "anchor"), seed.anchor,
                                                           self.c.documents, "document"):
            return None
        anchor = None
        if anchor_id is not None and date_words.is_relative(seed.words):
            resolved = self.publication(anchor_id, chain)
            if resolved is None or resolved[0] is None:
                return None
            anchor = span_of_columns(resolved)
        try:
            return date_words.explain(seed.words, anchor, f"the publication date of {anchor_id}")
        except ValueError as exc:
            self.problems.add(entry, (*path, "words"), str(exc))
            return None


def span_of_columns(columns: tuple) -> values.Span:
    """A resolved date's span, from its seven column values."""
    return values.Span(columns[0], columns[1], date.fromisoformat(columns[5]),
                       date.fromisoformat(columns[6]))


def compute(words: str, anchor: str | None, corpus: Corpus) -> date_words.Reading:
    """The date ``words`` mean in a document whose publication date anchors them, as a
    build would compute it, with the note it would store; for ``factdb add``.

    ``corpus`` is a loaded seeds folder (``load_partial(root)[0]``); ``anchor`` a document
    id in it (None for words with a year of their own). Raises FactdbError saying what is
    wrong: words it cannot compute from (listing what it understands), an unknown anchor.
    """
    span = None
    if anchor is not None:
        if anchor not in corpus.documents:
            raise FactdbError(f"unknown document {anchor!r}{suggest(anchor, corpus.documents)}")
        resolved = corpus.published.get(anchor)
        if resolved is None or resolved[0] is None:
            raise FactdbError(f"document {anchor!r} has no publication date the build could "
                              "resolve; fix its problems first (factdb check)")
        span = span_of_columns(resolved)
    try:
        return date_words.explain(words, span, f"the publication date of {anchor}")
    except ValueError as exc:
        raise FactdbError(str(exc)) from None
