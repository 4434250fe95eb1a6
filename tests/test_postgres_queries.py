"""Every canned query returns the same rows on PostgreSQL as on SQLite (the registry's SQL,
translated by factdb.query.dialect), for the query fixtures and for the real seeds."""

from __future__ import annotations

import json
import sqlite3

import pytest

from factdb.query.dialect import translate
from factdb.query.registry import QUERIES
from tests.test_queries import queries_db  # noqa: F401  (the SQLite twin of pg_queries_url)

FIXTURE_ARGS = [
    ("timeline",), ("timeline", "--actor", "Lavrov"), ("timeline", "--from", "2022-02"),
    ("timeline", "--actor", "Lavrov", "--from", "2022-02", "--to", "2022-03"),
    ("timeline", "--to", "2022-01"), ("timeline", "--limit", "2"), ("said", "Lavrov"),
    ("said", "lavrov", "--limit", "1"),
    ("said", "Pekka Haavisto"), ("sources", "geneva"), ("sources", "lavrov-sends-letter"),
    ("conflicts",), ("corroborations",), ("corroborations", "--limit", "1"),
    ("actor", "Lavrov"), ("actor", "Haavisto"), ("document", "tass-lavrov-letter"),
    ("document", "reuters-geneva-talks"), ("document", "yle-letter-received"),
    ("search", "letter"), ("search", '"indivisible security"'), ("search", "secur*"),
    ("search", "Lavrov letter", "--limit", "2"), ("date-conflicts",),
]
SEEDS_ARGS = [("timeline",), ("said", "Lavrov"), ("conflicts",), ("corroborations",),
              ("actor", "Lavrov"), ("actor", "Pekka Haavisto"), ("search", "security"),
              ("search", '"indivisible security"'), ("document", "fi-lavrov-message-finland"),
              # stemming, another spelling of a name, a folded letter
              ("search", "guarantee"), ("search", "Sergei Lavrov"),
              ("search", "Tromso"),
              # words cut at curly quotes and apostrophes (Lavrov’s), no stop words, and
              # Porter's stems, not Porter2's (certainly: certainli, not certain)
              ("search", "letter OR response"), ("search", "Lavrov -Putin"),
              ("search", "those"), ("search", "certainly")]
# Questions both engines must refuse with the same words.
REFUSED = [("said", "Nobody Atall"), ("sources", "no-such-event"), ("document", "nope"),
           ("timeline", "--from", "2022-13"), ("search", '"" -'), ("said", "x", "--limit", "0")]


def answer(cli, db, args) -> list[dict]:
    result = cli("query", *args, "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def same(name: str, sqlite_rows: list[dict], pg_rows: list[dict]) -> None:
    if name == "search":  # the same hits in the same kinds; scores and snippets differ
        assert sorted((r["kind"], r["id"]) for r in pg_rows) == \
            sorted((r["kind"], r["id"]) for r in sqlite_rows)
        assert all("[" in r["snippet"] for r in pg_rows)
    else:
        assert pg_rows == sqlite_rows


@pytest.mark.parametrize("args", FIXTURE_ARGS, ids=" ".join)
def test_fixture_queries_answer_alike(cli, queries_db, pg_queries_url, args):  # noqa: F811
    rows = answer(cli, queries_db, args)
    assert rows or args[0] in ("timeline", "date-conflicts")  # the comparison means something
    if args[0] == "search" and "--limit" in args:  # the best N: ranked differently
        every = {(r["kind"], r["id"]) for r in answer(cli, queries_db, args[:2])}
        best = answer(cli, pg_queries_url, args)
        assert len(best) == len(rows) and {(r["kind"], r["id"]) for r in best} <= every
        return
    same(args[0], rows, answer(cli, pg_queries_url, args))


@pytest.mark.parametrize("args", SEEDS_ARGS, ids=" ".join)
def test_seed_queries_answer_alike(cli, seeds_db, pg_seeds_url, args):
    same(args[0], answer(cli, seeds_db, args), answer(cli, pg_seeds_url, args))


@pytest.mark.parametrize("args", REFUSED, ids=" ".join)
def test_both_engines_refuse_alike(cli, queries_db, pg_queries_url, args):  # noqa: F811
    on_sqlite = cli("query", *args, "--db", queries_db)
    on_pg = cli("query", *args, "--db", pg_queries_url)
    assert on_sqlite.exit_code == on_pg.exit_code == 1
    assert on_pg.stderr == on_sqlite.stderr


def test_every_canned_query_translates_and_is_covered():
    for query in QUERIES.values():
        sql = translate(query.sql, query.name).sql
        assert "INDEXED BY" not in sql and ":" + query.params[0].name not in sql \
            if query.params else True
    assert {a[0] for a in FIXTURE_ARGS} == set(QUERIES)


def test_sql_reads_the_same_tables(cli, queries_db, pg_queries_url):  # noqa: F811
    sql = "SELECT id, published_on FROM documents ORDER BY id"
    assert answer(cli, pg_queries_url, ("sql", sql)) == answer(cli, queries_db, ("sql", sql))
    count = sqlite3.connect(queries_db).execute("SELECT count(*) FROM evidence").fetchone()[0]
    assert answer(cli, pg_queries_url, ("sql", "SELECT count(*) AS n FROM evidence")) == \
        [{"n": count}]


def test_each_query_is_planned_in_its_own_mode(pg_queries_url):
    """PLAN_MODES names real queries; a connection sets a query's mode and goes back to the
    server's default for the next query."""
    from factdb.query import run as querying
    from factdb.query.dialect import PLAN_MODES

    assert set(PLAN_MODES) <= set(QUERIES) | {"resolve_actor", "resolve_event"}
    conn = querying.connect(pg_queries_url)
    try:
        for name, params, mode in (("sources", {"event": "lavrov-sends-letter"},
                                    "force_generic_plan"), ("timeline", {}, "auto"),
                                   ("search", {"text": "letter"}, "force_custom_plan")):
            assert querying.run(conn, name, params).rows
            assert conn.raw.execute("SHOW plan_cache_mode").fetchone()[0] == mode
    finally:
        conn.close()


def test_random_page_cost_is_lowered_only_from_the_stock_value(pg_queries_url):
    import psycopg

    from factdb.query import run as querying

    def cost() -> str:
        conn = querying.connect(pg_queries_url)
        try:
            return conn.raw.execute("SHOW random_page_cost").fetchone()[0]
        finally:
            conn.close()

    assert cost() == "1.1"
    name = pg_queries_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_queries_url, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {name} SET random_page_cost = 2")
        try:
            assert cost() == "2"
        finally:
            admin.execute(f"ALTER DATABASE {name} RESET random_page_cost")


def test_comments_are_kept_as_they_are_when_translating():
    """An apostrophe in a comment opens no string (it took the rest of the SQL for one), and
    a comment's words are not rewritten or read as parameters."""
    sql = ("SELECT id -- the event's id, not :its rowid\nFROM events /* isn't :x */ "
           "WHERE id = :event AND instr(description, 'it''s') > 0")
    out = translate(sql).sql
    assert "-- the event's id, not :its rowid\n" in out and "/* isn't :x */" in out
    assert "id = %(event)s" in out and "strpos(description, 'it''s')" in out
