"""factdb's PostgreSQL databases: connecting with clear messages, telling factdb's own
databases from others, and reading them (canned queries translated from SQLite's SQL).

factdb keeps its facts in the schema ``factdb`` of the database a URL names, marked by the
table ``factdb.factdb_marker`` (as SQLite files are marked by their application_id). A
database with no tables is factdb's to build in; one with other tables and no marker is
refused. Only commands given a ``postgresql://`` URL import this module (and psycopg).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import psycopg

from factdb.errors import FactdbError
from factdb.query.dialect import translate
from factdb.store.db import check_revision, shown

SCHEMA = "factdb"
MARKER = "factdb_marker"
EXTENSIONS_SCHEMA = "factdb_ext"  # unaccent, when the server has it (kept across builds)
# `factdb query` statements stop after this long (milliseconds); `query sql` may set its own.
STATEMENT_TIMEOUT_MS = 30_000


def connect(url: str, *, options: str = "", client_cursor: bool = False) -> psycopg.Connection:
    """Open a connection (not autocommit); every way it can fail is one clear message."""
    try:
        return psycopg.connect(
            str(url), connect_timeout=10, options=options or None,
            cursor_factory=psycopg.ClientCursor if client_cursor else psycopg.Cursor)
    except psycopg.Error as exc:
        raise FactdbError(describe(url, exc)) from None


def describe(url: str, exc: BaseException) -> str:
    """What a failure to connect means, and what to do."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    low = detail.lower()
    name = urlsplit(str(url)).path.lstrip("/") or "(default)"
    if "database" in low and "does not exist" in low:
        return (f"{shown(url)}: the database {name!r} does not exist on the server; create it "
                f"first (`createdb {name}` or CREATE DATABASE), then build into it")
    if any(w in low for w in ("authentication failed", "password", "pg_hba.conf",
                              "role", "permission denied")):
        return (f"{shown(url)}: the server refused the login ({detail}); check the user and "
                "password in the URL")
    if "invalid" in low and ("dsn" in low or "uri" in low or "connection option" in low):
        return f"{shown(url)}: not a usable PostgreSQL URL ({detail})"
    return (f"{shown(url)}: cannot reach the PostgreSQL server ({detail}); is it running, "
            "and are the host and port right?")


@dataclass(frozen=True)
class PgFound:
    """What a PostgreSQL database holds: ``kind`` is blank (no tables), factdb or foreign."""

    kind: str
    tables: tuple[str, ...] = ()
    revision: str | None = None

    @property
    def ours(self) -> bool:
        return self.kind == "factdb"


def identify(conn: psycopg.Connection) -> PgFound:
    """Whose database ``conn`` is open on (reads the catalog only)."""
    tables = tuple(sorted(f"{s}.{t}" for s, t in conn.execute(
        "SELECT n.nspname, c.relname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg\\_%'").fetchall()))
    if f"{SCHEMA}.{MARKER}" in tables:
        revision = None
        if f"{SCHEMA}.alembic_version" in tables:
            row = conn.execute(f"SELECT version_num FROM {SCHEMA}.alembic_version").fetchone()
            revision = row[0] if row else None
        return PgFound("factdb", tables, revision)
    return PgFound("foreign" if tables else "blank", tables)


def refusal(url: str, found: PgFound, verb: str) -> FactdbError:
    shown_tables = ", ".join(found.tables[:6]) + (", ..." if len(found.tables) > 6 else "")
    return FactdbError(f"{shown(url)}: is a PostgreSQL database that factdb did not make (no "
                       f"{SCHEMA}.{MARKER} table; tables: {shown_tables}); refusing to {verb} "
                       "it (choose another database in --db)")


def mark(conn: psycopg.Connection, schema: str = SCHEMA) -> None:
    """Create the marker table in ``schema`` (factdb made this schema)."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{MARKER} (made_by text NOT NULL, "
                 "made_at timestamptz NOT NULL DEFAULT now())")
    conn.execute(f"INSERT INTO {schema}.{MARKER} (made_by) VALUES ('factdb')")


class PgConnection:
    """A read-only connection that runs SQLite SQL (translated) like a sqlite3 connection:
    ``execute(sql, params)`` returns a cursor (each statement prepared on the server once per
    connection); ``Error`` is what it raises."""

    Error = psycopg.Error
    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection, url: str):
        self.raw = raw
        self.url = url
        self.plans = "auto"  # the session's plan_cache_mode

    def _plan_mode(self, mode: str) -> None:
        """Set the server's plan_cache_mode for the next statement (a query's own)."""
        if mode != self.plans:
            self.raw.execute("SELECT set_config('plan_cache_mode', %s, false)", (mode,))
            self.plans = mode

    def execute(self, sql: str, params: object = None) -> psycopg.Cursor:
        translated = translate(sql)
        try:
            self._plan_mode(translated.plans)
            # Bound on the server and prepared: a connection that asks again skips parsing
            # and rewriting the views, and may skip planning: a generic plan, kept after
            # five asks, or from the first for some queries (dialect.PLAN_MODES).
            return psycopg.Cursor(self.raw).execute(
                translated.sql, translated.params(params, self.raw), prepare=True)  # type: ignore
        except psycopg.OperationalError as exc:
            if self.raw.closed or self.raw.broken:
                raise FactdbError(f"{shown(self.url)}: lost the connection to the server "
                                  f"({' '.join(str(exc).split())})") from None
            raise

    def set_timeout(self, seconds: float) -> None:
        """Let each statement run ``seconds`` at most (0: no limit), as --timeout says."""
        self.raw.execute("SELECT set_config('statement_timeout', %s, false)",
                         (str(int(seconds * 1000)),))
        self.raw.commit()  # a setting made in a transaction ends with it otherwise

    def close(self) -> None:
        self.raw.close()


def connect_readonly(url: str, timeout_ms: int = STATEMENT_TIMEOUT_MS) -> PgConnection:
    """Open factdb's database at ``url`` for reading; refuse anything else."""
    # jit=off: the canned queries' estimated costs pass jit_above_cost at 100k statements,
    # and compiling took 2.4 s of a 10 ms question (timeline); none runs long enough to gain.
    raw = connect(url, client_cursor=True, options=(
        f"-c search_path={SCHEMA} -c default_transaction_read_only=on "
        f"-c statement_timeout={int(timeout_ms)} -c jit=off"))
    try:
        found = identify(raw)
        if found.kind == "foreign":
            raise refusal(url, found, "read")
        if found.kind == "blank":
            raise FactdbError(f"{shown(url)}: holds no factdb facts yet; build them with "
                              f"`factdb build --db {shown(url)}`")
        check_revision(shown(url), found.revision)  # type: ignore[arg-type]
        # A server left at the stock random_page_cost (4, a spinning disk's) prices an index
        # lookup at four pages read in order: at 1M it hashed 250k events and event sources
        # for 25k relations (conflicts 1.40 s; 0.96 s priced as cached data or SSD, 1.1, as
        # PostgreSQL's documentation advises). A value someone chose is left alone.
        raw.execute("SELECT set_config('random_page_cost', '1.1', false) "
                    "WHERE current_setting('random_page_cost') = '4'")
        raw.commit()  # (keeps the setting); each command reads in one fresh transaction
    except BaseException:
        raw.close()
        raise
    return PgConnection(raw, url)
