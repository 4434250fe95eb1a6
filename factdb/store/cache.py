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
from pathlib import Path

import yaml

CACHE_DIR = ".factdb-cache"
_SEEDS_PACKAGE = Path(__file__).resolve().parent.parent / "seeds"


def folder_for(db: Path) -> Path:
    return Path(db).parent / CACHE_DIR


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.hexdigest()[:16]


class ParseCache:
    """Parsed seed files (plain data and record positions), keyed by the file's bytes.

    Every failure to read or write it (a locked or damaged file, a full disk) turns it off:
    the build goes on parsing.
    """

    def __init__(self, folder: Path):
        code = (_SEEDS_PACKAGE / "yamlfile.py").read_bytes()
        version = _digest(code, yaml.__version__.encode(), str(marshal.version).encode())
        self.path = folder / f"parsed-{version}.sqlite"
        self.used: list[bytes] = []
        self.conn: sqlite3.Connection | None = None
        with contextlib.suppress(OSError, sqlite3.Error):
            folder.mkdir(exist_ok=True)
            for old in folder.glob("parsed-*.sqlite"):  # other parser versions: never used
                if old != self.path:
                    old.unlink()
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=1)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS parsed (key BLOB PRIMARY KEY, value BLOB)")
            conn.execute("BEGIN")
            self.conn = conn

    @staticmethod
    def key(raw: bytes) -> bytes:
        return hashlib.blake2b(raw, digest_size=16).digest()

    def get(self, key: bytes) -> object | None:
        if self.conn is None:
            return None
        self.used.append(key)
        try:
            row = self.conn.execute("SELECT value FROM parsed WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            self._off()
            return None
        return marshal.loads(row[0]) if row else None

    def put(self, key: bytes, value: object) -> None:
        if self.conn is None:
            return
        try:
            self.conn.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?)",
                              (key, marshal.dumps(value)))
        except sqlite3.Error:
            self._off()

    def close(self) -> None:
        """Keep what this build used, forget the rest (files since changed or deleted)."""
        if self.conn is None:
            return
        try:
            self.conn.execute("CREATE TEMP TABLE used (key BLOB PRIMARY KEY) WITHOUT ROWID")
            self.conn.executemany("INSERT OR IGNORE INTO used VALUES (?)",
                                  ((k,) for k in self.used))
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


def migrations_key(migrations: Path) -> str:
    """A hash of every migration file: the empty database's schema follows from them."""
    files = sorted(migrations.rglob("*.py"))
    return _digest(*(f.relative_to(migrations).as_posix().encode() + f.read_bytes()
                     for f in files))


def copy_empty(folder: Path, migrations: Path, target: Path) -> bool:
    """Copy the cached empty migrated database to ``target``; False if there is none."""
    cached = folder / f"empty-{migrations_key(migrations)}.db"
    try:
        shutil.copyfile(cached, target)
    except OSError:
        return False
    return True


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
