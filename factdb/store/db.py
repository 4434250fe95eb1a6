"""Open a built database for reading, quickly and safely (plain sqlite3, no SQLAlchemy)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from factdb.errors import FactdbError

# The newest migration this code knows; a test checks it against Alembic's head.
SCHEMA_HEAD = "0003"
KNOWN_REVISIONS = ("0001", "0002", "0003")
SQLITE_MAGIC = b"SQLite format 3\x00"
_PACKAGE = Path(__file__).resolve().parent.parent
# The Alembic migrations: beside the package in a checkout, inside it when installed.
MIGRATIONS = next(
    (p for p in (_PACKAGE.parent / "migrations", _PACKAGE / "_migrations") if p.is_dir()),
    _PACKAGE.parent / "migrations",
)


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
    if not path.is_file():
        raise FactdbError(f"{path}: database not found; build it with `factdb build --db {path}`")
    if not is_sqlite_file(path):
        raise FactdbError(f"{path}: not a SQLite database")
    conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
    if check:
        _check_revision(conn, path)
    return conn


def _check_revision(conn: sqlite3.Connection, path: Path) -> None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        conn.close()
        raise FactdbError(f"{path}: not a factdb database (no schema revision); "
                          "rebuild it with `factdb build`") from None
    revision = row[0] if row else None
    if revision == SCHEMA_HEAD:
        return
    conn.close()
    if revision in KNOWN_REVISIONS:
        raise FactdbError(f"{path}: schema revision {revision} is older than this factdb's "
                          f"{SCHEMA_HEAD}; run `factdb db upgrade --db {path}` or rebuild")
    raise FactdbError(f"{path}: schema revision {revision!r} is unknown to this factdb (its "
                      f"newest is {SCHEMA_HEAD}); it was made by a newer factdb: upgrade factdb, "
                      f"or rebuild the database from the seeds with `factdb build --db {path}`")
