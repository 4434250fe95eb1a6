"""Setups for the catalogue rows (docs/errors.md, "Files that are not factdb's") that
tests/test_errors.py runs: each takes the test's working folder, which holds a good
factdb.db and is the current directory, and returns the CLI arguments and the file that must
come out byte-identical (the folder's listing is checked too: no stray file appears).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tests.conftest import FIXTURES

VALID = FIXTURES / "bad" / "_valid"
Setup = Callable[[Path], tuple[list[str], Path]]


def _another_app(db: Path, table: str, alembic: str | None = None) -> Path:
    conn = sqlite3.connect(db)
    conn.execute(f"CREATE TABLE {table} (body TEXT)")
    conn.execute(f"INSERT INTO {table} VALUES ('keep me')")
    if alembic:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (alembic,))
    conn.commit()
    conn.close()
    return db


def _build(db: str) -> list[str]:
    return ["build", "--seeds", str(VALID), "--db", db]


def _uri_name(tmp: Path) -> tuple[list[str], Path]:
    return _build("notes#1.db"), _another_app(tmp / "notes#1.db", "notes")


def _alembic_app(command: list[str]) -> Setup:
    def setup(tmp: Path) -> tuple[list[str], Path]:
        return [*command, "--db", "app.db"], _another_app(tmp / "app.db", "users", "ae1027a6acf")

    return setup


def _fifo(tmp: Path) -> tuple[list[str], Path]:
    os.mkfifo(tmp / "pipe.db")
    return _build("pipe.db"), tmp / "factdb.db"


def _loop(tmp: Path) -> tuple[list[str], Path]:
    (tmp / "loop.db").symlink_to("loop.db")
    return _build("loop.db"), tmp / "factdb.db"


def _config_over_seed_file(tmp: Path) -> tuple[list[str], Path]:
    shutil.copy(VALID / "news.yaml", tmp / "news.yaml")
    return ["datasette-config", "--output", "news.yaml"], tmp / "news.yaml"


def _config_over_sqlite(tmp: Path) -> tuple[list[str], Path]:
    return ["datasette-config", "--output", "app.db"], _another_app(tmp / "app.db", "users")


SAFETY_SETUPS: dict[str, Setup] = {
    "db-name-with-uri-characters": _uri_name,
    "db-foreign-alembic": _alembic_app(["build", "--seeds", str(VALID)]),
    "db-foreign-upgrade": _alembic_app(["db", "upgrade"]),
    "db-foreign-query": _alembic_app(["query", "said", "Berg"]),
    "db-upgrade-missing": lambda tmp: (["db", "upgrade", "--db", "new.db"], tmp / "factdb.db"),
    "db-is-a-fifo": _fifo,
    "db-is-a-device": lambda tmp: (["query", "said", "Berg", "--db", "/dev/null"],
                                   tmp / "factdb.db"),
    "db-symlink-loop": _loop,
    "config-output-is-the-database": lambda tmp: (
        ["datasette-config", "--output", "factdb.db"], tmp / "factdb.db"),
    "config-output-not-factdb-s": _config_over_seed_file,
    "config-output-sqlite": _config_over_sqlite,
}
