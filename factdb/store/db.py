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
from collections import namedtuple

from factdb.errors import FactdbError

# pathlib, urllib and dataclasses are not imported here: opening a database is on every
# `factdb query` command's way, and they cost milliseconds; the rarer paths import pathlib.
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (type checkers know it)
if TYPE_CHECKING:
    from pathlib import Path

# The newest migration this code knows; a test checks it against Alembic's head.
SCHEMA_HEAD = "0013"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008",
                   "0009", "0010", "0011", "0012", "0013")
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
PG_SCHEMES = ("postgresql://", "postgres://")
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def __getattr__(name: str) -> object:
    if name == "MIGRATIONS":  # the Alembic migrations: beside the package in a checkout,
        from pathlib import Path  # inside it when installed

        package = Path(__file__).resolve().parent.parent
        return next((p for p in (package.parent / "migrations", package / "_migrations")
                     if p.is_dir()), package.parent / "migrations")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_url(db: object) -> bool:
    """Whether a --db value names a PostgreSQL database (a URL) rather than a SQLite file."""
    return str(db).startswith(PG_SCHEMES)


def shown(url: object) -> str:
    """A --db value as messages show it: a URL's password replaced by ***."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(str(url))
    if not is_url(url) or parts.password is None:
        return str(url)
    return urlunsplit(parts._replace(
        netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)))


def sqlite_uri(path: str | Path, **params: str) -> str:
    """A SQLite ``file:`` URI that names exactly ``path`` (its characters percent-escaped, as
    ``Path.as_uri`` escapes them); ``params`` are plain words (``mode="ro"``)."""
    name = os.fsencode(os.path.abspath(path))
    uri = "file://" + "".join(chr(b) if b in _URI_SAFE else f"%{b:02X}" for b in name)
    return uri + "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else uri


_URI_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/")


def database_file(path: Path, option: str = "--db", what: str = "a database file") -> Path:
    """The file ``path`` names, if it is a regular file or nothing yet; a symbolic link's
    target, checked the same way. A folder, FIFO, device or socket is refused."""
    from pathlib import Path

    if is_url(path):
        raise FactdbError(f"{shown(path)}: this command works on SQLite database files only, "
                          "not on PostgreSQL (build, query, db and export work on both)")
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


class Found(namedtuple("Found", "kind application_id tables revision error",
                       defaults=(0, (), None, ""))):
    """What a database path holds. ``kind`` is one of: missing, blank (0 bytes, or SQLite
    with no schema and no application_id), factdb, earlier-factdb, foreign, not-sqlite,
    damaged. (A named tuple: a dataclass would import dataclasses on every query's way.)"""

    __slots__ = ()
    kind: str
    application_id: int
    tables: tuple[str, ...]
    revision: str | None
    error: str

    @property
    def ours(self) -> bool:
        return self.kind in ("factdb", "earlier-factdb")


def inspect(path: Path) -> Found:
    """What the regular file (or nothing) at ``path`` is; never changes it."""
    from pathlib import Path

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


def connect_readonly(path: str | Path, check: bool = True) -> sqlite3.Connection:
    """Open ``path`` read-only; refuse a missing, foreign or out-of-date database."""
    file = path
    if not _plain_sqlite_file(path):  # a link, a folder, nothing...: said as database_file does
        from pathlib import Path

        path = Path(path)
        file = database_file(path)
        if not file.is_file():
            raise FactdbError(f"{path}: database not found; build it with "
                              f"`factdb build --db {path}`")
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


def _plain_sqlite_file(path: str | Path) -> bool:
    """Whether ``path`` names a regular file, not a symbolic link, that begins as SQLite
    files do: the common case, told without pathlib (database_file would return it)."""
    try:
        if is_url(path) or os.path.islink(path) or not stat.S_ISREG(os.stat(path).st_mode):
            return False
        return is_sqlite_file(path)
    except (OSError, ValueError):
        return False


def _check_ours(conn: sqlite3.Connection, path: str | Path) -> None:
    try:
        found = _identify(conn)
    except sqlite3.DatabaseError as exc:
        found = Found("damaged", error=str(exc))
    if found.ours and found.revision == SCHEMA_HEAD:
        return
    from pathlib import Path

    path = Path(path)  # named in the messages as every command names it
    if found.kind == "damaged":
        raise refusal(path, found, "read")
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
