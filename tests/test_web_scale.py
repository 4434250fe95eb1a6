"""What keeps the site fast on a big database (``factdb.web.scale``): no facet or unindexed
sort that reads a big table on every view, the home page worked out once per build, canned
query pages of 100 rows unless the form names a limit. Timed by `python -m bench --web-only`,
never here; these tests check the behaviour, on the seeds and with the thresholds lowered.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3

import pytest

from factdb.web import facts, scale
from factdb.web.config import configuration
from factdb.web.serve import serve_args
from tests.conftest import FIXTURES
from tests.test_web_pages import Site

DB = "factdb"


def tables(db) -> dict:
    return configuration(db)["-m"]["databases"][DB]["tables"]


def test_small_tables_keep_their_facets_and_sorts(seeds_db):
    got = tables(seeds_db)
    assert got["statements"]["facets"] == ["speaker_id", "document_id", "speech"]
    assert got["relation_details"]["facets"] == ["kind", "independent"]
    assert got["documents"]["sort_desc"] == "published_on_earliest"


def test_big_tables_lose_default_facets_and_the_unindexed_sort(seeds_db, monkeypatch):
    conn = sqlite3.connect(seeds_db)
    statements = conn.execute("SELECT count(*) FROM statements").fetchone()[0]
    relations = conn.execute("SELECT count(*) FROM relations").fetchone()[0]
    monkeypatch.setattr(scale, "SCAN_ROWS", statements - 1)  # statements are "big"
    monkeypatch.setattr(scale, "VIEW_SCAN_ROWS", relations - 1)  # so are views over relations
    got = tables(seeds_db)
    assert "facets" not in got["statements"]
    assert "facets" not in got["relation_details"]
    assert got["statements"]["sort"] == "said_on_earliest"  # indexed: kept
    small = conn.execute("SELECT count(*) FROM actors").fetchone()[0] <= statements - 1
    assert ("facets" in got["actors"]) == small
    documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert ("sort_desc" in got["documents"]) == (documents <= statements - 1)


def test_serve_turns_suggested_facets_off(seeds_db, tmp_path):
    args = serve_args(seeds_db, [("-m", tmp_path / "m.json")], "127.0.0.1", 8001)
    assert args[-3:] == ["--setting", "suggest_facets", "off"]


def test_the_first_documents_by_date_are_those_of_a_plain_sort(seeds_db):
    conn = sqlite3.connect(seeds_db)
    plain = [r[0] for r in conn.execute(
        "SELECT id FROM documents ORDER BY published_on_earliest, id LIMIT 3")]
    assert [d["id"] for d in facts.corpus(conn, shown=3)["documents"]] == plain
    assert [c[0] for c in facts.choices(conn, "document", limit=3)] == plain


@pytest.fixture(scope="module")
def site(seeds_db):
    s = Site(seeds_db)
    yield s
    s.loop.close()


@pytest.mark.parametrize(("path", "query", "expected"), [
    ("/factdb/conflicts", b"", b"limit=100"),
    ("/factdb/said", b"name=Lavrov", b"name=Lavrov&limit=100"),
    ("/factdb/said", b"name=Lavrov&limit=", b"name=Lavrov&limit="),  # emptied: all rows
    ("/factdb/said", b"limit=5", b"limit=5"),
    ("/factdb/conflicts.json", b"", b""),  # JSON and CSV: as asked
    ("/factdb/sources", b"event=x", b"event=x"),  # no limit parameter
    ("/factdb/statements", b"", b""),  # a table page
    ("/other/conflicts", b"", b""),  # not a database served
])
def test_a_canned_query_page_shows_a_page_of_rows_unless_its_form_names_a_limit(
        site, path, query, expected):
    scope = {"type": "http", "method": "GET", "path": path, "query_string": query}
    assert adjusted(site, scope)["query_string"] == expected


def adjusted(site: Site, scope: dict) -> dict:
    return site.loop.run_until_complete(scale.adjust(scope, site.ds))


def test_a_view_over_many_rows_is_counted_once_not_on_every_view(site, seeds_db, monkeypatch):
    def count(path: str) -> int | None:
        return site.get(path).json()["filtered_table_rows_count"]

    def counted_in_the_background() -> None:
        async def counted():
            await asyncio.gather(*scale._COUNTING.values())

        site.loop.run_until_complete(counted())

    conn = sqlite3.connect(seeds_db)
    rows = {view: conn.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
            for view in ("statement_details", "evidence")}
    assert count(f"/{DB}/statement_details.json") == rows["statement_details"]  # small
    assert count(f"/{DB}/evidence.json") == rows["evidence"]
    monkeypatch.setattr(scale, "_BIG_VIEWS", {})
    monkeypatch.setattr(scale, "VIEW_SCAN_ROWS", 0)
    monkeypatch.setattr(scale, "_COUNTING", {})
    db = site.ds.get_database(DB)
    monkeypatch.setitem(db.version_cache(), "view_counts", {})  # none counted yet
    page = site.page(f"/{DB}/statement_details")
    shown = f"{rows['statement_details']:,} rows"  # as Datasette writes a count
    assert "_nocount=1" in page and shown not in page
    assert count(f"/{DB}/statement_details.json?_nocount=") > 0  # asked for: counted
    assert count(f"/{DB}/evidence.json") is None  # a view of several tables' rows: its own
    assert count(f"/{DB}/statements.json") > 0  # a table: counted (cheaply)
    counted_in_the_background()
    assert count(f"/{DB}/statement_details.json") == rows["statement_details"]
    assert count(f"/{DB}/evidence.json") == rows["evidence"]
    page = site.page(f"/{DB}/statement_details")
    assert "_nocount=1" not in page and shown in page
    assert count(f"/{DB}/statement_details.json?speech=direct") is None  # filtered: not known
    assert "_nocount=1" in site.page(f"/{DB}/statement_details?speech=direct")  # in links too


def test_the_page_limit_caps_the_rows_shown_and_says_so(site, monkeypatch):
    all_rows = site.get(f"/{DB}/conflicts.json?_shape=array&all=1").json()
    assert len(all_rows) >= 2
    monkeypatch.setattr(scale, "PAGE_LIMIT", 1)
    page = site.page(f"/{DB}/conflicts?all=1")
    assert 'name="limit" value="1"' in page
    assert "At most 1 rows here (the limit below)" in page
    assert len(re.findall(r"<tr>\s*<td", page)) == 1
    everything = site.page(f"/{DB}/conflicts?all=1&limit=")
    assert len(re.findall(r"<tr>\s*<td", everything)) == len(all_rows)
    assert "factdb-form-limit" not in everything


def test_the_home_page_follows_a_rebuild(tmp_path, cli):
    db = tmp_path / "factdb.db"
    counts = []
    assert cli("build", "--seeds", FIXTURES / "bad" / "_valid", "--db", db).exit_code == 0
    site = Site(db)
    for seeds in (None, FIXTURES / "queries" / "seeds"):
        if seeds:
            assert cli("build", "--seeds", seeds, "--db", db).exit_code == 0
        with sqlite3.connect(db) as conn:
            counts.append(conn.execute("SELECT count(*) FROM statements").fetchone()[0])
        page = site.page("/")
        assert f"{counts[-1]} statements," in page
        assert site.page("/") == page  # the same page from what was worked out once
    assert counts[0] != counts[1]
    site.loop.close()
