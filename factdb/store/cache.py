"""What a build can reuse from the previous one: parsed seed files, and an empty migrated
database.

Both live in ``.factdb-cache/`` beside the target database (ignored by git; deleting it is
always safe, the next build is just slower). Parsed files are keyed by a hash of each file's
bytes, in a SQLite file named after a hash of the parser's code, so a new parser starts
afresh; the empty database is named after a hash of the migrations.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path

import yaml

from factdb.store.db import sqlite_uri

CACHE_DIR = ".factdb-cache"
_SEEDS_PACKAGE = Path(__file__).resolve().parent.parent / "seeds"


def folder_for(db: Path) -> Path:
    return Path(db).parent / CACHE_DIR


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.hexdigest()[:16]


def open_cache(path: Path, setup: Callable[[sqlite3.Connection], None],
               damaged: Callable[[], None] | None = None) -> sqlite3.Connection | None:
    """Open a cache file and ``setup`` it; None when it is locked, read-only or on a full
    disk (a build does without); a damaged one is deleted and started again, once."""
    for attempt in (1, 2):
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=1)
            try:
                setup(conn)
            except sqlite3.Error:
                conn.close()
                raise
            return conn
        except sqlite3.OperationalError:
            return None
        except sqlite3.DatabaseError:
            if attempt == 2:
                return None
            if damaged is not None:
                damaged()
            with contextlib.suppress(OSError):
                path.unlink()
    return None


class ParseCache:
    """Parsed seed files (plain data and record positions), keyed by the file's bytes.

    Every failure to read or write it (a locked or damaged file, a full disk) turns it off:
    the build goes on parsing.
    """

    def __init__(self, folder: Path):
        code = b"".join((_SEEDS_PACKAGE / f).read_bytes() for f in ("yamlfile.py", "digests.py"))
        version = _digest(code, b"checksummed", yaml.__version__.encode(),
                          str(marshal.version).encode())
        self.path = folder / f"parsed-{version}.sqlite"
        self.used: list[bytes] = []
        self.notes: list[str] = []  # what the user should hear once (a damaged cache)
        self.conn: sqlite3.Connection | None = None
        with contextlib.suppress(OSError):
            folder.mkdir(exist_ok=True)
            for old in folder.glob("parsed-*.sqlite"):  # other parser versions: never used
                if old != self.path:
                    old.unlink()
        self.conn = open_cache(self.path, self._setup, self._damaged)

    @staticmethod
    def _setup(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE IF NOT EXISTS parsed (key BLOB PRIMARY KEY, value BLOB)")
        conn.execute("BEGIN")

    def _damaged(self) -> None:
        if not self.notes:
            self.notes.append(f"the build cache {self.path} was damaged; parsing those seed "
                              "files again and rewriting it")

    @staticmethod
    def key(raw: bytes) -> bytes:
        return hashlib.blake2b(raw, digest_size=16).digest()

    def get(self, key: bytes) -> object | None:
        if self.conn is None:
            return None
        self.used.append(key)
        try:
            row = self.conn.execute("SELECT value FROM parsed WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:
            self._off()
            return None
        except sqlite3.DatabaseError:
            self._damaged()
            self._off()
            with contextlib.suppress(OSError):
                self.path.unlink()
            return None
        if row is None:
            return None
        try:
            return marshal.loads(_verified(row[0]))
        except (ValueError, EOFError, TypeError):
            self._damaged()
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("DELETE FROM parsed WHERE key = ?", (key,))
            return None

    def put(self, key: bytes, value: object) -> None:
        self.put_entry(key, entry(marshal.dumps(value)))

    def put_entry(self, key: bytes, made: bytes) -> None:
        """Store an entry made by :func:`entry` (in a parsing worker, say)."""
        if self.conn is None:
            return
        try:
            self.conn.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?)", (key, made))
        except sqlite3.Error:
            self._off()

    def found(self, key: bytes, damaged: bool = False) -> None:
        """A worker looked ``key`` up (see :func:`lookup`): keep its entry; ``damaged``
        if the entry it found failed its checksum."""
        if self.conn is not None:
            self.used.append(key)
            if damaged:
                self._damaged()

    def close(self, forget_unused: bool = True, keep: Iterable[bytes] = ()) -> None:
        """Keep what this build used and the entries of ``keep``, forget the rest (files
        since changed or deleted); ``forget_unused`` False keeps the rest too (a rebuild
        reads only a few files)."""
        if self.conn is None:
            return
        try:
            if forget_unused:
                self.conn.execute("CREATE TEMP TABLE used (key BLOB PRIMARY KEY) WITHOUT ROWID")
                self.conn.executemany("INSERT OR IGNORE INTO used VALUES (?)",
                                      ((k,) for k in chain(self.used, keep)))
                self.conn.execute("DELETE FROM parsed WHERE key NOT IN (SELECT key FROM used)")
            self.conn.execute("COMMIT")
        except sqlite3.Error:
            pass
        self._off()

    def _off(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
        self.conn = None


def entry(value: bytes) -> bytes:
    """A cache entry: its checksum, then the marshalled value."""
    return ParseCache.key(value) + value


def _verified(blob: object) -> memoryview:
    """The marshalled value of an entry; ValueError if its checksum fails."""
    if not isinstance(blob, bytes) or ParseCache.key(blob[16:]) != blob[:16]:
        raise ValueError("checksum")
    return memoryview(blob)[16:]


_workers: dict[str, sqlite3.Connection] = {}  # a parsing worker's connection to a cache


def _worker_connection(path: str) -> sqlite3.Connection:
    conn = _workers.get(path)
    if conn is None:  # the file exists: the loader made it (WAL: readers beside one writer)
        conn = sqlite3.connect(sqlite_uri(path, mode="rw"), uri=True, timeout=5,
                               isolation_level=None)
        conn.execute("PRAGMA synchronous = OFF")  # a cache: a damaged entry is a miss
        _workers[path] = conn
    return conn


def lookup(path: str, key: bytes) -> tuple[bytes | None, bool]:
    """In a parsing worker: the entry stored under ``key`` in the cache file ``path`` (as a
    previous build committed it), and whether one was there but failed its checksum. Any
    failure to read is a miss: the worker parses."""
    try:
        conn = _worker_connection(path)
        row = conn.execute("SELECT value FROM parsed WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return None, False
    if row is None:
        return None, False
    try:
        _verified(row[0])
    except ValueError:
        return None, True
    return row[0], False


def store(path: str, made: list[tuple[bytes, bytes]]) -> bool:
    """In a parsing worker: store new entries (key, :func:`entry`) in the cache file
    ``path``, so the loader need not (writing them was a tenth of its work in a build from
    nothing); False if they could not be written: the loader stores them then."""
    if not made:
        return True
    try:
        conn = _worker_connection(path)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", made)
            conn.execute("COMMIT")
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.Error:
        return False
    return True


def migrations_key(migrations: Path) -> str:
    """A hash of every migration file: the empty database's schema follows from them."""
    files = sorted(migrations.rglob("*.py"))
    return _digest(*(f.relative_to(migrations).as_posix().encode() + f.read_bytes()
                     for f in files))


def copy_empty(folder: Path, migrations: Path, target: Path, notes: list[str]) -> bool:
    """Copy the cached empty migrated database to ``target``; False if there is none or it
    is damaged (then it is deleted, and ``notes`` says so)."""
    cached = folder / f"empty-{migrations_key(migrations)}.db"
    try:
        shutil.copyfile(cached, target)
    except OSError:
        return False
    if _sound(target):
        return True
    notes.append(f"the build cache {cached} was damaged; migrating afresh and rewriting it")
    for path in (cached, target):
        with contextlib.suppress(OSError):
            path.unlink()
    return False


def _sound(db: Path) -> bool:
    """Whether a copied empty database opens, passes SQLite's quick check and has a revision."""
    try:
        conn = sqlite3.connect(db)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
            return ok and conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def keep_empty(folder: Path, migrations: Path, fresh: Path) -> None:
    """Remember a freshly migrated empty database for the next build (best effort)."""
    cached = folder / f"empty-{migrations_key(migrations)}.db"
    part = folder / f".{cached.name}.{os.getpid()}"
    with contextlib.suppress(OSError):
        folder.mkdir(exist_ok=True)
        for old in folder.glob("empty-*.db"):
            old.unlink()
        shutil.copyfile(fresh, part)
        os.replace(part, cached)  # whole or not at all, should builds run side by side
    with contextlib.suppress(OSError):
        part.unlink()
