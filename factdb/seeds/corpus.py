"""What a load shares between its stages: entries, the corpus, and the problems found."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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


SECTIONS = ("document", "actors", "statements", "events", "relations")
_CODE = {section: i for i, section in enumerate(SECTIONS)}


class Order:
    """Records as they were resolved, (section, id), kept compactly: the ids in one list
    and a byte per record for its section (a 1M build resolves 1.25M records; as tuples
    they held 80 MB more). Iterating makes the (section, id) pairs afresh."""

    __slots__ = ("codes", "ids")

    def __init__(self, ids: list[str] | None = None, codes: bytes = b""):
        self.ids: list[str] = ids if ids is not None else []
        self.codes = bytearray(codes)

    def append(self, section: str, record_id: str) -> None:
        self.ids.append(record_id)
        self.codes.append(_CODE[section])

    def extend(self, section: str, ids: Iterable[str]) -> None:
        before = len(self.ids)
        self.ids.extend(ids)
        self.codes.extend(bytes((_CODE[section],)) * (len(self.ids) - before))

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return zip(map(SECTIONS.__getitem__, self.codes), self.ids, strict=True)

    def __len__(self) -> int:
        return len(self.ids)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Order) and self.codes == other.codes and self.ids == other.ids

    __hash__ = None  # type: ignore[assignment]

    def of(self, sections: Iterable[str]) -> list[tuple[str, str]]:
        """The records of these sections, in order."""
        wanted = {_CODE[s] for s in sections}
        return [(SECTIONS[c], i) for c, i in zip(self.codes, self.ids, strict=True)
                if c in wanted]

    def dump(self) -> tuple[bytes, list[str]]:
        """As marshal can write it (Order.load reads it back)."""
        return bytes(self.codes), self.ids

    @classmethod
    def load(cls, dumped: tuple[bytes, list[str]]) -> Order:
        codes, ids = dumped
        if len(codes) != len(ids) or max(codes, default=0) >= len(SECTIONS):
            raise ValueError("a damaged order")
        return cls(ids, codes)


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
    order: Order = field(default_factory=Order)  # (section, id) as resolved

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
