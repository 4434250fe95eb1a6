"""Where a rebuild finds what the last build of a database read and made
(factdb.store.reuse): ``.factdb-cache/reuse-CODE.sqlite``, CODE a hash of the code that
makes rows and of SQLite's and PyYAML's versions, so that other code never reuses it.

It holds each seed file's summary by a hash of its bytes (factdb.seeds.summary) and, for
each of the last KEEP_BUILDS databases built beside each other, the manifest of its last
build (what it read: each file's sig and key, each text's sig; its records' order; the
file it wrote) and the summaries that build used.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sqlite3
import struct
import sys
import time
from pathlib import Path

import yaml

from factdb.store.cache import open_cache

_PACKAGE = Path(__file__).resolve().parent.parent
_CODE = ("seeds", "evidence", "dates", "store")  # what decides a build's rows
KEEP_BUILDS = 4  # databases whose last build a cache folder remembers
SIG = struct.Struct("<QqqQ")  # a file's size, modification and change times, inode
# What a build read of a file: its Sig (zeros where it must be read again next time), then
# its key (file_key): one bytes object, a third of the memory of a tuple of ints (a 1M
# build keeps 200k of them, and a Sig for each of its 100k texts).
UNKNOWN = bytes(SIG.size)


def code_key() -> str:
    h = hashlib.sha256()
    for sub in _CODE:
        for path in sorted((_PACKAGE / sub).rglob("*.py")):
            h.update(path.relative_to(_PACKAGE).as_posix().encode() + path.read_bytes())
    h.update(f"{sqlite3.sqlite_version} {yaml.__version__} {marshal.version} "
             f"{sys.version_info[:2]}".encode())
    return h.hexdigest()[:16]


def key_of(seen: bytes) -> bytes:
    """The key (file_key) in an entry of Recorder.files."""
    return seen[SIG.size:]


class Store:
    """The reuse cache; every failure to use it turns it off (the build goes on)."""

    def __init__(self, folder: Path):
        self.conn: sqlite3.Connection | None = None
        self.path = folder / f"reuse-{code_key()}.sqlite"
        with contextlib.suppress(OSError):
            folder.mkdir(exist_ok=True)
            for old in folder.glob("reuse-*.sqlite*"):  # other code: never used again
                if not old.name.startswith(self.path.name):
                    old.unlink()
        self.conn = open_cache(self.path, self._setup)

    @staticmethod
    def _setup(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE IF NOT EXISTS summaries (key BLOB PRIMARY KEY, value BLOB)")
        # each database's last build, and the summaries it used (kept while it is kept)
        conn.execute("CREATE TABLE IF NOT EXISTS builds "
                     "(db TEXT PRIMARY KEY, saved INTEGER, value BLOB)")
        conn.execute("CREATE TABLE IF NOT EXISTS used (db TEXT, key BLOB, "
                     "PRIMARY KEY (db, key)) WITHOUT ROWID")
        conn.execute("CREATE INDEX IF NOT EXISTS used_key ON used (key)")

    def manifest(self, db: Path) -> dict | None:
        try:
            row = self.conn.execute("SELECT value FROM builds WHERE db = ?",
                                    (str(db.resolve()),)).fetchone() if self.conn else None
            return marshal.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError, EOFError, TypeError):
            return None

    def summaries(self, keys: set[bytes]) -> dict[bytes, tuple]:
        """The stored summaries of these keys (looked up, not scanned: the cache also holds
        the other databases' of the folder, 200k for one of 1M statements). Their rows are
        found from the index alone, then read in the order they are stored, which is
        mostly the order a build wrote them (by key, they were read page by page at
        random: three times slower)."""
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (key BLOB PRIMARY KEY) "
                          "WITHOUT ROWID")
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS found (r INTEGER PRIMARY KEY)")
        self.conn.execute("DELETE FROM temp.wanted")
        self.conn.execute("DELETE FROM temp.found")
        self.conn.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?)",
                              ((k,) for k in keys))
        self.conn.execute("INSERT INTO temp.found SELECT s.rowid FROM temp.wanted w "
                          "JOIN summaries s ON s.key = w.key")
        return {key: marshal.loads(value) for key, value in self.conn.execute(
            "SELECT s.key, s.value FROM temp.found f JOIN summaries s ON s.rowid = f.r")}

    def used_elsewhere(self, db: Path) -> set[bytes]:
        """The keys of the files the other databases' last builds read (their parsed files
        are kept in the parse cache for their rebuilds)."""
        try:
            return {k for (k,) in self.conn.execute(
                "SELECT key FROM used WHERE db != ?", (str(db.resolve()),))}
        except (sqlite3.Error, AttributeError):
            return set()

    def known(self) -> set[bytes]:
        try:
            return {k for (k,) in self.conn.execute("SELECT key FROM summaries")}
        except (sqlite3.Error, AttributeError):
            return set()

    def put(self, new: dict[bytes, tuple]) -> None:
        """Store summaries as a build goes (best effort; keyed by content, never wrong).
        One transaction: in autocommit each row was one, with its own syncs to disk (a
        third of a loaded machine's build went there)."""
        if self.conn is None:
            return
        try:
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT OR REPLACE INTO summaries VALUES (?, ?)",
                                  ((k, marshal.dumps(v)) for k, v in new.items()))
            self.conn.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def save(self, db: Path, manifest: dict, new: dict[bytes, tuple],
             previous: dict[str, bytes] | None = None) -> None:
        """Remember a finished build (best effort): its summaries and manifest, beside
        those of the other databases built in this folder lately (KEEP_BUILDS of them:
        building one must not cost another its next rebuild); summaries no kept build
        uses are deleted. ``previous``: the files of this database's manifest as stored
        (the summaries it uses are then updated by the difference, not written again)."""
        if self.conn is None:
            return
        name = str(db.resolve())
        keys = {key_of(e) for e in manifest["files"].values()}
        try:
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT OR REPLACE INTO summaries VALUES (?, ?)",
                                  ((k, marshal.dumps(v)) for k, v in new.items()))
            if previous:
                was = {key_of(e) for e in previous.values()}
                unused: set[bytes] | None = was - keys
                self.conn.executemany("DELETE FROM used WHERE db = ? AND key = ?",
                                      ((name, k) for k in unused))
                self.conn.executemany("INSERT OR IGNORE INTO used VALUES (?, ?)",
                                      ((name, k) for k in keys - was))
            else:
                unused = None
                self.conn.execute("DELETE FROM used WHERE db = ?", (name,))
                self.conn.executemany("INSERT OR IGNORE INTO used VALUES (?, ?)",
                                      ((name, k) for k in keys))
            self.conn.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?)",
                              (name, time.time_ns(), marshal.dumps(manifest)))
            old = [d for (d,) in self.conn.execute(
                "SELECT db FROM builds ORDER BY saved DESC LIMIT -1 OFFSET ?", (KEEP_BUILDS,))]
            if old:
                unused = None
                self.conn.executemany("DELETE FROM used WHERE db = ?", ((d,) for d in old))
                self.conn.executemany("DELETE FROM builds WHERE db = ?", ((d,) for d in old))
            if unused is None:  # (every summary looked at: a full build's, a forgotten db)
                self.conn.execute("DELETE FROM summaries WHERE key NOT IN "
                                  "(SELECT key FROM used)")
            else:
                self.conn.executemany("DELETE FROM summaries WHERE key = ? AND NOT EXISTS "
                                      "(SELECT 1 FROM used WHERE key = ?)",
                                      ((k, k) for k in unused))
            self.conn.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
        self.conn = None
