"""Drive Alembic on a chosen database, with its configuration built in code.

Imports Alembic (slow: about half a second), so only commands that migrate import this.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from factdb.errors import FactdbError
from factdb.store.db import MIGRATIONS, Found, database_file, inspect, is_url, mark, refusal


def alembic_config_for(connection: object) -> Config:
    """An Alembic configuration that migrates on ``connection`` (a SQLAlchemy one, in its
    transaction): how PostgreSQL databases are migrated (see factdb.store.pgmigrate)."""
    config = alembic_config(Path("unused.db"))
    config.attributes["connection"] = connection
    return config


def alembic_config(db: Path) -> Config:
    """An Alembic configuration for ``db`` that needs no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # The URL escapes the path's characters, and configparser wants '%' doubled.
    url = URL.create("sqlite", database=str(Path(db))).render_as_string()
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _script() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def head() -> str:
    return _script().get_current_head()


def upgrade(db: Path, revision: str = "head", create: bool = True) -> None:
    """Upgrade factdb's database ``db``; with ``create``, make it first if there is none."""
    if is_url(db):
        from factdb.store import pgmigrate

        return pgmigrate.upgrade(str(db), revision, create)
    file, found = _target(db, "migrate")
    if not found.ours and not create:
        what = "database not found" if found.kind == "missing" else "is empty"
        raise FactdbError(f"{db}: {what}; build it with `factdb build --db {db}`, or make an "
                          f"empty one with `factdb db upgrade --create --db {db}`")
    blank = file.read_bytes() if found.kind == "blank" else None  # no schema: small
    if not found.ours:
        _mark(file)  # factdb makes it: marked from the start
    try:
        with target_errors(db, file):
            command.upgrade(alembic_config(file), revision)
    except BaseException:  # leave what was there: nothing, or the empty file
        if blank is not None:
            file.write_bytes(blank)
        elif found.kind == "missing":
            with contextlib.suppress(FileNotFoundError):
                file.unlink()
        raise
    _mark(file)  # an earlier factdb's database, now migrated


def downgrade(db: Path, revision: str) -> None:
    if is_url(db):
        from factdb.store import pgmigrate

        return pgmigrate.downgrade(str(db), revision)
    file, found = _target(db, "migrate")
    if not found.ours:
        raise FactdbError(f"{db}: database not found; build it with `factdb build --db {db}`")
    with target_errors(db, file):
        command.downgrade(alembic_config(file), revision)
    _mark(file)


def _target(db: Path, verb: str) -> tuple[Path, Found]:
    """The file to migrate and what it holds: factdb's, or nothing; refuse anything else."""
    file = database_file(db)
    found = inspect(file)
    if found.kind not in ("missing", "blank") and not found.ours:
        raise refusal(db, found, verb)
    if found.ours and verb == "migrate":
        check_known(db, found.revision)
        _check_sound(db, file)
    return file, found


def _check_sound(db: Path, file: Path) -> None:
    """Refuse a database damaged past its header before a migration writes to it (a write
    would fail halfway, leaving it changed)."""
    try:
        with contextlib.closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro",
                                                uri=True)) as conn:
            verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        verdict = str(exc)
    verdict = " ".join(verdict.replace("*** in database main ***", "").split())
    if verdict != "ok":
        raise FactdbError(f"{db}: is a damaged SQLite database ({verdict}); refusing to "
                          f"migrate it: rebuild it from the seeds with `factdb build --db {db}`")


def _mark(file: Path) -> None:
    """Mark a database factdb makes, or one an earlier factdb made (no application_id)."""
    with contextlib.closing(sqlite3.connect(file)) as conn:
        mark(conn)


class WriteFailed(FactdbError):
    """SQLite could not write a migration (a full disk, an I/O error); ``reason`` is its
    own words."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@contextmanager
def target_errors(db: Path | str, file: Path | None = None) -> Iterator[None]:
    """A target revision Alembic cannot reach ("0099", "-5", "+1" at head) is a user error;
    so is a database another process is writing (SQLite's lock), or one damaged inside; and,
    for the SQLite ``file``, one that could not be written (said with the revision it is at
    afterwards, read from the file)."""
    try:
        yield
    except CommandError as exc:
        raise FactdbError(f"{db}: {exc}; see `factdb db history --db {db}` for the "
                          "revisions") from None
    except DBAPIError as exc:
        reason = str(exc.orig)
        if "malformed" in reason or "not a database" in reason:  # damage past the header
            raise FactdbError(f"{db}: is a damaged SQLite database ({reason}); the migration "
                              f"stopped: rebuild it from the seeds with `factdb build --db "
                              f"{db}`") from None
        if "locked" not in reason and "busy" not in reason:
            if file is None:
                raise  # PostgreSQL: its session says what went wrong
            now = inspect(file).revision or "base (no revision)"
            raise WriteFailed(f"{db}: could not write the migration ({reason}); the database "
                              f"is at revision {now}: make room and run it again",
                              reason) from None
        raise FactdbError(f"{db}: another process is writing to the database ({reason}); "
                          "nothing was migrated: try again when it has finished") from None


@dataclass(frozen=True)
class Revision:
    revision: str
    down_revision: str | None
    message: str
    is_head: bool
    is_current: bool


def history(db: Path | None = None) -> list[Revision]:
    """All revisions, newest first, marking the head and the database's current one."""
    current = None
    if db is not None and is_url(db):
        from factdb.store import pgmigrate

        current = pgmigrate.revision(str(db))
    elif db is not None:
        _, found = _target(db, "read")
        current = found.revision
    return [
        Revision(s.revision, s.down_revision, s.doc or "", s.is_head, s.revision == current)
        for s in _script().walk_revisions()
    ]


def current(db: Path) -> str:
    """The revision factdb's database ``db`` is at."""
    if is_url(db):
        from factdb.store import pgmigrate

        return pgmigrate.revision(str(db)) or "base (no revision)"
    _, found = _target(db, "read")
    if not found.ours:
        raise FactdbError(f"{db}: database not found")
    return found.revision or "base (no revision)"


def check_known(db: Path | str, current: str | None) -> None:
    if current is not None and current not in {s.revision for s in _script().walk_revisions()}:
        raise FactdbError(f"{db}: schema revision {current!r} is unknown to this factdb (its "
                          f"newest is {head()}); it was made by a newer factdb: upgrade factdb, "
                          f"or rebuild the database from the seeds with `factdb build --db {db}`")
