"""Build a database from seeds: validate, migrate a fresh file, load, verify, then swap in.

The target is replaced atomically (``os.replace``) only after everything passed, so a
failed or killed build leaves the previous database exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from factdb.errors import FactdbError
from factdb.seeds import load as seeds
from factdb.seeds.columns import COLUMNS
from factdb.seeds.corpus import Corpus, Progress
from factdb.store import cache as buildcache
from factdb.store import ftsaside, reuse, reusestore, summaries
from factdb.store.db import (
    MIGRATIONS,
    database_file,
    inspect,
    is_url,
    mark,
    read_revision,
    refusal,
)
from factdb.store.folders import check_writable_folder

FTS_TABLES = ("documents_fts", "statements_fts", "events_fts")
ASIDE_FTS = "documents_fts"  # made beside the rest, on another core (ftsaside)
# (table, document column, start, end, words) for every table that holds evidence.
# (name, rows, document, start, end, words): a statement in pieces is checked piece by piece
EVIDENCE = (
    ("statements", "(SELECT rowid AS rowid, * FROM statements WHERE id NOT IN "
                   "(SELECT statement_id FROM statement_pieces))",
     "document_id", "start_offset", "end_offset", "quote"),
    ("statement_pieces", "(SELECT p.rowid AS rowid, s.document_id, p.start_offset, "
                         "p.end_offset, p.words FROM statement_pieces p "
                         "JOIN statements s ON s.id = p.statement_id)",
     "document_id", "start_offset", "end_offset", "words"),
    ("event_sources", "event_sources", "document_id", "start_offset", "end_offset", "words"),
    ("actor_roles", "actor_roles", "document_id", "start_offset", "end_offset", "words"),
    ("actor_aliases", "actor_aliases", "document_id", "start_offset", "end_offset", "alias"),
    ("skipped_passages", "skipped_passages", "document_id", "start_offset", "end_offset", "words"),
)
TMP_PREFIX = ".factdb-tmp-"
# a database, what SQLite adds, and the scratch file of an index made beside (ftsaside)
SQLITE_SIDE_FILES = ("", "-journal", "-wal", "-shm", ftsaside.SUFFIX)
NAME_MAX = 255  # bytes in one file name, on Linux's file systems


@dataclass(frozen=True)
class BuildResult:
    path: Path
    counts: dict[str, int]
    seconds: float
    revision: str
    notes: tuple[str, ...] = ()  # things the user should hear, such as a damaged cache
    reused: bool = False  # whether only what changed was rebuilt, in a copy of the last


def build(seeds_dir: Path, db: Path, progress: Progress | None = None) -> BuildResult:
    """Build ``db`` from ``seeds_dir``; raise FactdbError (nothing changed) on any problem.
    A ``postgresql://`` URL is built on that server (see factdb.store.pgload)."""
    if is_url(db):
        from factdb.store import pgload

        return pgload.build(Path(seeds_dir), str(db), progress)
    started = time.perf_counter()
    db = _check_target(Path(db))  # a symbolic link's target: the link is kept
    found = seeds.find_seed_names(Path(seeds_dir))  # a missing folder is said before migrating
    _remove_stale_temporaries(db)
    tmp = db.parent / temporary_name(os.getpid(), db.name)
    try:
        notes: list[str] = []
        store = reusestore.Store(buildcache.folder_for(db))
        recorder = reuse.Recorder(Path(seeds_dir))
        try:
            counts = reuse.rebuild(Path(seeds_dir), db, tmp, store, recorder, found) \
                if db.exists() else None
            reused = counts is not None
            if counts is None:
                recorder = reuse.Recorder(Path(seeds_dir), recorder.previous, store.known(),
                                          store=store)
                counts = _full(Path(seeds_dir), tmp, progress, notes, recorder,
                               store.used_elsewhere(db))
            revision = read_revision(tmp)
            _fsync(tmp)
            os.replace(tmp, db)
            _fsync(db.parent)
            store.save(db, recorder.manifest(db), recorder.new,
                       recorder.previous if reused else None)
        finally:
            store.close()
    except (OSError, sqlite3.Error) as exc:  # a full disk, an I/O error
        raise FactdbError(f"{db}: could not write the new database ({exc}); "
                          "the previous one is unchanged") from None
    finally:
        for side in SQLITE_SIDE_FILES:
            with contextlib.suppress(FileNotFoundError):
                Path(f"{tmp}{side}").unlink()
    return BuildResult(db, counts, time.perf_counter() - started, revision, tuple(notes),
                       reused)


def _full(seeds_dir: Path, tmp: Path, progress: Progress | None, notes: list[str],
          observe: reuse.Recorder, keep: set[bytes]) -> dict[str, int]:
    """Build ``tmp`` from nothing: an empty migrated file, every seed file loaded into it;
    the parse cache keeps what this build read and what ``keep`` (the files the other
    databases of the folder read, for their rebuilds)."""
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()  # what a rebuild that gave up may have left
    _empty_database(tmp, notes)
    conn = sqlite3.connect(tmp, isolation_level=None)
    mark(conn)
    cache = buildcache.ParseCache(buildcache.folder_for(tmp))
    try:
        corpus = _load(conn, tmp, seeds_dir, progress, cache, observe)
        verify(conn, corpus.counts())
        observe.order = corpus.order
    finally:
        conn.close()
        cache.close(keep=keep)
        notes += cache.notes
    return corpus.counts()


def _check_target(db: Path) -> Path:
    """The file to replace: refuse anything but a folder to write in and, there, nothing,
    an empty file or a database factdb made."""
    target = database_file(db)
    check_writable_folder(db, target.parent)
    found = inspect(target)
    if found.kind not in ("missing", "blank") and not found.ours:
        raise refusal(db, found, "replace")
    return target


def temporary_name(pid: int, name: str) -> str:
    """``.factdb-tmp-PID-NAME``; where that, with SQLite's ``-journal`` after it, would be
    too long a file name, a hash of NAME stands for it."""
    full = f"{TMP_PREFIX}{pid}-{name}"
    if len(os.fsencode(full + "-journal")) <= NAME_MAX:
        return full
    return f"{TMP_PREFIX}{pid}-{hashlib.sha256(os.fsencode(name)).hexdigest()[:16]}.db"


def _remove_stale_temporaries(db: Path) -> None:
    """Delete temporary files left by builds of ``db`` that were killed, SQLite's journal
    and WAL files beside them included (names compared exactly, never as a pattern: a
    database may be called ``[x].db``)."""
    for name in os.listdir(db.parent):
        pid = name[len(TMP_PREFIX):].split("-", 1)[0]
        if not name.startswith(TMP_PREFIX) or not pid.isdigit():
            continue
        base = temporary_name(int(pid), db.name)
        if name not in {base + side for side in SQLITE_SIDE_FILES} or _alive(int(pid)):
            continue
        with contextlib.suppress(FileNotFoundError):
            (db.parent / name).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # no process has a number that large
        return False
    except PermissionError:
        return True
    return True


def _empty_database(path: Path, notes: list[str]) -> str:
    """Make ``path`` an empty database at the head revision: a copy of the cached one (no
    Alembic import, no migrating) when the migrations did not change; return the revision."""
    folder = buildcache.folder_for(path)
    if not buildcache.copy_empty(folder, MIGRATIONS, path, notes):
        _migrate_fresh(path)
        buildcache.keep_empty(folder, MIGRATIONS, path)
    return read_revision(path)


def _migrate_fresh(path: Path) -> str:
    from factdb.store import migrate  # Alembic is slow to import; only building needs it

    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    try:
        migrate.upgrade(path)
    except migrate.WriteFailed as exc:  # build() says it of the database being replaced
        raise sqlite3.OperationalError(exc.reason) from None
    return migrate.head()


def _load(conn: sqlite3.Connection, tmp: Path, seeds_dir: Path, progress: Progress | None,
          cache: buildcache.ParseCache, observe: seeds.Observer | None = None) -> Corpus:
    """Load the seeds into ``conn`` as they are read (rows streamed, not held)."""
    conn.execute("PRAGMA journal_mode = OFF")  # a temporary file: a crash discards it anyway
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")  # checked once, in verify()
    conn.execute("BEGIN")
    inserts = {table: (f"INSERT INTO {table} ({', '.join(columns)}) "
                       f"VALUES ({', '.join('?' * len(columns))})")
               for table, columns in COLUMNS.items()}

    def sink(table: str, rows: list[tuple]) -> None:
        conn.executemany(inserts[table], rows)

    # An index made once over the loaded rows (a sort) costs less than one kept up to date
    # row by row: the migrations' indexes are put back, exactly as written, after loading.
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND sql IS NOT NULL ORDER BY rowid").fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    corpus = seeds.load(seeds_dir, progress, sink, cache, observe)
    conn.execute("COMMIT")  # the rows, for the documents' index made beside (ftsaside)
    aside = ftsaside.Aside(tmp, ASIDE_FTS)
    try:
        conn.execute("BEGIN")
        for _, sql in indexes:
            conn.execute(sql)
        for fts in FTS_TABLES:
            if fts != ASIDE_FTS:
                conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        for statement in summaries.fill_sql("sqlite"):
            conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        aside.abandon()
        raise
    aside.finish(conn)
    return corpus


def verify(conn: sqlite3.Connection, counts: dict[str, int],
           documents: set[str] | None = None,
           written: dict[str, list[tuple]] | None = None) -> None:
    """Check what was written: row counts, references, and every evidence span's words (of
    the given ``documents`` only: a rebuild checks what it wrote, factdb.store.reuse; and
    only the references of the rows ``written``, when it took no record away)."""
    problems = []
    for table, expected in counts.items():
        (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        if count != expected:
            problems.append(f"{table}: {count} rows written, {expected} expected")
    problems += _missing_references(conn, written)
    for table, rows, doc, start, end, words in EVIDENCE:
        # In SQLite, not Python: no copy of every text in memory. substr() counts characters,
        # as Python's offsets do.
        query = (f"SELECT t.rowid, t.{start}, t.{end} FROM {rows} t "
                 f"JOIN documents d ON d.id = t.{doc} WHERE (t.{end} < t.{start} "
                 f"OR substr(d.text, t.{start} + 1, t.{end} - t.{start}) IS NOT t.{words})")
        if documents is not None:
            query += f" AND t.{doc} IN (SELECT value FROM json_each(?))"
        for rowid, lo, hi in conn.execute(query, () if documents is None
                                          else (json.dumps(sorted(documents)),)):
            problems.append(f"{table} row {rowid}: offsets {lo}-{hi} do not hold its words")
    if problems:
        raise FactdbError("the built database failed verification:\n" + "\n".join(problems))


def _missing_references(conn: sqlite3.Connection,
                        written: dict[str, list[tuple]] | None) -> list[str]:
    """Rows that refer to a row not there: of every table, or of the rows ``written`` and
    the derived tables. Every row a row may refer to is a record's own (an actor's, a
    document's, a fact's), so where no record went away a row kept from the last build
    still finds what it refers to; checking only the rest spares a rebuild a pass over
    every table (most of its checks' time at 100k statements)."""
    if written is None:
        return [f"{table}: a row refers to a missing {parent} row"
                for table, _, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchmany(5)]
    problems = []
    for table, rows in written.items():
        for _, _, parent, column, to, *_ in conn.execute(
                f"PRAGMA foreign_key_list({table})").fetchall():
            at = COLUMNS[table].index(column)
            values = sorted({row[at] for row in rows} - {None})
            if values and conn.execute(
                    f"SELECT 1 FROM json_each(?) WHERE value NOT IN (SELECT {to} FROM {parent})",
                    (json.dumps(values),)).fetchone():
                problems.append(f"{table}: a row refers to a missing {parent} row")
    for derived in summaries.DERIVED:
        problems += [f"{table}: a row refers to a missing {parent} row" for table, _, parent, _
                     in conn.execute(f"PRAGMA foreign_key_check({derived})").fetchmany(5)]
    return problems


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
