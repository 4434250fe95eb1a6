"""The table of date cases written for the project (fixtures/dates/cases.tsv): words, the
anchor they are read against, and the value, precision and bounds they should give. The test
suite and ``bench.dates`` both read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Case:
    words: str
    anchor: date
    value: str
    precision: str
    earliest: date
    latest: date


def load_cases(path: Path) -> list[Case]:
    """The cases of a tab-separated table (``#`` lines are comments; the first row names the
    columns)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    cases = []
    for line in lines[1:]:
        words, anchor, value, precision, earliest, latest = line.split("\t")
        cases.append(Case(words, date.fromisoformat(anchor), value, precision,
                          date.fromisoformat(earliest), date.fromisoformat(latest)))
    return cases
