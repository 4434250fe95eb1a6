"""Draft statements for the passages no fact accounts for yet, for a curator to accept.

For every quotation (:func:`factdb.evidence.passages.quotes_in`) a *direct* draft; for
every attribution sentence, the *reported* speech in it ("X said that ...", "according to
X, ...", "..., X said"). Each draft (:mod:`factdb.curate.drafts`) holds the document's exact
words (with ``occurrence`` when they repeat), the speaker (a known actor by any alias, or a
proposed new actor), the date words near the attribution resolved against the publication
date, the cue that gave it away and a confidence between 0 and 1. How a speaker is found is
in :mod:`factdb.curate.speech`.

A quotation's speaker is looked for, in this order: a speech verb and its subject after the
quote in its sentence ("..." Haavisto said; "..." said the delegation), before it in its
sentence or after the quote it continues ("...," he said, "..."), the speaker of the quote
before in the same sentence, a heading ("Lavrov: ..."), the sentence before, and the
paragraph before (ending in a colon: "He continues:"). Each step has a lower confidence.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from factdb.curate.coverage import coverage
from factdb.curate.locate import open_seeds
from factdb.curate.suggest import speech
from factdb.curate.suggest.drafts import (
    MARKS,
    Document,
    Draft,
    Found,
    NewActor,
    Suggestions,
    clause,
    trimmed,
)
from factdb.evidence.passages import Passage, attributions_in
from factdb.seeds.load import COLUMNS, Corpus

_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_DATELINE = re.compile(r"^[^.:]{0,40}\):\s*")  # "Moscow, (UNI/Sputnik): "
_TITLED = re.compile(r"(?:(?:[A-Z][\w’'.-]*|the)\s+)*$")  # the title words before a name
_NOT_SPEECH_START = re.compile(r"^(?:at|in|on|during|to|after|before|with|by|for)\b")
_QUOTE_NEXT = re.compile(r"\s*[:,]?\s*[“\"‘„]")
_THAT = re.compile(r"\bthat\b[\s,]*")


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
        one = Document(doc, corpus.texts[doc], cast, _anchor(corpus, doc), ids)
        drafts.extend(_drafts(one, None if wanted is None else wanted.get(doc, set())))
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


def _drafts(doc: Document, wanted: set[tuple[str, int, int]] | None) -> list[Draft]:
    drafts = []
    for k, q in enumerate(doc.quotes):
        if wanted is None or ("quote", q.start, q.end) in wanted:
            drafts.extend(_direct(doc, k, q))
    for a in attributions_in(doc.text, doc.quotes):
        if wanted is None or ("attribution", a.start, a.end) in wanted:
            drafts.extend(_reported(doc, a))
    return sorted(drafts, key=lambda d: (d.start, d.speech))


# -- quotations ----------------------------------------------------------------------
def _direct(doc: Document, k: int, q: Passage) -> list[Draft]:
    start, end = trimmed(doc.text, q.start, q.end)
    if not any(c.isalpha() for c in doc.text[start:end]):
        return []
    found = _quote_speaker(doc, k)
    if found is not None:
        doc.speakers[k] = found
    if found is not None and found.verb is not None and found.cue.startswith(
            ("quote followed", "second part")):
        doc.used_verbs.add(found.verb)  # the sentence's attribution is this quote's
    draft = doc.draft("direct", start, end, found, "quotation")
    if len(draft.words.split()) <= 4 and _mid_sentence(doc, k):
        draft = replace(draft, cue=draft.cue + "; a short phrase quoted inside a sentence",
                        confidence=round(draft.confidence * 0.4, 2))
    return [draft]


def _quote_speaker(doc: Document, k: int) -> Found | None:
    text = doc.text
    open_at, close_at = doc.outer[k]
    para = text.rfind("\n", 0, open_at) + 1
    para_end = text.find("\n", close_at)
    para_end = len(text) if para_end == -1 else para_end
    nxt = [a for a, _ in doc.outer[k + 1:k + 2] if a < para_end]
    end = _SENTENCE_END.search(text, close_at, nxt[0] if nxt else para_end)
    hi = end.end() if end else (nxt[0] if nxt else para_end)
    found = doc.attribution(close_at, hi, first=True, near=80)
    if found:
        return Found(found.who, f"quote followed by {found.cue!r}", 0.9, found.context,
                     found.verb)
    prev = [b for _, b in doc.outer[max(0, k - 1):k] if b > para]
    lo = max([para, *prev, *(m.end() for m in _SENTENCE_END.finditer(
        text, max([para, *prev]), open_at))])
    found = doc.attribution(lo, open_at, first=False)
    if found:
        broken = bool(prev) and lo == prev[0] and len(text[lo:open_at]) < 60
        how = "second part of a quote broken by" if broken else "quote introduced by"
        return Found(found.who, f"{how} {found.cue!r}", 0.85 if broken else 0.8,
                     found.context, found.verb)
    if prev and lo == prev[0] and k - 1 in doc.speakers:
        earlier = doc.speakers[k - 1]
        return Found(earlier.who, "in the sentence of the quote before, "
                     f"{earlier.cue.split(' ', 3)[-1]}", 0.6, earlier.context)
    heading = re.match(r"\s*([^:\n]{1,40}):", text[para:open_at])
    if heading:
        who = [m for m in doc.mentions if para <= m.start and m.end <= para + heading.end()]
        if who:
            return Found(doc.cast.speaker(who[0], doc.mentions),
                         f"heading {heading.group().strip()!r}", 0.5,
                          (para, para + heading.end()))
    return _earlier(doc, para, lo)


def _earlier(doc: Document, para: int, lo: int) -> Found | None:
    """A speaker from the sentence before, or from the paragraph before the quote."""
    text = doc.text
    if text[para:lo].strip():
        spans = [s for s in doc.sentences if para <= s[0] and s[1] <= lo]
        if spans:
            found = doc.attribution(*spans[-1], first=False)
            if found:
                return Found(found.who, f"the sentence before has {found.cue!r}", 0.6,
                             found.context)
        return None
    before = text[:para].rstrip()
    if not before:
        return None
    prev_para = before.rfind("\n") + 1
    spans = [s for s in doc.sentences if prev_para <= s[0] and s[1] <= len(before)]
    if not spans:
        return None
    found = doc.attribution(*spans[-1], first=False)
    if found is None:
        return None
    if before.endswith(":"):
        return Found(found.who, f"introduced by {found.cue!r} in the paragraph before",
                     0.7, found.context)
    return Found(found.who, f"no attribution; the paragraph before has {found.cue!r}",
                 0.45, found.context)


def _mid_sentence(doc: Document, k: int) -> bool:
    open_at, close_at = doc.outer[k]
    before = doc.text[max(0, open_at - 3):open_at]
    after = doc.text[close_at:close_at + 2]
    return any(c.isalpha() for c in before) and any(c.isalpha() for c in after)


# -- reported speech ----------------------------------------------------------------
def _reported(doc: Document, a: Passage) -> list[Draft]:
    drafts = _according_to(doc, a)
    text = doc.text
    for v in speech.VERB.finditer(text, a.start, a.end):
        if v.start() in doc.used_verbs or any(x <= v.start() < y for x, y in doc.outer):
            continue
        inverted = not any(c.isalnum() for c in doc.unquoted(a.start, v.start()))
        m = speech.subject_before(text, v.start(), doc.mentions, a.start) or (
            speech.subject_after(text, v.end(), doc.mentions, a.end) if inverted else None)
        if m is None or _QUOTE_NEXT.match(text, v.end()):
            continue  # "X stressed: “...”" is the quotation's, drafted as direct speech
        cue = text[min(m.start, v.start()):max(m.end, v.end())]
        start, end, how, confidence = _clause(doc, a, m, v)
        if doc.quoted(start, end):
            continue  # the quotation's own draft has these words
        doc.used_verbs.add(v.start())
        found = Found(doc.cast.speaker(m, doc.mentions), cue, confidence,
                      (a.start, a.end))
        drafts.append(doc.draft("reported", start, end, found, how))
        break
    return _without_overlaps(drafts)


def _according_to(doc: Document, a: Passage) -> list[Draft]:
    """"According to X, ...", "..., according to X", and (machine translations)
    "X according to ..."."""
    text, drafts = doc.text, []
    for at in speech.ACCORDING_TO.finditer(text, a.start, a.end):
        if any(x <= at.start() < y for x, y in doc.outer):
            continue
        comma = text.find(",", at.end(), a.end)
        named = a.end if comma == -1 else comma
        who = [m for m in doc.mentions if at.end() <= m.start and m.end <= named]
        before = text.rfind(",", a.start, at.start())
        if who and named - at.end() <= 60 and (comma != -1 or before != -1):
            cue, confidence, (start, end) = text[at.start():who[0].end], 0.7, (
                (comma + 1, a.end) if comma != -1 else (a.start, before))
            how = "words after" if comma != -1 else "words before"
        else:
            who = [m for m in doc.mentions if a.start <= m.start and m.end <= at.start()
                   and not text[m.end:at.start()].strip()]
            if not who:
                continue
            cue, confidence, (start, end) = text[who[0].start:at.end()], 0.5, (at.end(),
                                                                               a.end)
            how = "words after"
        start, end = clause(text, start, end)
        if doc.quoted(start, end):
            continue
        found = Found(doc.cast.speaker(who[0], doc.mentions), cue, confidence,
                      (a.start, a.end))
        drafts.append(doc.draft("reported", start, end, found, how))
    return drafts


def _clause(doc: Document, a: Passage, m: speech.Mention, v: re.Match
            ) -> tuple[int, int, str, float]:
    """The reported words: after "that", before ", X said", after "said", or all."""
    text = doc.text
    that = _THAT.search(text, v.end(), min(a.end, v.end() + 90))
    if that and "." not in text[v.end():that.start()]:
        return (*clause(text, that.end(), a.end), "the clause after", 0.75)
    head = _TITLED.sub("", text[a.start:min(m.start, v.start())])
    if head.rstrip().endswith(",") and len(head) > 20 and not any(
            c in MARKS for c in head[-3:]):
        start = a.start + (_DATELINE.match(head).end() if _DATELINE.match(head) else 0)
        return (*clause(text, start, a.start + len(head.rstrip()) - 1),
                "the clause before", 0.7)
    rest = text[v.end():a.end].lstrip()
    if v.group().lower() in ("said", "says", "stated", "added", "warned", "claimed") \
            and rest and not _NOT_SPEECH_START.match(rest) and v.start() > m.start:
        return (*clause(text, a.end - len(rest), a.end), "the words after", 0.55)
    start = a.start + len(head) if len(head.strip()) > 3 else a.start
    return start, a.end, "the sentence of", 0.4


def _without_overlaps(drafts: list[Draft]) -> list[Draft]:
    kept: list[Draft] = []
    for d in sorted(drafts, key=lambda d: -d.confidence):
        if not any(k.start < d.end and d.start < k.end for k in kept):
            kept.append(d)
    return kept
