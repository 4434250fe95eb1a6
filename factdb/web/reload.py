"""Serve a database file that `factdb build` replaces while Datasette runs.

Datasette 0.65 opens a ``-i`` file immutable and keeps its connections, so after the build's
``os.replace`` it would answer from the deleted file until restarted. factdb's plugin serves
every immutable file database with a ``ReloadingDatabase`` instead: as each request begins,
the file is checked (device, inode, size, modification time); once it changed, a new set of
connections is opened on the new file, while requests already running finish on the old
one. Every query of a request goes to the version of the file the request began with (a
context variable pins it), so no answer mixes two builds. Connections open the file through
``sqlite_uri``, so a file name holding ``#``, ``?`` or ``%`` is the name itself.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import queue
import sqlite3
from collections.abc import Callable
from typing import Any

from datasette.database import Database

from factdb.store.db import sqlite_uri
from factdb.web import overhead

# id(ReloadingDatabase) -> the _Version a request began with.
_PINNED: contextvars.ContextVar[dict[int, _Version] | None] = contextvars.ContextVar(
    "factdb_pinned_versions", default=None)
_OPEN_ATTEMPTS = 5


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


class _Version:
    """One version of the file: a pool of immutable connections all open on it (they keep
    reading it after it is replaced), and what Datasette caches about it."""

    def __init__(self, db: ReloadingDatabase, size: int):
        for _ in range(_OPEN_ATTEMPTS):
            before = _identity(os.stat(db.path))
            conns = [db.connect() for _ in range(size)]
            self.identity = _identity(os.stat(db.path))
            if self.identity == before:  # no replacement while opening: all on one file
                break
            for conn in conns:
                conn.close()
        else:
            raise OSError(f"{db.path} kept changing while it was opened")
        self.pool: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        for conn in conns:
            db.ds._prepare_connection(conn, db.name)
            self.pool.put(conn)
        self.cache: dict[str, Any] = {}

    def run(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        conn = self.pool.get()  # as many connections as Datasette has query threads
        try:
            return fn(conn)
        finally:
            self.pool.put(conn)


class ReloadingDatabase(Database):
    """An immutable database file that may be replaced while it is served."""

    def __init__(self, ds: Any, path: str):
        self._version: _Version | None = None
        super().__init__(ds, path=path, is_mutable=False)

    def connect(self, write: bool = False) -> sqlite3.Connection:
        assert not write, "an immutable database is never written"
        return sqlite3.connect(sqlite_uri(self.path, immutable="1"), uri=True,
                               check_same_thread=False)

    def current(self) -> _Version:
        """The newest version of the file, opening it if the file was replaced."""
        try:
            identity = _identity(os.stat(self.path))
        except OSError:  # gone for a moment (or for good): keep answering from what we have
            identity = None
        version = self._version
        if version is None or (identity is not None and identity != version.identity):
            executor = self.ds.executor
            size = executor._max_workers if executor is not None else 1
            try:
                self._version = _Version(self, size)
            except (OSError, sqlite3.Error):
                if version is None:
                    raise
        assert self._version is not None
        return self._version

    def _pinned(self) -> _Version:
        pinned = _PINNED.get()
        if pinned and id(self) in pinned:
            return pinned[id(self)]
        return self.current()

    def identity(self) -> tuple[int, int, int, int]:
        """The version of the file this request reads (device, inode, size, mtime)."""
        return self._pinned().identity

    async def execute_fn(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        version = self._pinned()
        if self.ds.executor is None:
            return version.run(fn)
        return await asyncio.get_running_loop().run_in_executor(
            self.ds.executor, version.run, fn)

    def version_cache(self) -> dict[Any, Any]:
        """What is known about the version of the file this request reads."""
        return self._pinned().cache

    async def execute(self, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Datasette's ``execute``, but an answer this version already gave is not asked
        again (see ``overhead.known_answer``)."""
        cache = self.version_cache()
        key, known = overhead.known_answer(cache, sql, params)
        if known is not None:
            return known
        results = await super().execute(sql, params, *args, **kwargs)
        if key is not None:
            cache[key] = results
        return results

    async def table_counts(self, limit: int = 10) -> dict[str, int | None]:
        """Every table's row count, counted in full once per version of the file, as
        Datasette counts an immutable file's tables once as it starts (the home page's 10 ms
        a table would leave the big tables of a rebuilt file uncounted for good)."""
        return await super().table_counts(limit=max(limit, overhead.COUNT_MS))

    # What Datasette caches about an immutable file belongs to one version of it.
    def _cached(self, key: str) -> Any:
        return self._pinned().cache.get(key) if self._version is not None else None

    def _cache(self, key: str, value: Any) -> None:
        if value is not None:
            self._pinned().cache[key] = value

    cached_hash = property(lambda self: self._cached("hash"),
                           lambda self, value: self._cache("hash", value))
    cached_size = property(lambda self: self._cached("size"),
                           lambda self, value: self._cache("size", value))
    _cached_table_counts = property(lambda self: self._cached("counts"),
                                    lambda self, value: self._cache("counts", value))


for _name in overhead.SCHEMA_METHODS:  # the schema's answers: once per version of the file
    setattr(ReloadingDatabase, _name, overhead.per_version(getattr(Database, _name)))


def install(datasette: Any) -> None:
    """Serve every immutable database file with a ReloadingDatabase (same name, route)."""
    databases = datasette.databases.copy()  # Datasette's way: swap the whole mapping
    for name, db in databases.items():
        if db.is_mutable or db.is_memory or not db.path or isinstance(db, ReloadingDatabase):
            continue
        replacement = ReloadingDatabase(datasette, db.path)
        replacement.name, replacement.route = db.name, db.route
        databases[name] = replacement  # same key, same place in the order
    datasette.databases = databases


def pin(datasette: Any) -> None:
    """Pin, for the request being served, the version of every file it may read."""
    _PINNED.set({id(db): db.current() for db in datasette.databases.values()
                 if isinstance(db, ReloadingDatabase)})
