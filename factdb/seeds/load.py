"""Load a seeds folder: parse, validate, locate every evidence span and resolve every date.

``load(seeds_dir)`` returns a :class:`Corpus` whose rows are ready to insert, or raises
:class:`SeedErrors` listing every problem found (file, line, column, field, message).
Nothing here touches a database.

The stages, each in its module: read (files -> sections), validate (records), references
(ids), texts and spans (evidence in the documents), dating, documents and facts (rows, as
columns.py defines them). This module runs them, streaming: a record is resolved as soon
as everything it refers to is loaded, and rows go to a sink in batches.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from factdb.errors import FactdbError, Problem, SeedErrors
from factdb.seeds.columns import COLUMNS, LOAD_ORDER
from factdb.seeds.corpus import Corpus, Entry, Problems, Progress, Sink
from factdb.seeds.dating import Dating
from factdb.seeds.documents import Documents
from factdb.seeds.facts import Facts
from factdb.seeds.read import (
    Fresh,
    Observer,
    Reader,
    find_seed_files,
    find_seed_names,
    parse_files,
    seed_files,
)
from factdb.seeds.references import References
from factdb.seeds.spans import Spans
from factdb.seeds.texts import TEXTS_DIR, Texts

if TYPE_CHECKING:
    from factdb.store.cache import ParseCache

__all__ = ["COLUMNS", "TEXTS_DIR", "Corpus", "Entry", "Observer", "Progress", "Sink",
           "find_seed_files", "find_seed_names", "load", "load_partial", "load_some",
           "seed_files"]

SINK_BATCH = 20_000  # rows held before handing them to a sink


def load(root: Path, progress: Progress | None = None, sink: Sink | None = None,
         cache: ParseCache | None = None, observe: Observer | None = None) -> Corpus:
    """Validate and resolve the seeds under ``root``; raise SeedErrors on any problem.

    With a ``sink``, rows are handed to it (table, rows) in batches as files are read, and
    the corpus keeps no records, texts or rows (memory stays flat for a build); without, it
    keeps everything for the curator's tools. Either way every problem is reported. A
    ``cache`` spares parsing files that did not change since it was filled; ``observe`` is
    told of every file's records as they are read (see Reader.on_read).
    """
    loader = _Loader(Corpus(root=Path(root)), sink, cache)
    loader.reader.on_read = observe
    with _collector_paused():
        return loader.run(progress)


def load_some(root: Path, files: list[Path], wanted: Callable[[str, str, str], bool],
              elsewhere: dict[str, dict[str, object]], observe: Observer | None = None,
              cache: ParseCache | None = None) -> Corpus:
    """Resolve only some records of some files, keeping every row in the corpus (the build's
    reuse of an earlier database, factdb.store.reuse); raise SeedErrors on any problem.

    ``wanted(file, section, id)`` picks the records to resolve among those the files define;
    ``elsewhere`` holds the ids defined in files not read here ("actors", "documents",
    "facts": a fact's value is its documents), known but never resolved.
    """
    loader = _Loader(Corpus(root=Path(root)), cache=cache)
    loader.reader.on_read = observe
    for kind, ids in elsewhere.items():
        table = getattr(loader.c, kind)
        for record_id, value in ids.items():
            table[record_id] = Entry(value, "", (), None)
    with _collector_paused():
        return loader.run(None, files, wanted)


def load_partial(root: Path) -> tuple[Corpus, list[Problem]]:
    """What of the seeds under ``root`` did validate, and the problems; for curating tools.

    Records with a problem are left out of ``rows``; documents whose file parsed keep their
    text, so words can still be looked up while other records are broken.
    """
    loader = _Loader(Corpus(root=Path(root)))
    try:
        return loader.run(None), []
    except SeedErrors as exc:
        return loader.c, exc.problems


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading makes millions of long-lived objects and no garbage cycles; the cyclic
    collector's repeated passes over them cost a fifth of a large build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Loader:
    """Runs the stages over a folder, resolving records as early as their references allow."""

    def __init__(self, corpus: Corpus, sink: Sink | None = None,
                 cache: ParseCache | None = None):
        self.c = corpus
        self.sink = sink
        streaming = sink is not None
        self.problems = Problems()
        self.refs = References(corpus, self.problems)
        self.reader = Reader(corpus, self.problems, self.refs, cache)
        texts = Texts(corpus, self.problems, streaming)
        spans = Spans(corpus, self.problems, texts)
        dating = Dating(corpus, self.problems, self.refs, texts)
        self.documents = Documents(corpus, self.problems, self.refs, texts, spans, dating,
                                   streaming)
        self.facts = Facts(corpus, self.problems, self.refs, spans, dating, streaming)
        # Records whose references were not all loaded when their file was read wait here.
        self.waiting_documents: list[tuple[str, Entry]] = []
        self.waiting_actors: list[tuple[str, Entry]] = []
        self.waiting_statements: list[Entry] = []
        self.waiting_events: list[Entry] = []

    def run(self, progress: Progress | None, files: list[Path] | None = None,
            wanted: Callable[[str, str, str], bool] | None = None) -> Corpus:
        if files is None:
            files, unlisted = find_seed_files(self.c.root)
            if not files and not unlisted:
                raise FactdbError(f"{self.c.root}: no seed files (*.yaml) found")
            if unlisted:  # records there may be referred to: not "unknown", just unread
                self.problems.extend(unlisted)
                self.refs.unreadable = True
        parsed = parse_files(files, self.c.root, self.reader.cache)
        for i, (path, parsed_file) in enumerate(zip(files, parsed, strict=True), 1):
            fresh = self.reader.read(path, parsed_file)
            if wanted is not None:
                name = path.relative_to(self.c.root).as_posix()
                fresh = [(s, e) for s, e in fresh if wanted(name, s, e.record.id)]
            self.resolve_fresh(fresh)
            self.flush(SINK_BATCH)
            if progress:
                progress(i, len(files))
        order = self.c.order
        order.extend("document", (doc_id for doc_id, _ in self.waiting_documents))
        self.documents.resolve(self.waiting_documents)
        for actor_id, entry in self.waiting_actors:
            order.append("actors", actor_id)
            self.facts.actor(actor_id, entry)
        for section, waiting in (("statements", self.waiting_statements),
                                 ("events", self.waiting_events)):
            for entry in waiting:
                order.append(section, entry.record.id)
                self.facts.fact(section, entry)
        if wanted is not None:
            self.c.relations = {k: e for k, e in self.c.relations.items()
                                if e.file and wanted(e.file, "relations", k)}
        order.extend("relations", self.c.relations)
        self.facts.relations()
        self.flush(0)
        if self.problems:
            raise SeedErrors(self.problems.found)
        return self.c

    def resolve_fresh(self, fresh: Fresh) -> None:
        """Resolve the records just read whose references are all loaded; defer the rest."""
        ready = []
        for section, entry in fresh:  # the file's document first: its facts refer to it
            if section == "document":
                pair = (entry.record.id, entry)
                ready_now = self.refs.ready(section, entry.record)
                (ready if ready_now else self.waiting_documents).append(pair)
        self.c.order.extend("document", (doc_id for doc_id, _ in ready))
        self.documents.resolve(ready)
        for section, entry in fresh:
            if section == "document":
                continue
            if not self.refs.ready(section, entry.record):
                if section == "actors":
                    self.waiting_actors.append((entry.record.id, entry))
                elif section == "statements":
                    self.waiting_statements.append(entry)
                else:
                    self.waiting_events.append(entry)
            elif section == "actors":
                self.c.order.append(section, entry.record.id)
                self.facts.actor(entry.record.id, entry)
            else:
                self.c.order.append(section, entry.record.id)
                self.facts.fact(section, entry)

    def flush(self, keep: int) -> None:
        """Hand the rows to the sink once more than ``keep`` are held (streaming only)."""
        rows = self.c.rows
        if self.sink is None or sum(map(len, rows.values())) <= keep:
            return
        for table in LOAD_ORDER:
            if rows[table] and not self.problems:  # else the build fails: rows may be partial
                self.sink(table, rows[table])
                self.c.sunk[table] += len(rows[table])
                rows[table] = []
