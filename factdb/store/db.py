"""Open a built database for reading, quickly and safely (plain sqlite3, no SQLAlchemy), and
tell factdb's own databases from anything else a ``--db`` path may name.

A path a user gives is a file name, never a URI: every path put into a SQLite URI goes
through ``sqlite_uri`` (so ``#``, ``?`` and ``%`` in a name are the name's own). factdb marks
every database it makes with ``PRAGMA application_id`` (``APPLICATION_ID``) and replaces,
migrates or reads only those, or those an earlier factdb made (no mark, but factdb's tables at
a revision factdb knows).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from factdb.errors import FactdbError

# The newest migration this code knows; a test checks it against Alembic's head.
SCHEMA_HEAD = "0007"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")
SQLITE_MAGIC = b"SQLite format 3\x00"
# SQLite's application_id header field (offset 68) of every database factdb makes: "FcDb".
APPLICATION_ID = int.from_bytes(b"FcDb", "big")
# The tables of the first revision, kept by every later one: how a database built before
# factdb set APPLICATION_ID is recognised (with an alembic_version at a known revision).
CORE_TABLES = frozenset({
    "actors", "facts", "documents", "events", "actor_aliases", "actor_roles",
    "boilerplate_regions", "event_participants", "event_sources", "relations",
    "skipped_passages", "statements",
})
_PACKAGE = Path(__file__).resolve().parent.parent
# The Alembic migrations: beside the package in a checkout, inside it when installed.
MIGRATIONS = next(
    (p for p in (_PACKAGE.parent / "migrations", _PACKAGE / "_migrations") if p.is_dir()),
    _PACKAGE.parent / "migrations",
)
PG_SCHEMES = ("postgresql://", "postgres://")
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def is_url(db: object) -> bool:
    """Whether a --db value names a PostgreSQL database (a URL) rather than a SQLite file."""
    return str(db).startswith(PG_SCHEMES)


def shown(url: object) -> str:
    """A --db value as messages show it: a URL's password replaced by ***."""
    parts = urlsplit(str(url))
    if not is_url(url) or parts.password is None:
        return str(url)
    return urlunsplit(parts._replace(
        netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)))


def sqlite_uri(path: Path, **params: str) -> str:
    """A SQLite ``file:`` URI that names exactly ``path`` (its characters percent-escaped)."""
    uri = Path(os.path.abspath(path)).as_uri()
    return f"{uri}?{urlencode(params)}" if params else uri


def database_file(path: Path, option: str = "--db", what: str = "a database file") -> Path:
    """The file ``path`` names, if it is a regular file or nothing yet; a symbolic link's
    target, checked the same way. A folder, FIFO, device or socket is refused."""
    if is_url(path):
        raise FactdbError(f"{shown(path)}: this command works on SQLite database files only, "
                          "not on PostgreSQL (build, query and db work on both)")
    path = Path(path)
    target = path
    if path.is_symlink():
        try:
            target = path.resolve()
        except (RuntimeError, OSError):
            raise FactdbError(f"{path}: is a symbolic link that points to itself (a loop); "
                              f"choose another {option}") from None
    try:
        mode = target.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return target  # nothing there yet; the command says what a missing file means
    except OSError as exc:
        raise FactdbError(f"{path}: cannot be read ({exc.strerror})") from None
    if stat.S_ISREG(mode):
        return target
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise FactdbError(f"{path}: is {kind}, not {what}; choose another {option}")


@dataclass(frozen=True)
class Found:
    """What a database path holds. ``kind`` is one of: missing, blank (0 bytes, or SQLite
    with no schema and no application_id), factdb, earlier-factdb, foreign, not-sqlite,
    damaged."""

    kind: str
    application_id: int = 0
    tables: tuple[str, ...] = ()
    revision: str | None = None
    error: str = ""

    @property
    def ours(self) -> bool:
        return self.kind in ("factdb", "earlier-factdb")


def inspect(path: Path) -> Found:
    """What the regular file (or nothing) at ``path`` is; never changes it."""
    path = Path(path)
    if not path.exists():
        return Found("missing")
    if path.stat().st_size == 0:
        return Found("blank")
    if not is_sqlite_file(path):
        return Found("not-sqlite")
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
        try:
            return _identify(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return Found("damaged", error=str(exc))


def _identify(conn: sqlite3.Connection) -> Found:
    """Whose database ``conn`` is open on (raises sqlite3.DatabaseError if damaged)."""
    (app_id,) = conn.execute("PRAGMA application_id").fetchone()
    objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
    tables = tuple(sorted(name for kind, name in objects if kind == "table"))
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    if app_id == APPLICATION_ID:
        kind = "factdb"
    elif app_id == 0 and not objects:
        kind = "blank"
    elif app_id == 0 and revision in KNOWN_REVISIONS and set(tables) >= CORE_TABLES:
        kind = "earlier-factdb"
    else:
        kind = "foreign"
    return Found(kind, app_id, tables, revision)


def refusal(path: Path, found: Found, verb: str) -> FactdbError:
    """The message for a file factdb will not ``verb`` (replace, migrate, read)."""
    advice = "choose another --db" if verb == "read" else "move it away or choose another --db"
    if found.kind == "not-sqlite":
        return FactdbError(f"{path}: exists and is not a SQLite database; refusing to {verb} "
                           f"it ({advice})")
    if found.kind == "damaged":
        return FactdbError(f"{path}: is a damaged SQLite database ({found.error}); refusing "
                           f"to {verb} it ({advice})")
    shown = ", ".join(found.tables[:6]) + (", ..." if len(found.tables) > 6 else "")
    return FactdbError(f"{path}: is a SQLite database that factdb did not make (application_id "
                       f"{found.application_id}, tables: {shown or 'none'}); refusing to "
                       f"{verb} it ({advice})")


def mark(conn: sqlite3.Connection) -> None:
    """Mark the database ``conn`` writes as factdb's (a no-op write is skipped: it would
    still change the header's change counter)."""
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def is_sqlite_file(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(16) == SQLITE_MAGIC


def read_revision(path: Path) -> str | None:
    """The Alembic revision stored in a database, or None if it has none."""
    conn = connect_readonly(path, check=False)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except (sqlite3.DatabaseError, TypeError):
        return None
    finally:
        conn.close()


def connect_readonly(path: Path, check: bool = True) -> sqlite3.Connection:
    """Open ``path`` read-only; refuse a missing, foreign or out-of-date database."""
    path = Path(path)
    file = database_file(path)
    if not file.is_file():
        raise FactdbError(f"{path}: database not found; build it with `factdb build --db {path}`")
    if not is_sqlite_file(file):
        raise FactdbError(f"{path}: not a SQLite database")
    conn = sqlite3.connect(sqlite_uri(file, mode="ro"), uri=True)
    if check:
        try:
            _check_ours(conn, path)
        except BaseException:
            conn.close()
            raise
    return conn


def _check_ours(conn: sqlite3.Connection, path: Path) -> None:
    try:
        found = _identify(conn)
    except sqlite3.DatabaseError as exc:
        raise refusal(path, Found("damaged", error=str(exc)), "read") from None
    if found.kind == "foreign":
        raise refusal(path, found, "read")
    if found.kind == "blank":
        raise FactdbError(f"{path}: not a factdb database (no schema revision); "
                          "rebuild it with `factdb build`")
    check_revision(path, found.revision)


def check_revision(path: Path, revision: str | None) -> None:
    """Refuse a revision other than the head: older (upgrade) or unknown (newer factdb)."""
    if revision == SCHEMA_HEAD:
        return
    if revision in KNOWN_REVISIONS:
        raise FactdbError(f"{path}: schema revision {revision} is older than this factdb's "
                          f"{SCHEMA_HEAD}; run `factdb db upgrade --db {path}` or rebuild")
    if revision is None:
        raise FactdbError(f"{path}: has no schema revision (migrated down to base); run "
                          f"`factdb db upgrade --db {path}` or rebuild")
    raise FactdbError(f"{path}: schema revision {revision!r} is unknown to this factdb (its "
                      f"newest is {SCHEMA_HEAD}); it was made by a newer factdb: upgrade factdb, "
                      f"or rebuild the database from the seeds with `factdb build --db {path}`")
