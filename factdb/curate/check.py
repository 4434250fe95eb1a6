"""`factdb check`: validate a seeds folder without building anything, and count what it holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factdb.seeds.columns import COLUMNS
from factdb.seeds.corpus import Corpus
from factdb.seeds.load import load


@dataclass(frozen=True)
class Summary:
    """A valid seeds folder: how many files, how many rows each table would get, and what
    may be wrong without stopping a build (dates of one event that cannot both be true)."""

    root: Path
    files: int
    counts: dict[str, int]
    warnings: tuple[str, ...] = ()


def check(root: Path) -> Summary:
    """Validate the seeds under ``root``; raise SeedErrors listing every problem."""
    corpus = load(root)
    return Summary(Path(root), len(corpus.files), corpus.counts(), date_conflicts(corpus))


def date_conflicts(corpus: Corpus) -> tuple[str, ...]:
    """Each pair of an event's dates whose ranges do not meet: two sources' own dates, or a
    source's and the event's (as the date_conflicts view lists them). A deprecated event's
    are left out, as `factdb query date-conflicts` leaves them out: a curator has already
    judged that event."""
    def dates(table: str, key: str, where: str) -> list[tuple[str, str, str, str, str]]:
        cols = COLUMNS[table]
        rows = [dict(zip(cols, row, strict=True)) for row in corpus.rows[table]]
        return [(r[key], r.get(where, where), r["date"], r["date_earliest"],
                 r["date_latest"]) for r in rows if r["date"] is not None]

    cols = COLUMNS["events"]
    deprecated = {row[cols.index("id")] for row in corpus.rows["events"]
                  if row[cols.index("status")] == "deprecated"}
    events = {e[0]: e for e in dates("events", "id", "the event")}
    sources = [s for s in dates("event_sources", "event_id", "document_id")
               if s[0] not in deprecated]
    found = []
    for i, (event, doc, value, lo, hi) in enumerate(sources):
        others = [s for s in sources[i + 1:] if s[0] == event]
        for _, against, other, o_lo, o_hi in [*others, *([events[event]] if event in events
                                                          else [])]:
            if hi < o_lo or o_hi < lo:
                found.append(f"event {event}: its date in {doc} ({value}) and in {against} "
                             f"({other}) cannot both be true")
    return tuple(found)
