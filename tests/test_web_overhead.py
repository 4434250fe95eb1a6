"""What Datasette would work out again on every page, asked once (``factdb.web.overhead``):
the schema's answers per version of the file, whole-table counts already made, the
permission to see each table. The answers must be Datasette's own; only how often it asks
changes (timed by `python -m bench --web-only`, never here)."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from datasette.app import Datasette
from datasette.database import Database

from factdb.web import overhead
from factdb.web.config import configuration
from factdb.web.reload import ReloadingDatabase
from tests.conftest import FIXTURES
from tests.test_web_pages import Site

DB = "factdb"


@pytest.fixture(scope="module")
def site(seeds_db):
    s = Site(seeds_db)
    yield s
    s.loop.close()


def hops(site: Site, path: str) -> int:
    """How many times a view of ``path`` sends work to a query thread (the second view)."""
    db = site.ds.get_database(DB)
    assert isinstance(db, ReloadingDatabase)
    calls = []
    plain = db.execute_fn

    async def counted(fn):
        calls.append(fn)
        return await plain(fn)

    site.page(path)
    db.execute_fn = counted
    try:
        site.page(path)
    finally:
        del db.execute_fn
    return len(calls)


def test_the_home_and_database_pages_ask_the_schema_once(site):
    # Datasette 0.65 asks about 170 questions for each view of either page.
    assert hops(site, "/") <= 5
    assert hops(site, f"/{DB}") <= 5


def test_the_schema_answers_are_datasettes_own(site, seeds_db):
    ours = site.ds.get_database(DB)
    plain = Database(site.ds, path=str(seeds_db), is_mutable=False)
    plain.name = DB  # the metadata of the same name (ours keeps its own connections)

    def both(method: str, *args):
        run = site.loop.run_until_complete
        return run(getattr(ours, method)(*args)), run(getattr(Database, method)(plain, *args))

    names, expected = both("table_names")
    assert names == expected and "statements" in names
    for name in [*names, *both("view_names")[0]]:
        for method in ("table_columns", "table_column_details", "primary_keys", "fts_table",
                       "foreign_keys_for_table", "get_table_definition", "table_exists"):
            got, expected = both(method, name)
            assert got == expected, (method, name)
    for method in ("hidden_table_names", "get_all_foreign_keys", "attached_databases"):
        got, expected = both(method)
        assert got == expected, method
    definition = site.loop.run_until_complete(ours.get_table_definition("statement_details",
                                                                        type_="view"))
    assert definition == both("get_view_definition", "statement_details")[0]
    columns = site.loop.run_until_complete(ours.table_columns("statements"))
    columns.clear()  # a caller changing its answer changes no later answer
    assert site.loop.run_until_complete(ours.table_columns("statements")) == both(
        "table_columns", "statements")[1]


def count(site: Site, path: str) -> int:
    page, _, query = path.partition("?")
    return site.get(f"{page}.json?{query}").json()["filtered_table_rows_count"]


def test_a_table_page_counts_what_sqlite_counts(site, seeds_db):
    conn = sqlite3.connect(seeds_db)
    site.page("/")  # Datasette counts every table of the file: kept for the table pages
    for table in ("statements", "documents", "actors"):
        (n,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert count(site, f"/{DB}/{table}") == n
    (direct,) = conn.execute(
        "SELECT count(*) FROM statements WHERE speech = 'direct'").fetchone()
    assert count(site, f"/{DB}/statements?speech=direct") == direct  # a filter: counted


def test_the_table_count_follows_a_rebuild(tmp_path, cli):
    db = tmp_path / "factdb.db"
    assert cli("build", "--seeds", FIXTURES / "bad" / "_valid", "--db", db).exit_code == 0
    site = Site(db)
    counts = []
    for seeds in (None, FIXTURES / "queries" / "seeds"):
        if seeds:
            assert cli("build", "--seeds", seeds, "--db", db).exit_code == 0
        with sqlite3.connect(db) as conn:
            counts.append(conn.execute("SELECT count(*) FROM statements").fetchone()[0])
        site.page("/")
        assert count(site, f"/{DB}/statements") == counts[-1]
    assert counts[0] != counts[1]
    site.loop.close()


def test_every_version_of_the_file_has_its_tables_counted_in_full(tmp_path, cli):
    db = tmp_path / "factdb.db"
    assert cli("build", "--seeds", FIXTURES / "queries" / "seeds", "--db", db).exit_code == 0
    site = Site(db)
    site.page("/")  # the first version: counted in full as Datasette starts
    assert cli("build", "--seeds", FIXTURES / "bad" / "_valid", "--db", db).exit_code == 0
    plain = Database(site.ds, path=str(db), is_mutable=False)
    plain.name = DB
    cut_off = site.loop.run_until_complete(plain.table_counts(0.001))  # in ms
    assert None in cut_off.values()  # the home page's limit would leave tables uncounted
    ours = site.ds.get_database(DB)
    counts = site.loop.run_until_complete(ours.table_counts(0.001))
    with sqlite3.connect(db) as conn:
        assert counts == {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                          for t in cut_off}
    site.loop.close()


def test_a_table_only_root_may_see_stays_hidden_from_others(seeds_db):
    metadata = configuration(seeds_db)["-m"]
    metadata["databases"][DB]["tables"]["actors"]["allow"] = {"id": "root"}
    loop = asyncio.new_event_loop()
    ds = Datasette(immutables=[str(seeds_db)], metadata=metadata)
    loop.run_until_complete(ds.invoke_startup())
    root = {"ds_actor": ds.sign({"a": {"id": "root"}}, "actor")}

    def status(path: str, **kwargs) -> int:
        return loop.run_until_complete(ds.client.get(path, **kwargs)).status_code

    for _ in range(2):  # the second time from what was kept
        assert status(f"/{DB}/actors") == 403
        assert status(f"/{DB}/actors", cookies=root) == 200
        assert status(f"/{DB}/statements") == 200
        assert "actors" not in loop.run_until_complete(ds.client.get(f"/{DB}.json")).json()[
            "tables"][0]["name"]
    del ds._metadata_local["databases"][DB]["tables"]["actors"]["allow"]
    ds._metadata_local = dict(ds._metadata_local)  # new metadata: worked out again
    assert status(f"/{DB}/actors") == 200
    loop.close()


def test_permissions_are_left_to_datasette_when_a_plugin_supplies_metadata(seeds_db):
    from types import ModuleType

    from datasette import hookimpl
    from datasette.plugins import pm

    changing = ModuleType("changing_metadata")
    changing.get_metadata = hookimpl(lambda datasette, key, database, table: {})
    pm.register(changing, name="changing-metadata")
    try:
        ds = Datasette(immutables=[str(seeds_db)], metadata=configuration(seeds_db)["-m"])
        plain = ds._table_permission_allows
        overhead.remember_table_permissions(ds)
        assert ds._table_permission_allows == plain
    finally:
        pm.unregister(name="changing-metadata")
