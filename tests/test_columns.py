"""The loader's rows (factdb/seeds/columns.py) fill exactly the columns the migrations make.

A column a migration adds that the loader does not fill, or a row field no table has, fails
here rather than as a NULL column or an INSERT error in a user's build.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from factdb.seeds.columns import COLUMNS, ROWS
from factdb.store.build import build
from factdb.store.models import metadata
from tests.conftest import FIXTURES


def insertable(conn: sqlite3.Connection, table: str) -> tuple[str, ...]:
    """The columns of ``table`` that an INSERT fills: not generated (hidden), and not an
    INTEGER PRIMARY KEY, which SQLite numbers itself."""
    cols = conn.execute(f"PRAGMA table_xinfo({table})").fetchall()
    keys = [c for c in cols if c[5]]
    auto = {c[1] for c in keys if len(keys) == 1 and c[2].upper() == "INTEGER"}
    return tuple(c[1] for c in cols if c[6] == 0 and c[1] not in auto)


def differences(conn: sqlite3.Connection, columns: dict[str, tuple[str, ...]]) -> list[str]:
    """What the schema in ``conn`` has that ``columns`` does not fill, and the reverse."""
    found = []
    for table, filled in columns.items():
        schema = insertable(conn, table)
        found += [f"{table}.{c}: in the schema, not filled by the loader"
                  for c in schema if c not in filled]
        found += [f"{table}.{c}: filled by the loader, not in the schema"
                  for c in filled if c not in schema]
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("columns") / "factdb.db"
    build(FIXTURES / "queries" / "seeds", db)
    return db


def test_every_column_of_every_table_is_filled_by_the_loader(built: Path):
    conn = sqlite3.connect(built)
    try:
        assert differences(conn, COLUMNS) == []
    finally:
        conn.close()


def test_the_loader_fills_every_table_the_models_define():
    from factdb.store.summaries import DERIVED

    assert set(ROWS) == set(metadata.tables) - set(DERIVED)
    assert set(DERIVED) <= set(metadata.tables)


def test_derived_tables_are_filled_by_the_build(built: Path):
    from factdb.store.summaries import DERIVED

    conn = sqlite3.connect(built)
    try:
        for table in DERIVED:
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    finally:
        conn.close()


def test_a_column_added_by_a_migration_and_not_loaded_is_caught(built: Path, tmp_path: Path):
    db = tmp_path / "newer.db"
    db.write_bytes(built.read_bytes())
    conn = sqlite3.connect(db)
    try:
        conn.execute("ALTER TABLE statements ADD COLUMN topic TEXT")
        assert differences(conn, COLUMNS) == [
            "statements.topic: in the schema, not filled by the loader"]
        dropped = {**COLUMNS, "events": (*COLUMNS["events"], "weather")}
        assert differences(conn, dropped)[-1] == "events.weather: filled by the loader, " \
                                                 "not in the schema"
    finally:
        conn.close()


def test_rows_are_made_by_keyword_only_and_a_missing_column_is_refused():
    assert ROWS["facts"](id="x", kind="event") == ("x", "event")
    with pytest.raises(TypeError):
        ROWS["facts"](id="x")
    with pytest.raises(TypeError):
        ROWS["facts"]("x", "event")
    dates = tuple(f"d{i}" for i in range(7))
    row = ROWS["events"](id="e", description="d", kind=None, date=dates, place=None, note=None,
                         status="normal", status_reason=None)
    assert dict(zip(COLUMNS["events"], row, strict=True))["date_latest"] == "d6"
