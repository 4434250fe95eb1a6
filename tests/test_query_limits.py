"""`--limit` on the canned queries that can answer many rows: the first N rows of the full
answer, in the same order; search shows the best 50 unless told otherwise."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import urllib.parse

import pytest

from factdb.query.registry import QUERIES, SEARCH_LIMIT
from factdb.web.config import configuration


def rows(cli, db, *args: str) -> list[dict]:
    result = cli("query", *args, "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# Required arguments that give several rows on the seeds, for each query taking a limit.
# (conflicts with --all: one conflict of the seeds has a deprecated side)
ARGUMENTS = {"timeline": (), "said": ("Lavrov",), "search": ("letter",), "conflicts": ("--all",),
             "corroborations": (), "date-conflicts": ()}


@pytest.fixture(scope="module")
def conflicting_db(seeds_db, tmp_path_factory):
    """The seeds' database with every event source dated a different year, so that the
    sources of one event disagree (the seeds agree: date-conflicts has no rows there)."""
    path = tmp_path_factory.mktemp("conflicts") / "factdb.db"
    shutil.copyfile(seeds_db, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE event_sources SET date = 1900 + id, date_precision = 'year', "
                 "date_basis = 'stated', date_earliest = (1900 + id) || '-01-01', "
                 "date_latest = (1900 + id) || '-12-31'")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("name", [q.name for q in QUERIES.values()
                                  if any(p.name == "limit" for p in q.params)])
def test_limit_gives_the_first_rows_of_the_whole_answer(cli, seeds_db, conflicting_db, name):
    args = (name, *ARGUMENTS[name])  # a KeyError: give the new query arguments above
    if name == "date-conflicts":
        seeds_db = conflicting_db
    whole = rows(cli, seeds_db, *args, "--limit", "100000")
    assert len(whole) > 2
    for n in range(1, len(whole) + 1):
        assert rows(cli, seeds_db, *args, "--limit", str(n)) == whole[:n], n


def test_without_a_limit_said_and_relations_give_every_row(cli, seeds_db):
    for args in (("said", "Lavrov"), ("conflicts",), ("corroborations",)):
        assert rows(cli, seeds_db, *args) == rows(cli, seeds_db, *args, "--limit", "1000")


def test_search_shows_the_best_50_by_default(cli, seeds_db):
    whole = rows(cli, seeds_db, "search", "the", "--limit", "1000")
    assert len(whole) > SEARCH_LIMIT == 50
    assert rows(cli, seeds_db, "search", "the") == whole[:SEARCH_LIMIT]


@pytest.mark.parametrize("value", ["0", "-3", "ten", "1.5"])
def test_a_limit_that_is_not_a_number_of_rows_says_so(cli, seeds_db, value):
    result = cli("query", "conflicts", "--limit", value, "--db", seeds_db)
    assert result.exit_code == 1
    assert result.stderr == (f"error: --limit: {value!r} is not a number of rows (a whole "
                             "number, at least 1)\n")


def test_datasette_takes_the_limit_as_a_parameter(cli, seeds_db):
    from datasette.app import Datasette

    async def get(params: dict[str, str]):
        ds = Datasette(immutables=[str(seeds_db)], metadata=configuration(seeds_db)["-m"])
        await ds.invoke_startup()
        query = urllib.parse.urlencode({**params, "_shape": "array"})
        return (await ds.client.get(f"/factdb/said.json?{query}")).json()

    assert asyncio.run(get({"name": "Lavrov", "limit": "2"})) == rows(
        cli, seeds_db, "said", "Lavrov", "--limit", "2")
    assert asyncio.run(get({"name": "Lavrov"})) == rows(cli, seeds_db, "said", "Lavrov")
