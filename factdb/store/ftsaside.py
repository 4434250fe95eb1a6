"""A full-text index made beside the build, on another core: the documents' index is most
of the work left once the rows are loaded, and the rest (the other indexes, derived
tables) can run meanwhile.

A thread copies the indexed table's columns into a scratch database, runs the same FTS5
``rebuild`` there on the same rows (so the index is the same, byte for byte) and the build
copies the index's tables in. SQLite leaves Python's lock while it works, so the thread
and the build really run at once.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from pathlib import Path

from factdb.store.db import sqlite_uri

SUFFIX = "-fts"  # the scratch database: beside the build's temporary file


class Aside:
    """One FTS5 table of ``db`` (committed rows) rebuilt in a scratch file; see finish()."""

    def __init__(self, db: Path, table: str):
        self.db, self.table = db, table
        self.path = Path(f"{db}{SUFFIX}")
        self.failed: BaseException | None = None
        self.conn: sqlite3.Connection | None = None
        self.stopped = False
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.thread = threading.Thread(target=self._run, name=f"factdb-{table}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(sqlite_uri(self.path), uri=True, isolation_level=None,
                                   check_same_thread=False)
            self.conn = conn
            try:
                if not self.stopped:
                    self._rebuild(conn)
            finally:
                self.conn = None
                conn.close()
        except BaseException as exc:  # (handed to the build, which says what failed)
            self.failed = exc

    def _rebuild(self, conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode = OFF")  # a scratch file: a crash discards it
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("ATTACH ? AS source", (sqlite_uri(self.db, mode="ro"),))
        (ddl,) = conn.execute("SELECT sql FROM source.sqlite_master WHERE name = ?",
                              (self.table,)).fetchone()
        content = re.search(r"content=\[?(\w+)\]?", ddl)
        if content is None:
            raise ValueError(f"{self.table} has no external content table")
        columns = ", ".join(row[1] for row in
                            conn.execute(f"PRAGMA source.table_info({self.table})"))
        conn.execute("BEGIN")
        conn.execute(f"CREATE TABLE {content[1]} ({columns})")
        conn.execute(f"INSERT INTO {content[1]} (rowid, {columns}) SELECT rowid, {columns} "
                     f"FROM source.{content[1]} ORDER BY rowid")
        conn.execute("COMMIT")
        conn.execute("DETACH source")  # the build may write its file again
        conn.execute("BEGIN")
        conn.execute(ddl)
        conn.execute(f"INSERT INTO {self.table}({self.table}) VALUES ('rebuild')")
        conn.execute("COMMIT")

    def abandon(self) -> None:
        """Stop the thread where it is (the build failed) and delete the scratch file."""
        self.stopped = True
        with contextlib.suppress(AttributeError, sqlite3.Error):
            self.conn.interrupt()  # type: ignore[union-attr]
        self.thread.join()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def finish(self, conn: sqlite3.Connection) -> None:
        """Wait for the index, then put its tables in ``conn``'s database (outside a
        transaction: one is begun and committed here); re-raises what the thread raised."""
        self.thread.join()
        try:
            if self.failed is not None:
                raise self.failed
            conn.execute("ATTACH ? AS aside", (str(self.path),))
            try:
                conn.execute("BEGIN")
                shadows = [name for (name,) in conn.execute(
                    "SELECT name FROM aside.sqlite_master WHERE type = 'table' AND name "
                    "LIKE ? ESCAPE '\\'", (self.table.replace("_", "\\_") + "\\_%",))]
                for shadow in shadows:
                    conn.execute(f"DELETE FROM main.{shadow}")
                    conn.execute(f"INSERT INTO main.{shadow} SELECT * FROM aside.{shadow}")
                conn.execute("COMMIT")
            finally:
                conn.execute("DETACH aside")
        finally:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
