"""Build factdb's PostgreSQL database: the seeds read and checked on the client while the
server loads their rows, in one transaction committed only once the seeds are known good.

The reader (the same as a SQLite build's, in the calling thread) hands each batch of rows,
in COPY's text format, to a second thread that talks to the server (the two overlap: the
client parses while the server computes tsvectors and indexes). That thread's transaction:
take the build lock (``pg_advisory_xact_lock``: a second build waits, and says so),
migrate a fresh schema with the same Alembic migrations, COPY each batch as it comes;
then, once the reader has read every seed without a problem, add the foreign keys back,
verify, and swap the fresh schema in for the old one by renaming, and commit.

What the server sees before the seeds are known good: an open, uncommitted transaction
holding the build lock and a fresh schema (``factdb_build_PID``) filling with rows, which
no other session can see. Bad seeds roll it back and give exactly a SQLite build's
messages; if the server fails meanwhile, the reader still reads every seed, and the
seeds' problems, if any, are said instead of the server's. Readers see the old facts or
the new, never a mix; a failed, killed or disconnected build commits nothing, so the old
facts stay as they were.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from pathlib import Path

import psycopg

from factdb.errors import FactdbError
from factdb.seeds import load as seeds
from factdb.seeds.load import COLUMNS, Progress
from factdb.store import postgres as pg
from factdb.store import summaries
from factdb.store.build import EVIDENCE, BuildResult

# Builds of one database wait for each other on this advisory lock.
BUILD_LOCK = 0x46634462  # "FcDb"
QUEUED_BATCHES = 64  # batches of rows (flushes of seeds.load) the server may be behind
INDEX_MEMORY = "256MB"  # maintenance_work_mem for building the indexes after the load
SWAP_RETRY_SECONDS = 0.05  # between tries to lock the old tables while readers hold them


def copy_lines(rows: list[tuple]) -> str:
    """Rows in COPY's text format, a line each."""
    # One expression per field, no call for most: this runs for every value of a build.
    return "".join(["\t".join(["\\N" if v is None else _escaped(v) if v.__class__ is str
                                else ("t" if v else "f") if v.__class__ is bool else str(v)
                                for v in row]) + "\n" for row in rows])


def _escaped(text: str) -> str:
    # str.replace, not str.translate: translate maps a long text one character at a time
    # (a document's text took half a millisecond), replace copies it at memory speed.
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    return text


def build(seeds_dir: Path, url: str, progress: Progress | None = None) -> BuildResult:
    """Build factdb's database at ``url`` from ``seeds_dir``; raise FactdbError (the old
    facts unchanged) on any problem, the seeds' own problems before any of the server's."""
    started = time.perf_counter()
    seeds.seed_files(Path(seeds_dir))  # a missing seeds folder is said first
    server = _Server(url)
    server.start()
    try:
        corpus = seeds.load(Path(seeds_dir), progress, server.send)
    except BaseException:  # bad seeds, Ctrl-C: the server's transaction is rolled back
        server.abort()
        raise
    revision = server.finish(corpus.counts())
    return BuildResult(url, corpus.counts(), time.perf_counter() - started,  # type: ignore
                       revision, tuple(server.notes))


_DONE, _ABORT = object(), object()  # the reader's last word: the seeds are good, or not


class _Server(threading.Thread):
    """The server's side of a build, beside the reader: one transaction that takes the lock,
    migrates a fresh schema and COPYs each batch of rows as the reader hands it over, then,
    once the seeds are known good, adds the keys back, verifies and swaps.

    Batches wait in a bounded queue (the reader waits when the server is behind). Once the
    server has failed, batches are dropped: the reader goes on to find the seeds' problems,
    which are said first.
    """

    def __init__(self, url: str):
        super().__init__(name="factdb-postgresql-build", daemon=True)
        self.url = url
        self.batches: queue.Queue = queue.Queue(QUEUED_BATCHES)
        self.notes: list[str] = []
        self.error: BaseException | None = None
        self.revision = ""
        self.raw: psycopg.Connection | None = None

    def send(self, table: str, rows: list[tuple]) -> None:
        """The reader's sink: a batch of rows in COPY's text format, for the server."""
        if self.is_alive():
            self._put((table, copy_lines(rows).encode()))

    def finish(self, counts: dict[str, int]) -> str:
        """The seeds are good: let the build end; its revision, or the server's problem."""
        self._put((_DONE, counts))
        self.join()
        if self.error is not None:
            raise self.error
        return self.revision

    def abort(self) -> None:
        """The seeds are bad (or the user stopped): roll back and end."""
        with contextlib.suppress(queue.Empty):
            while True:
                self.batches.get_nowait()
        self._put((_ABORT, None))
        self.join(1)
        if self.is_alive() and self.raw is not None:  # waiting for the lock, or a COPY
            with contextlib.suppress(Exception):
                self.raw.cancel_safe()
        self.join()

    def _put(self, item: tuple) -> None:
        while self.is_alive():
            with contextlib.suppress(queue.Full):
                self.batches.put(item, timeout=0.1)
                return

    def run(self) -> None:
        try:
            self.revision = self._build()
        except BaseException as exc:  # said by finish(), unless the seeds have problems
            self.error = exc

    def _build(self) -> str:
        """One transaction: lock, migrate a fresh schema, COPY, verify, swap; the revision."""
        from sqlalchemy import create_engine, pool
        from sqlalchemy.exc import DBAPIError

        self.raw = raw = pg.connect(self.url)
        engine = create_engine("postgresql+psycopg://", creator=lambda: raw,
                               poolclass=pool.StaticPool)
        fresh = f"factdb_build_{os.getpid()}"
        try:
            with engine.begin() as conn:
                _lock(raw, self.notes)
                found = pg.identify(raw)
                if found.kind == "foreign":
                    raise pg.refusal(self.url, found, "replace")
                raw.execute(f"CREATE SCHEMA {fresh}")
                raw.execute(f"SET LOCAL search_path TO {fresh}")
                revision = _migrate(conn)
                pg.mark(raw, fresh)
                keys, indexes = _drop_keys(raw), drop_indexes(raw)
                counts = self._copy(raw)
                if counts is None:
                    raise _Aborted
                add_indexes(raw, indexes)
                _add_keys(raw, keys)
                for statement in summaries.fill_sql("postgresql"):
                    raw.execute(statement)
                raw.execute("ANALYZE actor_summaries")
                verify(raw, counts)
                _swap(raw, fresh, self.notes)
            _note_collation(raw, self.notes)
            return revision
        except DBAPIError as exc:
            raise _failed(self.url, exc.orig) from None
        except psycopg.Error as exc:
            raise _failed(self.url, exc) from None
        finally:
            with contextlib.suppress(Exception):
                raw.close()
            engine.dispose()

    def _copy(self, raw: psycopg.Connection) -> dict[str, int] | None:
        """COPY the batches as they come, those queued meanwhile together (one COPY per
        table); the row counts the reader wrote, or None when the seeds turned out bad.

        FREEZE: the tables were made in this transaction, so the rows are written frozen
        (no hint bits to set on the first reads, nothing for VACUUM to freeze later)."""
        while True:
            waiting = [self.batches.get()]
            with contextlib.suppress(queue.Empty):
                while waiting[-1][0] not in (_DONE, _ABORT):
                    waiting.append(self.batches.get_nowait())
            last, counts = waiting[-1]
            if last is _ABORT:
                return None
            tables: dict[str, list[bytes]] = {}
            for table, data in waiting[:-1] if last is _DONE else waiting:
                tables.setdefault(table, []).append(data)
            for table, chunks in tables.items():
                with raw.cursor() as cur, cur.copy(
                        f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN WITH (FREEZE)"
                ) as copy:
                    for data in chunks:
                        copy.write(data)
            if last is _DONE:
                return counts


class _Aborted(Exception):
    """The reader found problems in the seeds: roll the build back."""


def _lock(raw: psycopg.Connection, notes: list[str]) -> None:
    """Take the build lock, waiting for a build that holds it (and saying so)."""
    if raw.execute("SELECT pg_try_advisory_xact_lock(%s)", (BUILD_LOCK,)).fetchone()[0]:
        return
    waited = time.perf_counter()
    raw.execute("SELECT pg_advisory_xact_lock(%s)", (BUILD_LOCK,))
    notes.append(f"waited {time.perf_counter() - waited:.1f}s for another build of this "
                 "database to finish")


def _migrate(conn: object) -> str:
    from alembic import command

    from factdb.store import migrate

    config = migrate.alembic_config(Path("unused.db"))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    return migrate.head()


def _drop_keys(raw: psycopg.Connection) -> list[tuple[str, str, str]]:
    """Drop the fresh schema's foreign keys while the rows come in (then :func:`_add_keys`:
    one validating join per key instead of a check per row); their definitions.

    The keys are re-created from the catalog's own text of the migrations' definitions
    (``pg_get_constraintdef``), so the migrations stay the one source of the schema."""
    keys = raw.execute(
        "SELECT c.conrelid::regclass::text, quote_ident(c.conname), "
        "pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_namespace n "
        "ON n.oid = c.connamespace WHERE n.nspname = current_schema() AND c.contype = 'f' "
        "ORDER BY c.conname").fetchall()
    for table, name, _ in keys:
        raw.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    return keys


def drop_indexes(raw: psycopg.Connection) -> list[str]:
    """Drop the fresh schema's indexes that back no constraint while the rows come in; their
    definitions (the catalog's own, ``pg_get_indexdef``). Building an index once over all
    the rows costs less than maintaining it row by row, the full-text (GIN) ones above all;
    primary keys and unique constraints stay (they catch a duplicate as it is loaded)."""
    found = raw.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = "
        "current_schema()::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
        "WHERE k.conindid = i.indexrelid) ORDER BY 1").fetchall()
    for name, _ in found:
        raw.execute(f"DROP INDEX {name}")
    return [definition for _, definition in found]


def add_indexes(raw: psycopg.Connection, definitions: list[str]) -> None:
    raw.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'")
    for definition in definitions:
        raw.execute(definition)


def _add_keys(raw: psycopg.Connection, keys: list[tuple[str, str, str]]) -> None:
    """Add the foreign keys back (each checks every row), and gather the statistics."""
    for table, name, definition in keys:
        raw.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for table in COLUMNS:
        raw.execute(f"ANALYZE {table}")


# The evidence rows whose SQLite form (in EVIDENCE) reads rowid, which PostgreSQL has not.
_PG_ROWS = {
    "statements": "(SELECT * FROM statements WHERE id NOT IN "
                  "(SELECT statement_id FROM statement_pieces))",
    "statement_pieces": "(SELECT p.statement_id || '#' || p.seq::text AS id, s.document_id, "
                        "p.start_offset, p.end_offset, p.words FROM statement_pieces p "
                        "JOIN statements s ON s.id = p.statement_id)",
}


def span_checks() -> list[tuple[str, str]]:
    """Each evidence table's query for the rows whose offsets do not hold their words."""
    return [(table, f"SELECT t.id, t.{start}, t.{end} FROM {_PG_ROWS.get(table, rows)} t "
             f"JOIN documents d ON d.id = t.{doc} WHERE t.{end} < t.{start} OR "
             f"substr(d.text, t.{start} + 1, t.{end} - t.{start}) IS DISTINCT FROM t.{words}")
            for table, rows, doc, start, end, words in EVIDENCE]


def verify(raw: psycopg.Connection, counts: dict[str, int]) -> None:
    """Check what was written: row counts and every evidence span's words (the foreign keys
    PostgreSQL checked already)."""
    # The span checks walk each text to its offsets (CPU bound). Nothing else runs now on
    # either side, the reader being done, so let parallel workers share the scans (they see
    # the transaction's rows); the planner would not, as it costs substr() as one cheap step
    # and each row as one sent back (the rows sent back are the problems: almost always
    # none). At 100k statements the checks took 1.35 s instead of 1.9.
    raw.execute("SET LOCAL parallel_setup_cost = 10")
    raw.execute("SET LOCAL parallel_tuple_cost = 0.001")
    raw.execute("SET LOCAL min_parallel_table_scan_size = 0")
    problems = []
    for table, expected in counts.items():
        (count,) = raw.execute(f"SELECT count(*) FROM {table}").fetchone()
        if count != expected:
            problems.append(f"{table}: {count} rows written, {expected} expected")
    for table, query in span_checks():
        for row_id, lo, hi in raw.execute(query):
            problems.append(f"{table} row {row_id}: offsets {lo}-{hi} do not hold its words")
    if problems:
        raise FactdbError("the built database failed verification:\n" + "\n".join(problems))


def _swap(raw: psycopg.Connection, fresh: str, notes: list[str]) -> None:
    """The fresh schema becomes ``factdb``; the old one is dropped (all in the transaction).

    Dropping the old tables needs every reader of them gone: a reader's transaction reads
    the old facts to its end. The locks are taken all at once without waiting (NOWAIT),
    retried until no reader holds one, so the build never queues behind a reader (which
    would hold up new readers) nor deadlocks with one reading table after table.
    """
    old = f"{pg.SCHEMA}_old_{os.getpid()}"
    tables = [t for (t,) in raw.execute(
        "SELECT format('%%I.%%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'v', 'm')",
        (pg.SCHEMA,))]
    started = time.perf_counter()
    while tables:
        raw.execute("SAVEPOINT factdb_swap")
        try:
            raw.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE NOWAIT")
            break
        except (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected):
            raw.execute("ROLLBACK TO SAVEPOINT factdb_swap")
            time.sleep(SWAP_RETRY_SECONDS)
    waited = time.perf_counter() - started
    if waited >= 1:
        notes.append(f"waited {waited:.1f}s for readers of the previous facts to finish")
    if tables:
        raw.execute(f"ALTER SCHEMA {pg.SCHEMA} RENAME TO {old}")
    raw.execute(f"ALTER SCHEMA {fresh} RENAME TO {pg.SCHEMA}")
    if tables:
        raw.execute(f"DROP SCHEMA {old} CASCADE")


def _note_collation(raw: psycopg.Connection, notes: list[str]) -> None:
    (collation,) = raw.execute(
        "SELECT datcollate FROM pg_database WHERE datname = current_database()").fetchone()
    if collation not in ("C", "POSIX", "C.UTF-8", "C.utf8"):
        notes.append(f"the database sorts text by {collation!r}: query results may be ordered "
                     "differently from SQLite's; a database made with LC_COLLATE 'C' sorts as "
                     "SQLite does")


def _failed(url: str, exc: BaseException) -> FactdbError:
    detail = " ".join(str(exc).split())
    if isinstance(exc, psycopg.OperationalError) and getattr(exc, "sqlstate", None) in (
            None, "57P01", "57P02", "57P03", "08000", "08003", "08006"):
        return FactdbError(f"{pg.shown(url)}: lost the connection to the server during the "
                           f"build ({detail}); nothing was committed: the previous facts are "
                           "unchanged; run the build again")
    return FactdbError(f"{pg.shown(url)}: the server refused the build ({detail}); nothing was "
                       "committed: the previous facts are unchanged")
