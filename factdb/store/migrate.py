"""Drive Alembic on a chosen database, with its configuration built in code.

Imports Alembic (slow: about half a second), so only commands that migrate import this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from factdb.errors import FactdbError
from factdb.store.db import MIGRATIONS, read_revision


def alembic_config(db: Path) -> Config:
    """An Alembic configuration for ``db`` that needs no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{Path(db)}")
    return config


def _script() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def head() -> str:
    return _script().get_current_head()


def upgrade(db: Path, revision: str = "head") -> None:
    _check_known(db)
    with _target_errors(db):
        command.upgrade(alembic_config(db), revision)


def downgrade(db: Path, revision: str) -> None:
    _check_known(db)
    with _target_errors(db):
        command.downgrade(alembic_config(db), revision)


@contextmanager
def _target_errors(db: Path) -> Iterator[None]:
    """A target revision Alembic cannot reach ("0007", "-5", "+1" at head) is a user error."""
    try:
        yield
    except CommandError as exc:
        raise FactdbError(f"{db}: {exc}; see `factdb db history --db {db}` for the "
                          "revisions") from None


@dataclass(frozen=True)
class Revision:
    revision: str
    down_revision: str | None
    message: str
    is_head: bool
    is_current: bool


def history(db: Path | None = None) -> list[Revision]:
    """All revisions, newest first, marking the head and the database's current one."""
    current = read_revision(db) if db is not None and Path(db).exists() else None
    return [
        Revision(s.revision, s.down_revision, s.doc or "", s.is_head, s.revision == current)
        for s in _script().walk_revisions()
    ]


def _check_known(db: Path) -> None:
    if not Path(db).exists():
        return
    current = read_revision(db)
    if current is not None and current not in {s.revision for s in _script().walk_revisions()}:
        raise FactdbError(f"{db}: schema revision {current!r} is unknown to this factdb (its "
                          f"newest is {head()}); it was made by a newer factdb: upgrade factdb, "
                          f"or rebuild the database from the seeds with `factdb build --db {db}`")

