"""The canned queries' SQL, against a small database built from fixtures/queries/seeds."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from factdb.errors import FactdbError
from factdb.query import run as querying
from factdb.query import sqlfunctions
from factdb.query.registry import QUERIES
from factdb.store.build import build
from factdb.store.db import SCHEMA_HEAD
from tests.conftest import FIXTURES

SEEDS = FIXTURES / "queries" / "seeds"


@pytest.fixture(scope="session")
def queries_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("queries") / "factdb.db"
    build(SEEDS, path)
    return path


@pytest.fixture
def conn(queries_db: Path):
    conn = querying.connect(queries_db)
    yield conn
    conn.close()


def ask(conn: sqlite3.Connection, name: str, /, **values: str) -> list[dict]:
    result = querying.run(conn, name, values)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def column(rows: list[dict], name: str) -> list:
    return [row[name] for row in rows]


def test_every_named_parameter_in_the_sql_is_a_declared_parameter():
    for query in QUERIES.values():
        sql = re.sub(r"'(?:''|[^'])*'", "", query.sql)  # as Datasette finds them
        assert set(re.findall(r":(\w+)", sql)) == {p.name for p in query.params}, query.name


def test_the_sql_runs_as_datasette_runs_it_with_empty_strings_for_missing_values(queries_db):
    plain = sqlite3.connect(f"file:{queries_db}?mode=ro", uri=True)
    sqlfunctions.register(plain)
    sql = QUERIES["timeline"].sql
    rows = plain.execute(sql, {"actor": "", "from": "", "to": "", "limit": "",
                                "all": ""}).fetchall()
    assert [r[0] for r in rows] == ["finland-receives-letter", "lavrov-sends-letter",
                                    "geneva-talks"]
    # a ticked box ("1") lists the deprecated event too
    rows = plain.execute(sql, {"actor": "", "from": "", "to": "", "limit": "",
                                "all": "1"}).fetchall()
    assert "geneva-talks-in-january" in [r[0] for r in rows]
    # the loose name is not resolved first there: it is matched by the SQL itself
    rows = plain.execute(sql, {"actor": "LAVROV", "from": "2022-02", "to": "", "limit": "",
                               "all": ""}).fetchall()
    assert [r[0] for r in rows] == ["geneva-talks"]


def test_timeline_sorts_by_earliest_day_and_shows_precision_basis_and_documents(conn):
    assert ask(conn, "timeline") == [
        {"event_id": "finland-receives-letter", "date": "2022", "precision": "year",
         "basis": "inferred", "documents": 1, "description": "Finland receives Lavrov's letter",
         "participants": "Pekka Haavisto"},
        {"event_id": "lavrov-sends-letter", "date": "2022-01-28", "precision": "day",
         "basis": "inferred", "documents": 2,
         "description": "Lavrov sends a letter on indivisible security to European ministers",
         "participants": "Sergey Lavrov"},
        {"event_id": "geneva-talks", "date": "2022-02", "precision": "month",
         "basis": "inferred", "documents": 1,
         "description": "Diplomats meet in Geneva to discuss European security",
         "participants": "Sergey Lavrov"},
    ]


@pytest.mark.parametrize(("options", "expected"), [
    ({"from": "2022-02"}, ["finland-receives-letter", "geneva-talks"]),
    ({"from": "2022-02-15", "to": "2022-02-15"}, ["finland-receives-letter", "geneva-talks"]),
    ({"to": "2022-01"}, ["finland-receives-letter", "lavrov-sends-letter"]),
    ({"to": "2022-01-27"}, ["finland-receives-letter"]),
    ({"from": "2023"}, []),
    ({"actor": "Sergei Lavrov"}, ["lavrov-sends-letter", "geneva-talks"]),
    ({"actor": "haavisto", "from": "2022"}, ["finland-receives-letter"]),
])
def test_timeline_filters_by_partial_dates_and_actor(conn, options, expected):
    assert column(ask(conn, "timeline", **options), "event_id") == expected


def test_said_lists_quotes_with_speech_date_relay_and_document(conn):
    rows = ask(conn, "said", name="lavrov")
    # The date says its precision and basis; an undated statement says so, and sorts last.
    assert [(r["date"], r["published"], r["translation"]) for r in rows] == [
        ("2022-01-28 (day, inferred from 'on Friday')", "2022-01-28 (day, stated)", ""),
        ("undated", rows[1]["published"], ""),
        ("undated", rows[2]["published"], "machine translation from fi")]
    assert rows[1]["published"].startswith("2022-02 (month, ")
    assert rows[2]["published"].startswith("2022-02-01 (day, ")
    assert [{k: v for k, v in r.items() if k not in ("date", "published", "translation")}
            for r in rows] == [
        {"statement_id": "lavrov-nobody-at-expense", "speaker": "Sergey Lavrov",
         "speech": "direct",
         "quote": "Nobody may strengthen their own security at the expense of the security "
                  "of others",
         "venue": None, "relayed_by": None,
         "document_id": "tass-lavrov-letter"},
        {"statement_id": "lavrov-answered-by-nobody", "speaker": "Sergey Lavrov",
         "speech": "reported", "quote": "the letter had been answered by nobody",
         "venue": None, "relayed_by": None,
         "document_id": "reuters-geneva-talks"},
        {"statement_id": "lavrov-nobody-relayed", "speaker": "Sergey Lavrov",
         "speech": "reported",
         "quote": "nobody may strengthen their security at the expense of others",
         "venue": None, "relayed_by": "TASS",
         "document_id": "yle-letter-received"},
    ]


@pytest.mark.parametrize("name", ["Sergey Lavrov", "sergei lavrov", "LAVROV", "sergey-lavrov",
                                  "  Sergei   Lavrov "])
def test_said_finds_the_same_rows_for_every_spelling(conn, name):
    assert column(ask(conn, "said", name=name), "statement_id") == [
        "lavrov-nobody-at-expense", "lavrov-answered-by-nobody", "lavrov-nobody-relayed"]


def test_said_ignores_diacritics(conn):
    assert column(ask(conn, "said", name="sauli niinisto"), "quote") == [
        "Finland decides its own security arrangements"]
    assert column(ask(conn, "said", name="Niinistö"), "quote") == [
        "Finland decides its own security arrangements"]


def test_a_name_that_means_several_actors_is_a_question(conn):
    with pytest.raises(FactdbError) as caught:
        ask(conn, "said", name="Virtanen")
    assert str(caught.value) == (
        "'Virtanen' matches 2 actors; say which, by id or full name:\n"
        "  anna-virtanen  (Anna Virtanen)\n"
        "  mikko-virtanen  (Mikko Virtanen)")
    assert column(ask(conn, "said", name="Mikko Virtanen"), "statement_id") == [
        "mikko-virtanen-old-demands"]


def test_an_unknown_name_suggests_a_close_one(conn):
    with pytest.raises(FactdbError, match=r"^no actor is called 'Lavrof' \(did you mean "
                                          r"'Lavrov'\?\); list them with: "):
        ask(conn, "said", name="Lavrof")


def test_sources_by_id_or_description_words(conn):
    expected = [
        {"event_id": "lavrov-sends-letter", "document_id": "tass-lavrov-letter",
         "published_on": "2022-01-28 (day, stated)",
         "words": "sent a letter on indivisible security to his European counterparts",
         "relayed_by": None, "document_title": "Lavrov sends letter on security",
         "translation": ""},
        {"event_id": "lavrov-sends-letter", "document_id": "yle-letter-received",
         "published_on": "2022-02-01 (day, stated)", "words": "According to TASS, Lavrov wrote",
         "relayed_by": "TASS", "document_title": "Finland received Lavrov's letter",
         "translation": "machine translation from fi"},
    ]
    assert ask(conn, "sources", event="lavrov-sends-letter") == expected
    assert ask(conn, "sources", event="letter INDIVISIBLE") == expected


def test_sources_words_matching_several_events_is_a_question(conn):
    with pytest.raises(FactdbError) as caught:
        ask(conn, "sources", event="letter")
    assert str(caught.value).splitlines() == [
        "'letter' matches 2 events; say which, by id:",
        "  finland-receives-letter  (Finland receives Lavrov's letter)",
        "  lavrov-sends-letter  (Lavrov sends a letter on indivisible security to European "
        "ministers)",
    ]


def test_conflicts_show_both_sides_and_the_note(conn):
    assert ask(conn, "conflicts") == [{
        "relation_id": "answered-or-not",
        "fact_id": "lavrov-answered-by-nobody", "fact_speaker_or_source": "Sergey Lavrov",
        "fact_document_id": "reuters-geneva-talks",
        "fact_words": "the letter had been answered by nobody",
        "fact_date": "undated", "fact_translation": "",
        "other_fact_id": "haavisto-finland-answered",
        "other_speaker_or_source": "Pekka Haavisto",
        "other_document_id": "reuters-geneva-talks",
        "other_words": "Finland had answered the letter",
        "other_date": "undated", "other_translation": "",
        "note": "Lavrov says nobody answered; Haavisto says Finland did",
    }]


def test_corroborations_say_whether_the_sides_are_independent(conn):
    rows = ask(conn, "corroborations")
    assert [(r["relation_id"], r["fact_speaker_or_source"], r["other_speaker_or_source"],
             r["independent"]) for r in rows] == [
        ("expense-quote-relayed", "Sergey Lavrov", "Sergey Lavrov via TASS",
         "no: both from TASS"),
        ("letter-sent-two-reports", "TASS", "TASS via Yle", "no: both from TASS"),
        ("received-and-answered", "Yle", "Pekka Haavisto", "yes"),
    ]
    assert rows[1]["fact_words"] == ("sent a letter on indivisible security to his European "
                                     "counterparts")
    assert rows[1]["other_words"] == "According to TASS, Lavrov wrote"


def test_search_ranks_documents_statements_and_events_with_highlights(conn):
    rows = ask(conn, "search", text="indivisible")
    assert [(r["kind"], r["id"], r["snippet"]) for r in rows if r["kind"] != "document"] == [
        ("event", "lavrov-sends-letter",
         "Lavrov sends a letter on [indivisible] security to European ministers")]
    assert [(r["kind"], r["id"]) for r in rows if r["kind"] == "document"] == [
        ("document", "tass-lavrov-letter")]
    relevance = column(rows, "relevance")
    assert relevance == sorted(relevance, reverse=True)


def test_search_phrase_in_double_quotes(conn):
    rows = ask(conn, "search", text='"own security"')
    assert [(r["kind"], r["id"]) for r in rows] == [
        ("statement", "niinisto-own-security"), ("statement", "lavrov-nobody-at-expense"),
        ("document", "tass-lavrov-letter"), ("document", "yle-letter-received")]
    assert rows[0]["snippet"] == "Finland decides its [own security] arrangements"
    assert rows[3]["snippet"] == ("…President Sauli Niinistö said Finland decides its "
                                  "[own security] arrangements. ")


@pytest.mark.parametrize("text", ['"own security', "own*", "security -others", "NEAR(own",
                                  "own AND OR NOT", "((own", "security)", "Niinistö", "'s"])
def test_search_takes_any_text(conn, text):
    ask(conn, "search", text=text)  # results or none, never an FTS5 syntax error


def _search_rowids(conn: sqlite3.Connection, sql: str, text: str, limit: str) -> list:
    """(kind, rowid, relevance) of each row of a search, read back from the ids."""
    tables = {"document": "documents", "statement": "statements", "event": "events"}
    return [(kind, conn.execute(f"SELECT rowid FROM {tables[kind]} WHERE id = ?",
                                (ident,)).fetchone()[0], relevance)
            for kind, ident, *_, relevance in conn.execute(sql, {"text": text, "limit": limit,
                                                                 "all": "1"})]  # every fact


@pytest.mark.parametrize(("ranked", "limit"), [(2, "1"), (2, "3"), (3, ""), (1000, "")])
def test_search_ranks_the_first_hits_of_each_kind_only_when_more_match(conn, ranked, limit):
    from factdb.query.registry import SEARCH, SEARCH_LIMIT, SEARCH_RANKED

    sql = SEARCH.replace(f"max(shown, {SEARCH_RANKED})", f"max(shown, {ranked})")
    assert sql != SEARCH or ranked == SEARCH_RANKED
    match = sqlfunctions.fts_query("security")
    shown = int(limit or SEARCH_LIMIT)
    hits = []  # bm25 of the first max(ranked, shown) hits of each kind, in rowid order
    for kind, table, weights in (("document", "documents_fts", ", 5.0, 1.0"),
                                 ("statement", "statements_fts", ""), ("event", "events_fts", "")):
        hits += [(score, kind, rowid) for rowid, score in conn.execute(
            f"SELECT rowid, bm25({table}{weights}) FROM {table} WHERE {table} MATCH ? "
            "ORDER BY rowid LIMIT ?", (match, max(ranked, shown)))]
    expected = [(kind, rowid, round(-score, 3)) for score, kind, rowid in sorted(hits)[:shown]]
    assert _search_rowids(conn, sql, "security", limit) == expected
    if ranked == SEARCH_RANKED:  # fewer hits than that: every hit ranked, the best shown
        assert len(hits) < SEARCH_RANKED and len(expected) > 3


def test_a_name_inside_the_search_text_is_found_as_a_name():
    assert json.loads(sqlfunctions.word_runs("Mr. Sergey  Lavrov's letter")) == [
        "mr", "mr sergey", "mr sergey lavrovs", "mr sergey lavrovs letter", "sergey",
        "sergey lavrovs", "sergey lavrovs letter", "lavrovs", "lavrovs letter", "letter"]
    assert json.loads(sqlfunctions.word_runs("  ")) == []
    assert json.loads(sqlfunctions.word_runs(None)) == []


def test_a_spelling_that_holds_another_is_left_to_the_shorter_one():
    names = json.dumps([["viktorovich", "Sergei Viktorovich Lavrov"],
                        ["viktorovich", "Sergey Lavrov"], ["viktorovich", "Viktorovich"]])
    query = sqlfunctions.fts_query("Viktorovich", names)
    assert query == '("sergey lavrov" OR "viktorovich")'
    every = '("sergei viktorovich lavrov" OR "sergey lavrov" OR "viktorovich")'
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(words)")
    conn.executemany("INSERT INTO t VALUES (?)", [
        ("Sergei Viktorovich Lavrov wrote",), ("Sergey Lavrov said",), ("Viktorovich",),
        ("Sergei Lavrov",), ("Lavrov Sergey",)])

    def hits(match: str) -> set[int]:
        return {r for (r,) in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,))}

    assert hits(query) == hits(every) == {1, 2, 3}


def test_search_with_nothing_searchable_says_so(conn):
    with pytest.raises(FactdbError, match=r"^nothing to search for in '\*\(\)-': give at "):
        ask(conn, "search", text="*()-")


def test_actor_profile(conn):
    assert [tuple(r.values()) for r in ask(conn, "actor", name="haavisto")] == [
        ("pekka-haavisto", "actor", "Pekka Haavisto", None, "person; Green League"),
        ("pekka-haavisto", "alias", "Haavisto", "reuters-geneva-talks", "first seen at 134"),
        ("pekka-haavisto", "alias", "Pekka Haavisto", "yle-letter-received",
         "first seen at 126"),
        ("pekka-haavisto", "role", "Foreign Minister of Finland", "yle-letter-received",
         "Foreign Minister Pekka Haavisto"),
        ("pekka-haavisto", "statements", 2, None, "first 2022-02-01, last 2022-02"),
        ("pekka-haavisto", "events", 1, None, "first 2022, last 2022"),
        ("pekka-haavisto", "documents", 2, None, "first 2022-02-01, last 2022-02"),
    ]


def test_document_metadata_then_facts_in_text_order(conn):
    rows = [tuple(r.values()) for r in ask(conn, "document", id="tass-lavrov-letter")]
    assert rows == [
        ("document", "tass-lavrov-letter", None, "title", "Lavrov sends letter on security",
         None),
        ("document", "tass-lavrov-letter", None, "published",
         "2022-01-28 (day, stated: January 28)", None),
        ("document", "tass-lavrov-letter", None, "publisher", "TASS (tass)", None),
        ("document", "tass-lavrov-letter", None, "language", "en", None),
        ("document", "tass-lavrov-letter", None, "file", "tass-lavrov-letter.txt (sha256 "
         "204ef6bef6c15d699ebdd8d06295c5086dc37f3c27f81b2cf21e11639d922332)", None),
        ("role", "sergey-lavrov", 59, "Foreign Minister of Russia",
         "Russian Foreign Minister Sergei Lavrov", None),
        ("event", "lavrov-sends-letter", 98,
         "Lavrov sends a letter on indivisible security to European ministers",
         "sent a letter on indivisible security to his European counterparts",
         "2022-01-28 (day, inferred from 'January 28')"),
        ("statement", "lavrov-nobody-at-expense", 177, "Sergey Lavrov (direct)",
         "Nobody may strengthen their own security at the expense of the security of others",
         "2022-01-28 (day, inferred from 'on Friday')"),
        ("skipped", None, 274, "link to the outlet's site", "Read more on tass.example", None),
    ]


def test_unknown_document_suggests_a_close_id(conn):
    with pytest.raises(FactdbError, match=r"^no document has the id 'tass-lavrov' \(did you "
                                          r"mean 'tass-lavrov-letter'\?\)"):
        ask(conn, "document", id="tass-lavrov")


@pytest.mark.parametrize(("value", "message"), [
    ("2022-13", "--from: '2022-13' has no month 13"),
    ("last week", "--from: 'last week' is not a date; write YYYY, YYYY-MM, YYYY-MM-DD, "
                  "YYYY-Www (an ISO week) or START/END (a range)"),
])
def test_a_date_that_is_not_one_says_why(conn, value, message):
    with pytest.raises(FactdbError) as caught:
        ask(conn, "timeline", **{"from": value})
    assert str(caught.value) == message


def test_views_answer_common_questions_without_joins(queries_db):
    db = sqlite3.connect(queries_db)
    assert db.execute("SELECT statement_id, speaker, relayed_by, document_title "
                      "FROM statement_details WHERE speaker_id = 'sergey-lavrov' "
                      "ORDER BY statement_id").fetchall() == [
        ("lavrov-answered-by-nobody", "Sergey Lavrov", None, "Talks in Geneva"),
        ("lavrov-nobody-at-expense", "Sergey Lavrov", None, "Lavrov sends letter on security"),
        ("lavrov-nobody-relayed", "Sergey Lavrov", "TASS", "Finland received Lavrov's letter"),
        ("lavrov-talks-in-january", "Sergey Lavrov", None, "Talks in Geneva"),
    ]  # (the views hold deprecated facts too; the canned queries leave them out)
    assert db.execute("SELECT event_id, date, date_precision, documents, status "
                      "FROM event_timeline").fetchall() == [
        ("finland-receives-letter", "2022", "year", 1, "normal"),
        ("lavrov-sends-letter", "2022-01-28", "day", 2, "normal"),
        ("geneva-talks", "2022-02", "month", 1, "normal"),
        ("geneva-talks-in-january", "2022-02", "month", 1, "deprecated")]
    assert db.execute("SELECT document_id, publisher, relayed_by FROM event_source_details "
                      "WHERE event_id = 'lavrov-sends-letter' ORDER BY document_id"
                      ).fetchall() == [("tass-lavrov-letter", "TASS", None),
                                       ("yle-letter-received", "Yle", "TASS")]
    assert db.execute("SELECT relation_id, kind, fact_kind, other_kind FROM relation_details "
                      "ORDER BY relation_id").fetchall() == [
        ("answered-or-not", "contradicts", "statement", "statement"),
        ("expense-quote-relayed", "corroborates", "statement", "statement"),
        ("letter-sent-two-reports", "corroborates", "event", "event"),
        ("received-and-answered", "corroborates", "event", "statement"),
        ("talks-january-or-february", "contradicts", "statement", "event"),
    ]


def test_the_evidence_view_holds_every_span_and_each_matches_its_words(queries_db):
    db = sqlite3.connect(queries_db)
    counts = dict(db.execute("SELECT table_name, count(*) FROM evidence GROUP BY table_name"))
    assert counts == {"statements": 9, "event_sources": 5, "actor_roles": 2,
                      "actor_aliases": 11, "skipped_passages": 1}
    assert db.execute("SELECT count(*) FROM evidence e JOIN documents d "
                      "ON d.id = e.document_id WHERE substr(d.text, e.start_offset + 1, "
                      "e.end_offset - e.start_offset) != e.words").fetchone() == (0,)


def test_downgrade_drops_the_views_and_upgrade_brings_them_back(cli, queries_db, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(queries_db.read_bytes())
    views = "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name"
    assert cli("db", "downgrade", "0001", "--db", copy).exit_code == 0
    assert sqlite3.connect(copy).execute(views).fetchall() == []
    stale = cli("query", "timeline", "--db", copy)
    assert stale.exit_code == 1
    assert f"schema revision 0001 is older than this factdb's {SCHEMA_HEAD}" in stale.stderr
    assert cli("db", "upgrade", "--db", copy).exit_code == 0
    assert [n for (n,) in sqlite3.connect(copy).execute(views)] == [
        "date_conflicts", "event_source_details", "event_timeline", "evidence",
        "relation_details", "statement_details"]
    assert cli("query", "timeline", "--db", copy).exit_code == 0
