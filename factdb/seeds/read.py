"""Read seed files: find them, parse each (strict YAML), split it into sections and hand
each section's records to validation; valid records become entries with their lines."""

from __future__ import annotations

import contextlib
import marshal
import os
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factdb.errors import FactdbError, Problem
from factdb.seeds.corpus import Corpus, Entry, Problems
from factdb.seeds.digests import record_digests
from factdb.seeds.format import SECTIONS
from factdb.seeds.references import References
from factdb.seeds.validate import suggest, type_name, validate
from factdb.seeds.yamlfile import YamlFile, record_positions
from factdb.seeds.yamlfile import load as load_yaml

if TYPE_CHECKING:
    from factdb.store.cache import ParseCache

Fresh = list[tuple[str, Entry]]  # (section, entry) of the records a file defined
Parsed = tuple[YamlFile | None, list[Problem]]  # what yamlfile.load returns
Observer = Callable[[str, Any, Fresh, YamlFile], None]  # see Reader.on_read

# More seed files than this are parsed in worker processes (a pool costs ~0.1 s to start);
# the environment variable overrides it (tests force the parallel path with 0).
PARALLEL_FILES = 200
PARALLEL_ENV = "FACTDB_PARALLEL_FILES"
CHUNK = 16  # files per task sent to a worker
AHEAD = 8  # tasks in flight per worker: parsed files wait for the reader, memory stays flat


SUFFIXES = (".yaml", ".yml")  # in any case: Actors.YAML is read, not skipped


def seed_files(root: Path) -> list[Path]:
    """Every YAML seed file below ``root``, in a stable order."""
    return find_seed_files(root)[0]


def find_seed_files(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every YAML seed file below ``root``, in a stable order, and a problem for each
    folder that could not be listed (its files are not skipped in silence)."""
    names, problems = find_seed_names(root)
    return [root / name for name in names], problems


def find_seed_names(root: Path) -> tuple[list[str], list[Problem]]:
    """As :func:`find_seed_files`, each file by its path below ``root`` (``a/b.yaml``):
    a rebuild looks at every name and makes a Path of few (10k Paths took 80 ms)."""
    if root.exists() and not root.is_dir():
        raise FactdbError(f"{root}: is a file; --seeds takes the folder that holds seed files")
    if not root.is_dir():
        raise FactdbError(f"{root}: seeds folder not found (pass --seeds DIR)")
    found: list[list[str]] = []  # each path's parts below root
    problems: list[Problem] = []

    def unlisted(folder: str, exc: OSError) -> None:
        if folder == str(root):
            raise FactdbError(f"{root}: cannot read the seeds folder ({exc.strerror})")
        where = Path(folder).relative_to(root).as_posix()
        problems.append(Problem(f"{where}/", None, None, "",
                                f"cannot read folder: {exc.strerror}; its seed files would "
                                "be left out (make it readable, or move it out of the seeds "
                                "folder)"))

    # os.scandir, not os.walk and pathlib: a folder entry knows its own type, so a regular
    # file costs no stat call (200k files at 1M statements, walked at every rebuild).
    folders = [(str(root), [])]
    while folders:
        folder, parts = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, [*parts, entry.name]))
                    elif (os.path.splitext(entry.name)[1].lower() in SUFFIXES
                          and _entry_to_read(entry)):
                        found.append([*parts, entry.name])
        except OSError as exc:
            unlisted(folder, exc)
    found.sort()  # as Path sorts, by parts
    return ["/".join(parts) for parts in found], sorted(problems, key=lambda p: p.file)


def _entry_to_read(entry: os.DirEntry) -> bool:
    """A regular file, or one that cannot be looked at (a link to nothing, a file in a
    folder that may not be searched): reading it says what is wrong. Not a pipe or device."""
    try:
        return entry.is_file() or (entry.is_symlink() and not os.path.exists(entry.path))
    except OSError:
        return True


class Reader:
    """Reads one seed file after another into entries (see :meth:`read`)."""

    def __init__(self, corpus: Corpus, problems: Problems, refs: References,
                 cache: ParseCache | None = None):
        self.c = corpus
        self.problems = problems
        self.refs = refs
        self.cache = cache
        # Told of each file read: (name, its data, the (section, entry) of every record it
        # defined, relations included, the parsed file: a hash of its bytes and its records'
        # digests where parsing made them), before the data is released (the build's reuse).
        self.on_read: Observer | None = None
        self._defined: Fresh = []

    def read(self, path: Path, parsed: Parsed | None = None) -> Fresh:
        """Parse (unless ``parsed`` already, see :func:`parse_files`) and validate one file;
        return the records it defined that are to be resolved (documents and actors not
        defined before, and every fact)."""
        name = path.relative_to(self.c.root).as_posix()
        self.c.files.append(name)
        source, problems = parsed if parsed is not None else load_yaml(path, name, self.cache)
        self.problems.extend(problems)
        if source is None or problems:
            self.refs.unreadable = True
            return []
        self.problems.sources[name] = source
        data = source.data
        if data is None:
            self.problems.add(name, (), "file is empty; a seed file holds sections such as "
                                        "`document:`, `actors:`, `statements:`")
            return []
        if not isinstance(data, dict):
            self.problems.add(name, (), "expected a mapping of sections "
                              f"({', '.join(SECTIONS)}), found a {type_name(data)}")
            return []
        fresh: Fresh = []
        self._defined = []
        doc = data.get("document")
        default_doc = doc.get("id") if isinstance(doc, dict) else None
        for section, value in data.items():
            if section not in SECTIONS:
                self.problems.add(name, (section,), f"unknown section {section!r}"
                                                    f"{suggest(section, SECTIONS)}")
                continue
            if section == "document":
                self.add_records(name, section, [value], fresh, single=True)
            elif not isinstance(value, list):
                self.problems.add(name, (section,), "expected a list of records, found a "
                                                    f"{type_name(value)}")
            else:
                if section == "statements" and isinstance(default_doc, str):
                    value = [_with_document(item, default_doc) for item in value]
                self.add_records(name, section, value, fresh)
        for section, entry in fresh:  # (defaults the above could not set)
            if section == "statements" and entry.record.document is None:
                if isinstance(default_doc, str):
                    entry.record = entry.record.model_copy(update={"document": default_doc})
                elif doc is None:  # (a broken `document:` has its own problem reported)
                    self.problems.add(entry, ("document",), "missing required field "
                                      "'document' (this file has no `document:` section to "
                                      "default to)")
        if self.on_read is not None:
            self.on_read(name, data, self._defined, source)
        source.release()  # entries keep their lines; later problems re-read the file
        return fresh

    def add_records(self, name: str, section: str, items: list, fresh: Fresh,
                    single: bool = False) -> None:
        source = self.problems.sources[name]

        def report(path: tuple, message: str) -> None:
            self.problems.add(name, path, message)

        for i, record in validate(section, items, single, report, self.refs.invalid_ids):
            path = (section,) if single else (section, i)
            entry = Entry(record, name, path, source.line(path))
            if self.refs.register(entry, section):
                fresh.append((section, entry))
            if not entry.duplicate:
                self._defined.append((section, entry))


def _with_document(item: Any, doc_id: str) -> Any:
    """A statement defaults to its file's document (set before validating: copying a
    validated record costs more)."""
    if isinstance(item, dict) and "document" not in item:
        return {**item, "document": doc_id}
    return item


def parse_files(files: list[Path], root: Path, cache: ParseCache | None = None,
                threshold: int | None = None) -> Iterator[Parsed]:
    """Each file parsed (as yamlfile.load does), in the order given: in worker processes
    when there are more than ``threshold`` files (default PARALLEL_FILES, or the
    FACTDB_PARALLEL_FILES environment variable) and more than one core."""
    if threshold is None:
        threshold = int(os.environ.get(PARALLEL_ENV, PARALLEL_FILES))
    names = [path.relative_to(root).as_posix() for path in files]
    workers = _workers()
    if len(files) <= threshold or workers < 1:
        for path, name in zip(files, names, strict=True):
            yield load_yaml(path, name, cache)
        return
    yield from _in_workers(files, names, cache, workers)


def _workers() -> int:
    """Parsing is less than half a build: one worker per core beyond the reader's own."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min((cores or 1) - 1, 4)


def _in_workers(files: list[Path], names: list[str], cache: ParseCache | None,
                workers: int) -> Iterator[Parsed]:
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(workers, mp_context=context)
    where = str(cache.path) if cache is not None and cache.conn is not None else None
    tasks: deque[tuple[int, Future]] = deque()  # (the task's first file, its answer)
    try:
        for start in range(0, len(files), CHUNK):
            todo = [(str(files[i]), names[i]) for i in range(start, min(start + CHUNK,
                                                                          len(files)))]
            tasks.append((start, pool.submit(_parse_chunk, todo, where)))
            if len(tasks) >= workers * AHEAD:
                yield from _collect(*tasks.popleft(), files, names, cache)
        while tasks:
            yield from _collect(*tasks.popleft(), files, names, cache)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(start: int, future: Any, files: list[Path], names: list[str],
             cache: ParseCache | None) -> Iterator[Parsed]:
    for i, (key, made, stored, damaged, problems) in enumerate(future.result(), start):
        if cache is not None and key is not None:
            cache.found(key, damaged)
            if made is not None and not stored:
                cache.put_entry(key, made)
        if made is None:
            yield None, problems
            continue
        data, positions, digests = marshal.loads(memoryview(made)[16:])
        yield YamlFile(names[i], data, None, files[i], released=True, positions=positions,
                       key=key, digests=digests), []


Answer = tuple[bytes | None, bytes | None, bool, bool, list[Problem]]


def _parse_chunk(todo: list[tuple[str, str]], cache: str | None) -> list[Answer]:
    """In a worker: each file's key (a hash of its bytes), then its cache entry from
    ``cache`` (a file path) or, failing that, the file parsed into a new entry (marshalled
    data and positions, checksummed; the node tree stays behind: a problem's position reads
    the file again, as after a cache hit), which the worker stores in the cache itself.
    Reading, hashing, marshalling and writing the cache stay off the loader's core.
    Answers: (key, entry, whether the entry is in the cache, whether a cached entry failed
    its checksum, problems)."""
    from factdb.store.cache import ParseCache, entry, lookup, store

    out: list[Answer] = []
    new: list[tuple[bytes, bytes]] = []
    for path, name in todo:
        key, damaged = None, False
        with contextlib.suppress(OSError):  # (parsing says what is wrong)
            key = ParseCache.key(Path(path).read_bytes())
        if key is not None and cache is not None:
            made, damaged = lookup(cache, key)
            if made is not None:
                out.append((key, made, True, False, []))
                continue
        source, problems = load_yaml(Path(path), name)
        if source is None or problems:
            out.append((key, None, False, damaged, problems))
        else:
            made = entry(marshal.dumps((source.data, record_positions(source.root),
                                        record_digests(source.data))))
            out.append((key, made, False, damaged, []))
            if key is not None:
                new.append((key, made))
    if cache is not None and store(cache, new):
        out = [(key, made, made is not None, damaged, problems)
               for key, made, _, damaged, problems in out]
    return out
