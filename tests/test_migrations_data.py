"""Migrations with data: the models agree with the migrations, every revision upgrades to
head with the seed data intact, down to base and back up works, and a database from an
unknown (newer) revision is refused with what to do.

Revisions come from Alembic's script directory, so migrations added later are covered
without touching this file.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory

from factdb.errors import FactdbError
from factdb.store import migrate
from factdb.store.db import connect_readonly
from factdb.store.models import metadata

SCRIPT = ScriptDirectory(str(migrate.MIGRATIONS))
REVISIONS = [s.revision for s in reversed(list(SCRIPT.walk_revisions()))]  # base to head
TABLES = sorted(metadata.tables)
# (revision, table) pairs where a downgrade to that revision may change a table's rows.
# A revision that transforms data lossily names its tables here: before 0006 a quote in
# pieces has no table to keep its pieces in (the statement keeps its joined quote).
LOSSY: set[tuple[str, str]] = {(r, "statement_pieces") for r in REVISIONS if r < "0006"}


def differences(db: Path) -> list:
    """What autogenerate would change to make ``db`` match the models, through env.py (so
    its include_object rule for the FTS tables applies)."""
    config = migrate.alembic_config(db)
    found: list = []

    def compare(_revision, context):
        found.extend(compare_metadata(context, metadata))
        return []

    with EnvironmentContext(config, SCRIPT, fn=compare):
        SCRIPT.run_env()
    return found


def revision_of(db: Path) -> str | None:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def counts(db: Path) -> dict[str, int]:
    """Rows per model table that exists in ``db``."""
    conn = sqlite3.connect(db)
    try:
        present = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                for t in TABLES if t in present}
    finally:
        conn.close()


def test_alembic_head_is_the_head_this_code_reads():
    from factdb.store.db import KNOWN_REVISIONS, SCHEMA_HEAD

    assert SCRIPT.get_current_head() == SCHEMA_HEAD
    assert list(KNOWN_REVISIONS) == REVISIONS


def test_the_models_and_the_migrations_agree(tmp_path: Path):
    migrate.upgrade(tmp_path / "head.db")
    assert differences(tmp_path / "head.db") == []


def test_the_comparison_would_see_a_difference(tmp_path: Path):
    """The check above can fail: a column the models do not know is found."""
    db = tmp_path / "head.db"
    migrate.upgrade(db)
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE actors ADD COLUMN nickname TEXT")
    conn.close()
    assert [d[0] for d in differences(db)] == ["remove_column"]


@pytest.mark.parametrize("revision", REVISIONS)
def test_each_revision_upgrades_to_head_with_the_data_intact(revision, seeds_db, tmp_path):
    db = tmp_path / "factdb.db"
    shutil.copy(seeds_db, db)
    built = counts(db)
    assert built["statements"] > 0 and built["events"] > 0
    migrate.downgrade(db, revision)
    assert revision_of(db) == revision
    kept = counts(db)
    assert {t: n for t, n in kept.items() if (revision, t) not in LOSSY} == \
        {t: built[t] for t in kept if (revision, t) not in LOSSY}
    migrate.upgrade(db)
    assert revision_of(db) == REVISIONS[-1]
    assert {t: n for t, n in counts(db).items() if (revision, t) not in LOSSY} == \
        {t: n for t, n in built.items() if (revision, t) not in LOSSY}
    assert differences(db) == []
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


def test_down_to_base_step_by_step_and_back_up_to_head(seeds_db, tmp_path):
    db = tmp_path / "factdb.db"
    shutil.copy(seeds_db, db)
    built = counts(db)
    for expected in reversed([None, *REVISIONS[:-1]]):
        migrate.downgrade(db, "-1")
        assert revision_of(db) == expected
        if expected is not None:
            kept = counts(db)
            assert kept == {t: built[t] for t in kept}
    assert counts(db) == {}  # base: the data went with the first revision's tables
    for expected in REVISIONS:
        migrate.upgrade(db, "+1")
        assert revision_of(db) == expected
    assert differences(db) == []
    assert counts(db) == dict.fromkeys(TABLES, 0)


def _at_revision(source: Path, target: Path, revision: str) -> Path:
    shutil.copy(source, target)
    conn = sqlite3.connect(target)
    conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.close()
    return target


def test_an_older_revision_is_refused_by_queries_until_upgraded(seeds_db, tmp_path, cli):
    db = tmp_path / "factdb.db"
    shutil.copy(seeds_db, db)
    migrate.downgrade(db, REVISIONS[-2] if len(REVISIONS) > 1 else "base")
    result = cli("query", "said", "Lavrov", "--db", db)
    assert result.exit_code == 1
    assert f"run `factdb db upgrade --db {db}`" in result.stderr
    assert cli("db", "upgrade", "--db", db).exit_code == 0
    assert cli("query", "said", "Lavrov", "--db", db).exit_code == 0


def test_an_unknown_revision_is_refused_by_every_reader_and_migration(seeds_db, tmp_path, cli):
    db = _at_revision(seeds_db, tmp_path / "factdb.db", "9999")
    what_to_do = ("it was made by a newer factdb: upgrade factdb, or rebuild the database "
                  "from the seeds with `factdb build")
    with pytest.raises(FactdbError, match="unknown to this factdb") as caught:
        connect_readonly(db)
    assert what_to_do in str(caught.value)
    for args in (("query", "said", "Lavrov"), ("db", "upgrade"), ("db", "downgrade", "-1")):
        result = cli(*args, "--db", db)
        assert result.exit_code == 1, args
        assert result.stderr.startswith(f"error: {db}: schema revision '9999' is unknown to "
                                        f"this factdb (its newest is {REVISIONS[-1]})"), args
        assert what_to_do in result.stderr, args
    assert revision_of(db) == "9999"


def test_upgrading_fills_actor_summaries_as_a_build_does(seeds_db, tmp_path):
    """actor_summaries is derived: migration 0009 fills it for a database upgraded in place
    with the rows the build writes (same order, same rowids)."""
    db = tmp_path / "factdb.db"
    shutil.copy(seeds_db, db)

    def rows() -> list:
        conn = sqlite3.connect(db)
        try:
            return conn.execute("SELECT rowid, * FROM actor_summaries ORDER BY rowid").fetchall()
        finally:
            conn.close()

    built = rows()
    assert built
    migrate.downgrade(db, "0008")
    migrate.upgrade(db)
    assert rows() == built
