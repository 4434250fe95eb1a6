"""Coverage: whether every quote and attribution in the documents is accounted for.

Each passage found by :mod:`factdb.passages` is, in this order of precedence:
``covered`` when it overlaps the evidence of a statement, an event source or an actor's role
in the same document; ``boilerplate`` when it lies wholly inside a boilerplate region;
``skipped`` when it overlaps a passage the document's seed skips (with a reason); and
``unaccounted`` otherwise.
"""

from __future__ import annotations

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
    return Coverage(tuple(_document(corpus, d) for d in docs), tuple(problems))


def _percent(passages: int, unaccounted: int) -> float:
    """Share of passages accounted for (100 when there are none)."""
    return 100.0 if not passages else 100.0 * (passages - unaccounted) / passages


def evidence_spans(corpus: Corpus, document: str) -> list[tuple[int, int, str]]:
    """(start, end, record id) of every fact and role whose evidence is in ``document``."""
    spans = []
    for table, key in (("statements", "id"), ("event_sources", "event_id"),
                       ("actor_roles", "actor_id")):
        cols = COLUMNS[table]
        for row in corpus.rows[table]:
            r = dict(zip(cols, row, strict=True))
            if r["document_id"] == document:
                spans.append((r["start_offset"], r["end_offset"], r[key]))
    return spans


def _document(corpus: Corpus, doc: str) -> DocumentCoverage:
    evidence = evidence_spans(corpus, doc)
    regions = corpus.boilerplate.get(doc, [])
    cols = COLUMNS["skipped_passages"]
    skips = [dict(zip(cols, row, strict=True)) for row in corpus.rows["skipped_passages"]]
    skips = [(s["start_offset"], s["end_offset"], s["reason"]) for s in skips
             if s["document_id"] == doc]
    items = []
    for p in find_passages(corpus.texts[doc]):
        covering = tuple(dict.fromkeys(rid for a, b, rid in evidence if a < p.end and p.start < b))
        inside = [kind for a, b, kind in regions if a <= p.start and p.end <= b]
        skipped = [reason for a, b, reason in skips if a < p.end and p.start < b]
        if covering:
            items.append(Item(p, "covered", covering))
        elif inside:
            items.append(Item(p, "boilerplate", (inside[0],)))
        elif skipped:
            items.append(Item(p, "skipped", (skipped[0],)))
        else:
            items.append(Item(p, "unaccounted"))
    return DocumentCoverage(doc, tuple(items))
