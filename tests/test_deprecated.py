"""Deprecated facts (a curator believes the article got them wrong) stay in the database and
are left out of every canned query unless asked for with --all: on SQLite and PostgreSQL,
through Typer and the fast path, and in Datasette; explain and the web pages show them with
their reason.

fixtures/queries/seeds holds one deprecated statement (lavrov-talks-in-january), one
deprecated event (geneva-talks-in-january, whose source's date conflicts with the event's)
and a contradiction between the deprecated statement and a normal event.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factdb.cli import fast
from factdb.cli.commands import app
from factdb.errors import FactdbError
from factdb.query import run as querying
from factdb.query.registry import QUERIES
from factdb.web.config import configuration
from tests.test_queries import queries_db  # noqa: F401  (the fixture corpus, built once)

STATEMENT, EVENT = "lavrov-talks-in-january", "geneva-talks-in-january"
RELATION = "talks-january-or-february"
# (arguments after `factdb query`, the column holding ids, the deprecated id it hides)
CASES = [
    (["timeline"], "event_id", EVENT),
    (["timeline", "--from", "2022-02"], "event_id", EVENT),
    (["said", "Lavrov"], "statement_id", STATEMENT),
    (["said", "Lavrov", "--limit", "9"], "statement_id", STATEMENT),
    (["search", "talks"], "id", STATEMENT),
    (["search", "Geneva January"], "id", EVENT),
    (["conflicts"], "relation_id", RELATION),
    (["date-conflicts"], "event_id", EVENT),
    (["document", "reuters-geneva-talks"], "id", STATEMENT),
    (["document", "reuters-geneva-talks"], "id", EVENT),
]
IDS = [" ".join(args) + f" ({hidden})" for args, _, hidden in CASES]


def typer_json(db, args: list[str]) -> list[dict]:
    result = CliRunner().invoke(app, ["query", *args, "--db", str(db), "-f", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def fast_json(db, args: list[str]) -> list[dict]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert fast.run([*args, "--db", str(db), "-f", "json"]) == 0
    return json.loads(out.getvalue())


@pytest.mark.parametrize(("args", "column", "hidden"), CASES, ids=IDS)
def test_hidden_by_default_shown_with_all_on_sqlite(queries_db, args, column, hidden):  # noqa: F811
    for answer in (typer_json, fast_json):
        assert hidden not in [r[column] for r in answer(queries_db, args)]
        every = answer(queries_db, [*args, "--all"])
        assert hidden in [r[column] for r in every]
    assert fast_json(queries_db, [*args, "--all"]) == typer_json(queries_db, [*args, "--all"])


@pytest.mark.parametrize(("args", "column", "hidden"), CASES, ids=IDS)
def test_hidden_by_default_shown_with_all_on_postgresql(queries_db, pg_queries_url,  # noqa: F811
                                                        args, column, hidden):
    for flags in ([], ["--all"]):
        pg = typer_json(pg_queries_url, [*args, *flags])
        assert (hidden in [r[column] for r in pg]) == bool(flags)
        if args[0] != "search":  # (scores and snippets differ between the engines)
            assert pg == typer_json(queries_db, [*args, *flags])


def test_the_actor_profile_counts_deprecated_statements_only_with_all(queries_db):  # noqa: F811
    def statements(flags: list[str]) -> int:
        rows = typer_json(queries_db, ["actor", "Lavrov", *flags])
        return next(r["value"] for r in rows if r["section"] == "statements")

    assert statements(["--all"]) == statements([]) + 1


def test_sources_of_a_deprecated_event_say_why_and_how_to_see_them(cli, queries_db,  # noqa: F811
                                                                  pg_queries_url):
    for db in (queries_db, pg_queries_url):
        refused = cli("query", "sources", EVENT, "--db", db)
        assert refused.exit_code == 1
        assert refused.stderr == (
            f"error: event '{EVENT}' is deprecated (the same report says the diplomats met "
            "in February (geneva-talks)); add --all to list its sources\n")
        rows = typer_json(db, ["sources", EVENT, "--all"])
        assert [r["event_id"] for r in rows] == [EVENT]


def test_words_that_also_match_a_deprecated_event_mean_the_other_one(queries_db):  # noqa: F811
    assert {r["event_id"] for r in typer_json(queries_db, ["sources", "geneva"])} == \
        {"geneva-talks"}
    with pytest.raises(FactdbError, match="'geneva' matches 2 events"):
        conn = querying.connect(queries_db)
        try:
            querying.run(conn, "sources", {"event": "geneva", "all": "yes"})
        finally:
            conn.close()


@pytest.mark.parametrize("value", ["1", "yes", "TRUE", "on"])
def test_the_library_takes_a_yes_for_all(queries_db, value):  # noqa: F811
    conn = querying.connect(queries_db)
    try:
        rows = querying.run(conn, "said", {"name": "Lavrov", "all": value}).rows
        assert STATEMENT in [r[0] for r in rows]
        rows = querying.run(conn, "said", {"name": "Lavrov", "all": "no"}).rows
        assert STATEMENT not in [r[0] for r in rows]
        with pytest.raises(FactdbError) as caught:
            querying.run(conn, "said", {"name": "Lavrov", "all": "maybe"})
        assert str(caught.value) == ("--all: 'maybe' is neither a yes (1, yes, true, on) nor "
                                     "a no (0, no, false, off)")
    finally:
        conn.close()


def test_every_query_that_lists_facts_takes_all():
    for query in QUERIES.values():
        assert [p.option for p in query.params if p.check == "flag"] == ["--all"], query.name


# --- Datasette ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(queries_db):  # noqa: F811
    from datasette.app import Datasette

    loop = asyncio.new_event_loop()
    ds = Datasette(immutables=[str(queries_db)], metadata=configuration(queries_db)["-m"])
    loop.run_until_complete(ds.invoke_startup())
    yield lambda path: loop.run_until_complete(ds.client.get(path))
    loop.close()


@pytest.mark.parametrize(("query", "params", "column", "hidden"), [
    ("said", "name=Lavrov", "statement_id", STATEMENT),
    ("timeline", "", "event_id", EVENT),
    ("conflicts", "", "relation_id", RELATION),
    ("date-conflicts", "", "event_id", EVENT),
])
def test_datasette_hides_them_unless_the_box_is_ticked(site, query, params, column, hidden):
    def ids(extra: str) -> list[str]:
        response = site(f"/factdb/{query}.json?_shape=array&{params}{extra}")
        assert response.status_code == 200, response.text
        return [r[column] for r in response.json()]

    assert hidden not in ids("")
    assert hidden not in ids("&all=")  # an unticked box, as Datasette sends it
    assert hidden in ids("&all=1")


def test_the_form_makes_all_a_box_with_its_meaning(site):
    page = site("/factdb/said?name=Lavrov").text
    assert "var flags = [&#34;all&#34;]" in page or 'var flags = ["all"]' in page
    assert "<strong>all</strong> (optional): Also list deprecated facts" in page
    message = site("/factdb/said?name=Lavrov&all=maybe").text
    assert "--all: &#39;maybe&#39; is neither a yes" in message


def test_the_fact_pages_show_the_status_and_its_reason(site):
    for kind, fact in (("statement", STATEMENT), ("event", EVENT)):
        page = html.unescape(site(f"/-/factdb/factdb/{kind}/{fact}").text)
        assert "Review status" in page and "deprecated" in page
        assert "the same report says the diplomats met in February" in page
    assert "Review status" not in site("/-/factdb/factdb/event/geneva-talks").text


def test_the_conflicts_page_marks_a_deprecated_side_with_its_reason(site):
    page = html.unescape(site("/-/factdb/factdb/conflicts").text)
    pair = page[page.index(f'id="{RELATION}"'):]
    assert "Deprecated: the same report says the diplomats met in February" in pair
    assert page.count("Deprecated:") == 1


def test_a_fact_page_marks_a_deprecated_fact_it_is_related_to(site):
    page = html.unescape(site("/-/factdb/factdb/event/geneva-talks").text)
    related = page[page.index("What corroborates or contradicts it"):]
    assert STATEMENT in related
    assert "deprecated: the same report says the diplomats met in February" in related
    # and the deprecated statement's own page does not call its normal other side deprecated
    page = html.unescape(site(f"/-/factdb/factdb/statement/{STATEMENT}").text)
    related = page[page.index("What corroborates or contradicts it"):]
    assert "geneva-talks" in related and "deprecated:" not in related


def test_explain_shows_the_status_and_its_reason(cli):
    from tests.conftest import FIXTURES

    seeds = Path(FIXTURES / "queries" / "seeds")
    for fact in (STATEMENT, EVENT):
        result = cli("explain", fact, "--seeds", seeds)
        assert result.exit_code == 0, result.output
        assert "deprecated: the same report says the diplomats met in February" in \
            " ".join(result.stdout.split())


def test_check_does_not_warn_of_a_deprecated_events_date_conflict(cli, tmp_path):
    import shutil

    from tests.conftest import FIXTURES

    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "queries" / "seeds", seeds)
    result = cli("check", "--seeds", seeds)
    assert result.exit_code == 0, result.output
    assert EVENT not in result.output
    # the same event, no longer deprecated, has a conflict to warn of
    events = seeds / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "    status: deprecated\n", "", 1).replace(
        "    status_reason: the same report says the diplomats met in February (geneva-talks)\n",
        "", 1), encoding="utf-8")
    result = cli("check", "--seeds", seeds)
    assert result.exit_code == 0, result.output
    assert f"warning: event {EVENT}: its date" in result.output
