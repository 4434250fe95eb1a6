"""What a load shares between its stages: entries, the corpus, and the problems found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factdb.errors import Problem
from factdb.seeds.columns import COLUMNS
from factdb.seeds.yamlfile import YamlFile, dotted

Progress = Callable[[int, int], None]
Sink = Callable[[str, list[tuple]], None]


@dataclass(slots=True)  # slots: a large build holds an Entry per fact id
class Entry:
    """A validated record and where it was written.

    In a streaming load (``load(..., sink=...)``) a loaded fact's record is replaced by the
    ids of its documents, and a loaded document's by None: later checks need no more.
    """

    record: Any
    file: str
    path: tuple
    line: int | None
    duplicate: bool = False


@dataclass
class Corpus:
    """Everything in a seeds folder, validated and resolved."""

    root: Path
    files: list[str] = field(default_factory=list)
    documents: dict[str, Entry] = field(default_factory=dict)
    actors: dict[str, Entry] = field(default_factory=dict)
    facts: dict[str, Entry] = field(default_factory=dict)
    relations: dict[str, Entry] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    boilerplate: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    published: dict[str, tuple] = field(default_factory=dict)
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in COLUMNS})
    sunk: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    order: list[tuple[str, str]] = field(default_factory=list)  # (section, id) as resolved

    def counts(self) -> dict[str, int]:
        return {table: self.sunk[table] + len(rows) for table, rows in self.rows.items()}


class Problems:
    """The problems found so far, each placed at the line and column of its field."""

    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.sources: dict[str, YamlFile] = {}  # parsed files, to find lines in

    def add(self, where: Entry | str, path: tuple, message: str) -> None:
        """A problem with a record's field (``where`` an Entry) or a file's (a file name)."""
        if isinstance(where, Entry):
            file, full = where.file, (*where.path, *path)
        else:
            file, full = where, path
        source = self.sources.get(file)
        line, column = source.position(full) if source else (None, None)
        self.found.append(Problem(file, line, column, dotted(full), message))

    def extend(self, problems: list[Problem]) -> None:
        self.found.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.found)
