"""Coverage: whether every quote and attribution in the documents is accounted for.

Each passage found by :mod:`factdb.passages` is, in this order of precedence:
``covered`` when it overlaps the evidence of a statement, an event source or an actor's role
in the same document; ``boilerplate`` when it lies wholly inside a boilerplate region;
``skipped`` when it overlaps a passage the document's seed skips (with a reason); and
``unaccounted`` otherwise.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from factdb.curate.locate import open_seeds
from factdb.errors import Problem
from factdb.evidence.passages import Passage, find_passages
from factdb.seeds.columns import COLUMNS
from factdb.seeds.corpus import Corpus

Status = Literal["covered", "boilerplate", "skipped", "unaccounted"]
STATUSES: tuple[Status, ...] = ("covered", "boilerplate", "skipped", "unaccounted")


@dataclass(frozen=True)
class Item:
    """One passage and how it is accounted for."""

    passage: Passage
    status: Status
    by: tuple[str, ...] = ()  # covering record ids, the boilerplate kind, or the skip reason


@dataclass(frozen=True)
class DocumentCoverage:
    document: str
    items: tuple[Item, ...]

    def count(self, status: Status) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def percent(self) -> float:
        return _percent(len(self.items), self.count("unaccounted"))


@dataclass(frozen=True)
class Coverage:
    documents: tuple[DocumentCoverage, ...]
    problems: tuple[Problem, ...]  # seed problems: records with one cover nothing

    def count(self, status: Status) -> int:
        return sum(d.count(status) for d in self.documents)

    @property
    def passages(self) -> int:
        return sum(len(d.items) for d in self.documents)

    @property
    def percent(self) -> float:
        return _percent(self.passages, self.count("unaccounted"))

    @property
    def complete(self) -> bool:
        return not self.problems and all(d.count("unaccounted") == 0 for d in self.documents)


def coverage(root: Path, document: str | None = None) -> Coverage:
    """Account for the passages of every document under ``root`` (or of one document)."""
    corpus, problems = open_seeds(root, document)
    docs = [d for d in corpus.documents if d in corpus.texts and document in (None, d)]
    evidence, skips = evidence_spans(corpus), _skips(corpus)
    return Coverage(tuple(_document(corpus, d, _Spans(evidence.get(d, [])),
                                    _Spans(skips.get(d, []))) for d in docs), tuple(problems))


def _percent(passages: int, unaccounted: int) -> float:
    """Share of passages accounted for (100 when there are none)."""
    return 100.0 if not passages else 100.0 * (passages - unaccounted) / passages


def evidence_spans(corpus: Corpus) -> dict[str, list[tuple[int, int, str]]]:
    """(start, end, record id) of every fact and role, by the document its evidence is in
    (a statement in pieces: each piece, not the reporter's words between them)."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    pieces: dict[str, list[tuple[int, int]]] = {}
    for row in corpus.rows["statement_pieces"]:
        r = dict(zip(COLUMNS["statement_pieces"], row, strict=True))
        pieces.setdefault(r["statement_id"], []).append((r["start_offset"], r["end_offset"]))
    for table, key in (("statements", "id"), ("event_sources", "event_id"),
                       ("actor_roles", "actor_id")):
        cols = COLUMNS[table]
        for row in corpus.rows[table]:
            r = dict(zip(cols, row, strict=True))
            parts = pieces.get(r[key], []) if table == "statements" else []
            spans.setdefault(r["document_id"], []).extend(
                (a, b, r[key]) for a, b in parts or [(r["start_offset"], r["end_offset"])])
    return spans


def _skips(corpus: Corpus) -> dict[str, list[tuple[int, int, str]]]:
    """(start, end, reason) of every skipped passage, by document."""
    cols = COLUMNS["skipped_passages"]
    skips: dict[str, list[tuple[int, int, str]]] = {}
    for row in corpus.rows["skipped_passages"]:
        s = dict(zip(cols, row, strict=True))
        skips.setdefault(s["document_id"], []).append(
            (s["start_offset"], s["end_offset"], s["reason"]))
    return skips


class _Spans:
    """One document's spans, found by overlap without looking at every one for each passage."""

    def __init__(self, spans: list[tuple[int, int, str]]) -> None:
        self.spans = spans
        self.order = sorted(range(len(spans)), key=lambda i: spans[i][0])
        self.starts = [spans[i][0] for i in self.order]
        self.longest = max((b - a for a, b, _ in spans), default=0)

    def overlapping(self, start: int, end: int) -> list[str]:
        """The labels of the spans that overlap ``start:end``, in the spans' own order."""
        # a span overlapping start:end begins before end, and after start - longest
        lo = bisect_right(self.starts, start - self.longest - 1)
        hi = bisect_left(self.starts, end)
        found = sorted(i for i in self.order[lo:hi] if start < self.spans[i][1])
        return [self.spans[i][2] for i in found]


def _document(corpus: Corpus, doc: str, evidence: _Spans, skips: _Spans) -> DocumentCoverage:
    regions = corpus.boilerplate.get(doc, [])
    items = []
    for p in find_passages(corpus.texts[doc]):
        covering = tuple(dict.fromkeys(evidence.overlapping(p.start, p.end)))
        inside = [kind for a, b, kind in regions if a <= p.start and p.end <= b]
        skipped = skips.overlapping(p.start, p.end)
        if covering:
            items.append(Item(p, "covered", covering))
        elif inside:
            items.append(Item(p, "boilerplate", (inside[0],)))
        elif skipped:
            items.append(Item(p, "skipped", (skipped[0],)))
        else:
            items.append(Item(p, "unaccounted"))
    return DocumentCoverage(doc, tuple(items))
