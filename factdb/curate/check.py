"""`factdb check`: validate a seeds folder without building anything, and count what it holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factdb.seeds.load import load


@dataclass(frozen=True)
class Summary:
    """A valid seeds folder: how many files, and how many rows each table would get."""

    root: Path
    files: int
    counts: dict[str, int]


def check(root: Path) -> Summary:
    """Validate the seeds under ``root``; raise SeedErrors listing every problem."""
    corpus = load(root)
    return Summary(Path(root), len(corpus.files), corpus.counts())
