"""Migrations on PostgreSQL: the models agree with the migrations there too, and every
revision downgrades and upgrades with the data intact (as tests/test_migrations_data.py
checks on SQLite), through `factdb db ...`."""

from __future__ import annotations

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.environment import EnvironmentContext
from sqlalchemy import create_engine, pool

from factdb.store import migrate
from factdb.store.models import metadata
from tests.conftest import FIXTURES
from tests.test_migrations_data import REVISIONS, SCRIPT
from tests.test_postgres import counts

SEEDS = FIXTURES / "queries" / "seeds"


def differences(url: str) -> list:
    """What autogenerate would change in the schema factdb to match the models."""
    engine = create_engine("postgresql+psycopg://" + url.split("://", 1)[1],
                           poolclass=pool.NullPool,
                           connect_args={"options": "-c search_path=factdb"})
    found: list = []

    def compare(_revision, context):
        found.extend(compare_metadata(context, metadata))
        return []

    with engine.connect() as conn:
        config = migrate.alembic_config_for(conn)
        with EnvironmentContext(config, SCRIPT, fn=compare):
            SCRIPT.run_env()
    engine.dispose()
    return found


def revision_of(url: str) -> str | None:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT version_num FROM factdb.alembic_version").fetchone()
    return row[0] if row else None


def test_the_models_and_the_migrations_agree_on_postgresql(cli, pg_url):
    result = cli("db", "upgrade", "--db", pg_url)
    assert result.exit_code == 1 and "--create" in result.stderr  # nothing made unasked
    assert cli("db", "upgrade", "--create", "--db", pg_url).exit_code == 0
    assert differences(pg_url) == []
    with psycopg.connect(pg_url) as conn:  # the comparison can fail
        conn.execute("ALTER TABLE factdb.actors ADD COLUMN nickname text")
    assert [d[0] for d in differences(pg_url)] == ["remove_column"]


@pytest.mark.parametrize("revision", REVISIONS)
def test_each_revision_upgrades_to_head_with_the_data_intact(cli, pg_url, revision):
    assert cli("build", "--seeds", SEEDS, "--db", pg_url).exit_code == 0
    built = counts(pg_url)
    assert built["statements"] > 0
    result = cli("db", "downgrade", revision, "--db", pg_url)
    assert result.exit_code == 0, result.output
    assert revision_of(pg_url) == revision
    assert cli("db", "current", "--db", pg_url).stdout.strip() == revision
    kept = counts(pg_url)
    assert kept == {t: built[t] for t in kept}
    assert cli("db", "upgrade", "--db", pg_url).exit_code == 0
    assert revision_of(pg_url) == REVISIONS[-1]
    assert counts(pg_url) == built
    assert differences(pg_url) == []
    assert cli("query", "said", "Lavrov", "--db", pg_url).exit_code == 0


def test_down_to_base_step_by_step_and_back_up(cli, pg_url):
    assert cli("build", "--seeds", SEEDS, "--db", pg_url).exit_code == 0
    for expected in reversed([None, *REVISIONS[:-1]]):
        assert cli("db", "downgrade", "-1", "--db", pg_url).exit_code == 0
        assert revision_of(pg_url) == expected
    assert cli("db", "current", "--db", pg_url).stdout.strip() == "base (no revision)"
    refused = cli("query", "timeline", "--db", pg_url)
    assert refused.exit_code == 1 and "factdb db upgrade" in refused.stderr
    for expected in REVISIONS:
        assert cli("db", "upgrade", "+1", "--db", pg_url).exit_code == 0
        assert revision_of(pg_url) == expected
    assert differences(pg_url) == []
    history = cli("db", "history", "--db", pg_url).stdout
    assert f"-> {REVISIONS[-1]} (head, current)" in history
    bad = cli("db", "downgrade", "0099", "--db", pg_url)
    assert bad.exit_code == 1 and "factdb db history" in bad.stderr
