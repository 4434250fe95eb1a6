"""Build factdb's PostgreSQL database: validate the seeds, then one transaction on the server.

The seeds are read and checked first, their rows spooled to local files in COPY's text
format, before the server is touched: bad seeds give exactly a SQLite build's messages.
Then, in one transaction: take the build lock (``pg_advisory_xact_lock``: a second build
waits, and says so), migrate a fresh schema with the same Alembic migrations, COPY the
rows in, verify, and swap the fresh schema in for the old one by renaming. Readers see
the old facts or the new, never a mix; a failed, killed or disconnected build commits
nothing, so the old facts stay as they were.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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
SWAP_RETRY_SECONDS = 0.05  # between tries to lock the old tables while readers hold them
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_line(row: tuple) -> str:
    """One row in COPY's text format."""
    return "\t".join(_field(v) for v in row) + "\n"


def _field(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).translate(_ESCAPES)


def build(seeds_dir: Path, url: str, progress: Progress | None = None) -> BuildResult:
    """Build factdb's database at ``url`` from ``seeds_dir``; raise FactdbError (the old
    facts unchanged) on any problem."""
    started = time.perf_counter()
    seeds.seed_files(Path(seeds_dir))  # a missing seeds folder is said first
    with tempfile.TemporaryDirectory(prefix="factdb-pg-") as spool:
        files = {t: Path(spool) / f"{t}.copy" for t in COLUMNS}
        with contextlib.ExitStack() as stack:
            handles = {t: stack.enter_context(open(f, "w", encoding="utf-8", newline=""))
                       for t, f in files.items()}

            def sink(table: str, rows: list[tuple]) -> None:
                handles[table].write("".join(map(copy_line, rows)))

            corpus = seeds.load(Path(seeds_dir), progress, sink)
        notes: list[str] = []
        revision = _load(url, files, corpus.counts(), notes)
    return BuildResult(url, corpus.counts(), time.perf_counter() - started,  # type: ignore
                       revision, tuple(notes))


def _load(url: str, files: dict[str, Path], counts: dict[str, int], notes: list[str]) -> str:
    """One transaction: lock, migrate a fresh schema, COPY, verify, swap; the revision."""
    from sqlalchemy import create_engine, pool
    from sqlalchemy.exc import DBAPIError

    raw = pg.connect(url)
    engine = create_engine("postgresql+psycopg://", creator=lambda: raw,
                           poolclass=pool.StaticPool)
    fresh = f"factdb_build_{os.getpid()}"
    try:
        with engine.begin() as conn:
            _lock(raw, notes)
            found = pg.identify(raw)
            if found.kind == "foreign":
                raise pg.refusal(url, found, "replace")
            raw.execute(f"CREATE SCHEMA {fresh}")
            raw.execute(f"SET LOCAL search_path TO {fresh}")
            revision = _migrate(conn)
            pg.mark(raw, fresh)
            _copy(raw, files)
            for statement in summaries.fill_sql("postgresql"):
                raw.execute(statement)
            raw.execute("ANALYZE actor_summaries")
            verify(raw, counts)
            _swap(raw, fresh, notes)
        _note_collation(raw, notes)
        return revision
    except DBAPIError as exc:
        raise _failed(url, exc.orig) from None
    except psycopg.Error as exc:
        raise _failed(url, exc) from None
    finally:
        with contextlib.suppress(Exception):
            raw.close()
        engine.dispose()


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


def _copy(raw: psycopg.Connection, files: dict[str, Path]) -> None:
    """COPY every table's rows into the fresh schema, its foreign keys dropped meanwhile and
    then added back: one validating join per key instead of a check per row.

    The keys are re-created from the catalog's own text of the migrations' definitions
    (``pg_get_constraintdef``), so the migrations stay the one source of the schema. FREEZE:
    the tables were made in this transaction, so the rows are written frozen (no hint bits
    to set on the first reads, nothing for VACUUM to freeze later).
    """
    from factdb.store.models import metadata

    keys = raw.execute(
        "SELECT c.conrelid::regclass::text, quote_ident(c.conname), "
        "pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_namespace n "
        "ON n.oid = c.connamespace WHERE n.nspname = current_schema() AND c.contype = 'f' "
        "ORDER BY c.conname").fetchall()
    for table, name, _ in keys:
        raw.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for table in (t.name for t in metadata.sorted_tables if t.name in files):
        columns = ", ".join(COLUMNS[table])
        with raw.cursor() as cur, \
                cur.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FREEZE)") as copy, \
                open(files[table], "rb") as rows:
            while chunk := rows.read(1 << 20):
                copy.write(chunk)
    for table, name, definition in keys:
        raw.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for table in files:
        raw.execute(f"ANALYZE {table}")


# The evidence rows whose SQLite form (in EVIDENCE) reads rowid, which PostgreSQL has not.
_PG_ROWS = {
    "statements": "(SELECT * FROM statements WHERE id NOT IN "
                  "(SELECT statement_id FROM statement_pieces))",
    "statement_pieces": "(SELECT p.statement_id || '#' || p.seq::text AS id, s.document_id, "
                        "p.start_offset, p.end_offset, p.words FROM statement_pieces p "
                        "JOIN statements s ON s.id = p.statement_id)",
}


def verify(raw: psycopg.Connection, counts: dict[str, int]) -> None:
    """Check what was written: row counts and every evidence span's words (the foreign keys
    PostgreSQL checked already)."""
    problems = []
    for table, expected in counts.items():
        (count,) = raw.execute(f"SELECT count(*) FROM {table}").fetchone()
        if count != expected:
            problems.append(f"{table}: {count} rows written, {expected} expected")
    for table, rows, doc, start, end, words in EVIDENCE:
        rows = _PG_ROWS.get(table, rows)
        query = (f"SELECT t.id, t.{start}, t.{end} FROM {rows} t "
                 f"JOIN documents d ON d.id = t.{doc} WHERE t.{end} < t.{start} OR "
                 f"substr(d.text, t.{start} + 1, t.{end} - t.{start}) IS DISTINCT FROM t.{words}")
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
