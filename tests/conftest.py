"""Shared fixtures: the real seeds built once per session, and a CLI runner."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factdb.cli import app
from factdb.store.build import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from the real seeds; treat it as read-only."""
    path = tmp_path_factory.mktemp("seeds") / "factdb.db"
    build(SEEDS, path)
    return path


@pytest.fixture
def cli():
    """Run the real CLI in-process: ``cli("query", "said", "Lavrov")`` -> click Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return invoke


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


PG_SERVER = os.environ.get("FACTDB_TEST_PG", "postgresql://postgres@127.0.0.1:5432")


@pytest.fixture(scope="session")
def pg_queries_url():
    """A PostgreSQL database built from fixtures/queries/seeds once per session."""
    for url in _pg_database():
        build(FIXTURES / "queries" / "seeds", url)
        yield url


@pytest.fixture(scope="session")
def pg_seeds_url():
    """A PostgreSQL database built from the real seeds once per session."""
    for url in _pg_database():
        build(SEEDS, url)
        yield url


@pytest.fixture
def pg_url():
    """A fresh, empty PostgreSQL database (unique name), dropped afterwards. Skipped when no
    server answers, except in CI (CI=true), where that is a failure."""
    yield from _pg_database()


def _pg_database():
    import psycopg

    server = _server_or_skip()
    name = f"factdb_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'")
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _server_or_skip() -> str:
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3).close()
    except Exception as exc:
        message = f"no PostgreSQL server at {PG_SERVER} ({exc})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return PG_SERVER
