"""A rebuild that reuses the previous database: only the records that changed, and those
whose references reach a change, are resolved again; their rows replace the old ones in a
copy of the previous file (factdb.store.splice), which then equals a full build.

What it needs is what the last build of the database read and made (its manifest, and
each seed file's summary: factdb.store.reusestore). Anything else (no such entry, a
database changed since, other migrations, a problem in the seeds, a damaged cache, a
summary gone because another database in the folder was being built at the same time)
makes ``rebuild`` return None: the caller builds afresh, which also says every problem.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factdb.errors import FactdbError
from factdb.seeds import load as seeds
from factdb.seeds import summary as summaries
from factdb.seeds.columns import COLUMNS
from factdb.seeds.corpus import Order
from factdb.seeds.texts import TEXTS_DIR
from factdb.seeds.yamlfile import YamlFile
from factdb.store import splice
from factdb.store import summaries as derived
from factdb.store.cache import ParseCache, migrations_key
from factdb.store.reusestore import SIG, UNKNOWN, Store, key_of

_PACKAGE = Path(__file__).resolve().parent.parent
# More records than this share (plus a few, so that small seeds are rebuilt in place too)
# to resolve again: a full build is about as quick.
MOST, FEW = 0.25, 1000
RECENT_NS = 2_000_000_000
FLUSH = 1000  # files' summaries a full build holds before storing them


def sig(path: Path | str, before: int | None = None) -> bytes | None:
    """What changes whenever a file is written; None if it cannot be read or, given
    ``before`` (a time in ns), if it was written less than RECENT_NS before then: a file
    system's clock ticks in milliseconds, so a write in the tick of our read would not
    show in these times; such a file is read again next time, as git does."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if before is not None and max(st.st_mtime_ns, st.st_ctime_ns) > before - RECENT_NS:
        return None
    return SIG.pack(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def same_file(seen: bytes | None, now: bytes | None) -> bool:
    """Whether a file whose entry (Recorder.files) is ``seen`` is unchanged, its sig ``now``."""
    return seen is not None and now is not None and seen[:SIG.size] == now


def file_key(path: Path) -> bytes:
    """A hash of a file's bytes: the parse cache's key (factdb.store.cache.ParseCache.key)."""
    return ParseCache.key(path.read_bytes())


@dataclass
class Recorder:
    """Collects what a build read, to save with its database (Store.save)."""

    root: Path
    previous: dict = field(default_factory=dict)  # name -> sig + key of the last build
    known: set[bytes] = field(default_factory=set)  # keys with a stored summary
    files: dict[str, bytes] = field(default_factory=dict)  # name -> sig + key (UNKNOWN)
    new: dict[bytes, tuple] = field(default_factory=dict)
    texts: dict[str, bytes | None] = field(default_factory=dict)  # a document's text's sig
    order: Order | None = None  # the records in the build's order (summary.order)
    started: int = field(default_factory=time.time_ns)  # before any seed file was read
    store: Store | None = None  # where summaries go as they are made (memory stays flat)

    def __call__(self, name: str, data: Any, defined: list,
                 source: YamlFile | None = None) -> None:
        """Reader.on_read: a file was read (``source``: the parsed file, with its file_key
        and its records' digests where the parse cache made them)."""
        key = source.key if source is not None else None
        path = self.root / name
        now = sig(path, self.started)
        was = self.previous.get(name)
        if same_file(was, now):
            key = key_of(was)
        elif key is None:
            key = file_key(path)
        self.files[name] = (now or UNKNOWN) + key
        if key not in self.known and key not in self.new:
            self.new[key] = summaries.summarize(data, defined,
                                                source.digests if source is not None else None)
            if self.store is not None and len(self.new) >= FLUSH:
                self.store.put(self.new)
                self.known |= self.new.keys()
                self.new = {}
        for section, entry in defined:
            if section == "document":
                self.texts[entry.record.file] = sig(self.root / TEXTS_DIR / entry.record.file,
                                                    self.started)

    def manifest(self, db: Path) -> dict:
        order = self.order.dump() if self.order is not None else None
        return {"order": order, "root": str(self.root.resolve()),
                "migrations": migrations_key(_PACKAGE.parent / "migrations"),
                "files": self.files, "texts": self.texts, "db": sig(db)}


@dataclass
class Plan:
    order: Order  # every record, in a full build's order
    redone: set  # the records to resolve again
    files: list[Path]  # the files that define them
    records: dict  # (section, id) -> its summary
    where: dict  # (section, id) -> the file defining it
    gone: set  # the records the last build had that no seed file defines now
    same_order: bool  # whether ``order`` is the last build's


def rebuild(root: Path, db: Path, tmp: Path, store: Store, recorder: Recorder,
            found: tuple[list[str], list]) -> dict[str, int] | None:
    """Write into ``tmp`` the database a full build of ``root`` would make, from ``db`` and
    what changed since (``found``: the seed files, read.find_seed_names); its row counts,
    or None where a full build is needed."""
    manifest = store.manifest(db)
    if (manifest is None or manifest["root"] != str(root.resolve())
            or manifest["migrations"] != migrations_key(_PACKAGE.parent / "migrations")
            or manifest["db"] is None or sig(db) != manifest["db"]):
        return None
    recorder.previous = manifest["files"]
    # Files read again are mostly unchanged ones, parsed by the last full build.
    parsed = ParseCache(store.path.parent)
    copy = _Copy(db, tmp)
    copy.start()
    try:
        plan = _plan(root, manifest, store, recorder, found, parsed)
        if plan is None:
            return None
        corpus = seeds.load_some(root, plan.files, lambda _, s, i: (s, i) in plan.redone,
                                 _elsewhere(plan), cache=parsed)
        copy.wait()
        if sig(db) != manifest["db"]:  # written to while it was copied
            return None
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("BEGIN")
            previous = plan.order if plan.same_order else Order.load(manifest["order"])
            before = derived.inputs(conn, plan.redone | plan.gone)
            counts = splice.splice(conn, plan.order, plan.redone, splice.owners(corpus.rows),
                                   previous)
            reached = derived.reached(before, derived.inputs(conn, plan.redone))
            if reached:
                derived.refill(conn, reached)
            _verify(conn, counts, plan, corpus.rows)
            conn.execute("COMMIT")
        finally:
            conn.close()
    except (FactdbError, splice.Unexpected, sqlite3.Error, OSError, KeyError,
            AttributeError, TypeError, ValueError):
        return None  # a problem in the seeds, or anything unforeseen: build afresh
    finally:
        parsed.close(forget_unused=False)
        copy.stop()  # (done, or given up before a full build makes its own file there)
    return counts


# Linux copies file to file in the kernel (elsewhere sendfile writes to sockets only).
_SENDFILE = hasattr(os, "sendfile") and sys.platform.startswith("linux")


class _Copy(threading.Thread):
    """The previous database copied to ``tmp`` and flushed to disk on the other core while
    the plan is worked out (a tenth of a rebuild at 100k statements, otherwise); only the
    pages the splice writes are left for the build's last fsync. A rebuild that gives up
    stops it (within a chunk) instead of waiting seconds for a copy no one will read."""

    CHUNK = 64 << 20

    def __init__(self, db: Path, tmp: Path):
        super().__init__(name="factdb-copy-database", daemon=True)
        self.db, self.tmp = db, tmp
        self.error: OSError | None = None
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            with open(self.db, "rb") as src, open(self.tmp, "wb") as dst:
                self._copy(src.fileno(), dst.fileno(), os.fstat(src.fileno()).st_size)
                if not self.stopped.is_set():
                    os.fsync(dst.fileno())
        except OSError as exc:
            self.error = exc

    def _copy(self, src: int, dst: int, size: int) -> None:
        offset = 0
        while offset < size and not self.stopped.is_set():
            count = min(self.CHUNK, size - offset)
            if _SENDFILE:
                sent = os.sendfile(dst, src, offset, count)  # (in the kernel, as shutil's)
            else:
                sent = os.write(dst, os.pread(src, count, offset))
            if not sent:
                raise OSError(f"{self.db}: ended at byte {offset} of {size} while copied")
            offset += sent

    def wait(self) -> None:
        """Until the copy is made; its error, if any."""
        self.join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        """Give the copy up, and wait until it has."""
        self.stopped.set()
        self.join()


def _plan(root: Path, manifest: dict, store: Store, recorder: Recorder,
          found: tuple[list[str], list], parsed: ParseCache | None) -> Plan | None:
    names, unlisted = found
    if unlisted or not names:
        return None
    folder = str(root)  # (names joined as strings: a Path each cost more than the rest)
    before = manifest["files"]
    changed = []
    for name in names:
        was = before.get(name)
        if same_file(was, sig(os.path.join(folder, name))):
            recorder.files[name] = was
        else:
            changed.append(name)
    # Read the changed files (validated, not resolved) to know what they define now.
    seeds.load_some(root, [root / n for n in changed], lambda *_: False, {}, recorder, parsed)
    stored = store.summaries({key_of(e) for e in [*recorder.files.values(), *before.values()]}
                             - recorder.new.keys())
    recorder.known = set(stored)
    of = {**stored, **recorder.new}
    files = [of[key_of(recorder.files[n])] for n in names]
    changed_names = set(changed) | (before.keys() - set(names))
    # Where the files are the same ones and each changed file defines the same records with
    # the same references as before, the order is the last build's (a title, a quote, a
    # date changed): worked out again, it took seconds at 1M.
    kept = len(before) == len(names) and all(
        n in before and _shape(of[key_of(before[n])]) == _shape(of[key_of(recorder.files[n])])
        for n in changed_names)
    order = Order.load(manifest["order"]) if kept else summaries.order(files)
    if order is None:
        return None
    recorder.order = order
    records: dict[tuple[str, str], tuple] = {}
    where: dict[tuple[str, str], str] = {}
    for name, file_records in zip(names, files, strict=True):
        for r in file_records:
            records[(r[0], r[1])] = r
            where[(r[0], r[1])] = name
    old = {(r[0], r[1]): r for n in changed_names if n in before
           for r in of[key_of(before[n])]}
    new = {(r[0], r[1]): r for n in changed_names if n in recorder.files
           for r in of[key_of(recorder.files[n])]}
    texts_dir = os.path.join(root, TEXTS_DIR)  # (joined as strings: 100k texts at 1M)
    recorder.texts = {r[7]: sig(os.path.join(texts_dir, r[7]), recorder.started)
                      for k, r in records.items() if k[0] == "document"}
    texts = manifest["texts"]
    changed_texts = {t for t, now in recorder.texts.items()
                     if now is None or texts.get(t) != now}
    redone = summaries.affected(old, new, changed_texts, records)
    context = [d for k in redone if k[0] != "relations"
               for d in (*records[k][4], *records[k][5]) if ("document", d) in records]
    while context:  # the documents the records refer to, and their anchors', are read
        key = ("document", context.pop())
        if key not in redone:
            redone.add(key)
            context += records[key][4]
    if len(redone) > MOST * len(records) + FEW:
        return None
    read = {where[k] for k in redone}
    # (only a changed or deleted file can have taken a record away)
    gone = old.keys() - records.keys()
    return Plan(order, redone, [root / n for n in names if n in read],
                records, where, gone, kept)


def _shape(records: tuple) -> list[tuple]:
    """What of a file's records decides the build's order (summary.order): each record's
    section and id and what it waits for."""
    return [(r[0], r[1], r[3], r[4], r[5]) for r in records]


def _elsewhere(plan: Plan) -> dict[str, dict[str, object]]:
    """The ids the records to resolve refer to that are defined in files not read."""
    read = {plan.where[k] for k in plan.redone}
    out: dict[str, dict[str, object]] = {"actors": {}, "documents": {}, "facts": {}}
    for k in plan.redone:
        rec = plan.records[k]
        for ref in {*rec[3], *rec[4], *rec[5], *rec[6]}:
            for section, kind in (("actors", "actors"), ("document", "documents"),
                                  ("statements", "facts"), ("events", "facts")):
                found = plan.records.get((section, ref))
                if found is not None and plan.where[(section, ref)] not in read:
                    out[kind][ref] = found[7] if kind == "facts" else None
    return out


def _verify(conn: sqlite3.Connection, counts: dict[str, int], plan: Plan,
            rows: dict[str, list[tuple]]) -> None:
    """What build.verify checks, of the rows written: counts, references (those of the
    rows written, unless a record went away), and the spans of every document whose rows
    or whose evidence rows were written again."""
    from factdb.store.build import verify

    touched = {i for s, i in plan.redone if s == "document"}
    for table, table_rows in rows.items():
        if "document_id" in COLUMNS[table]:
            at = COLUMNS[table].index("document_id")
            touched |= {row[at] for row in table_rows if row[at] is not None}
    verify(conn, counts, touched, None if plan.gone else rows)
