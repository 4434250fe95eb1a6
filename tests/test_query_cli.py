"""`factdb query` through the real CLI, on the database built from the real seeds."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from factdb.query.output import MAX_CELL
from factdb.query.registry import QUERIES
from tests.conftest import ROOT, sha256

LAVROV_SPELLINGS = ("Sergei Lavrov", "sergey lavrov", "Lavrov")


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(cli, *args: str) -> list[dict]:
    return json.loads(ok(cli("query", *args, "--format", "json")))


def as_csv(cli, *args: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(ok(cli("query", *args, "--format", "csv")))))


def parse_table(text: str) -> list[dict]:
    """Read back a table as factdb prints it: a grid (wrapped cells) or one block per row."""
    lines = text.rstrip("\n").split("\n")
    if len(lines) > 1 and re.fullmatch(r"-+(  -+)*", lines[1]):
        spans = [m.span() for m in re.finditer(r"-+", lines[1])]
        names = [lines[0][a:b].strip() for a, b in spans]
        blocks, current = [], []
        for line in lines[2:]:
            if not line:
                blocks.append(current)
                current = []
            else:
                current.append(line)
        blocks.append(current)
        if not any(line == "" for line in lines[2:]):  # unwrapped: one line per row
            blocks = [[line] for line in lines[2:]]
        return [{n: " ".join(line[a:b if k < len(spans) - 1 else None].strip()
                             for line in block).strip()
                 for k, (n, (a, b)) in enumerate(zip(names, spans, strict=True))}
                for block in blocks]
    rows, row, last = [], {}, None
    for line in [*lines, ""]:
        if not line:
            rows.append(row)
            row, last = {}, None
        elif line.startswith(" "):
            row[last] += " " + line.strip()
        else:
            last, _, value = line.partition("  ")
            row[last] = value.strip()
    return rows


def shown(value) -> str:
    """A value as the table shows it: whitespace collapsed, long text cut."""
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def squash(rows: list[dict]) -> list[dict]:
    return [{k: re.sub(r"\s+", "", v) for k, v in row.items()} for row in rows]


def test_query_help_lists_every_canned_query_with_its_description(cli):
    out = ok(cli("query", "--help"))
    for name, query in QUERIES.items():
        assert re.search(rf"│ {name} +{re.escape(query.description[:30])}", out), name
    assert "│ sql " in out


@pytest.mark.parametrize("spelling", LAVROV_SPELLINGS)
def test_said_finds_the_foreign_ministers_statements_under_any_spelling(cli, seeds_db, spelling):
    rows = as_json(cli, "said", spelling, "--db", seeds_db)
    expected = sqlite3.connect(seeds_db).execute(
        "SELECT id FROM statements WHERE speaker_id = 'sergey-lavrov'").fetchall()
    assert sorted(r["statement_id"] for r in rows) == sorted(i for (i,) in expected)
    assert rows and {r["speaker"] for r in rows} == {"Sergey Lavrov"}


def test_the_spellings_return_identical_rows(cli, seeds_db):
    first, *others = [as_json(cli, "said", s, "--db", seeds_db) for s in LAVROV_SPELLINGS]
    assert all(rows == first for rows in others)


def phrase_documents(seeds_db, pattern: str) -> set[str]:
    texts = sqlite3.connect(seeds_db).execute("SELECT id, title, text FROM documents")
    return {i for i, title, text in texts if re.search(pattern, f"{title}\n{text}", re.I)}


def test_search_finds_every_document_containing_the_words(cli, seeds_db):
    with_phrase = phrase_documents(seeds_db, r"indivisible\s+security")
    assert with_phrase  # the seeds do discuss it
    rows = as_json(cli, "search", "indivisible security", "--db", seeds_db)
    found = {r["id"] for r in rows if r["kind"] == "document"}
    assert with_phrase <= found
    assert all("[indivisible]" in r["snippet"].lower() or "[security]" in r["snippet"].lower()
               for r in rows)


def test_search_for_a_quoted_phrase_finds_exactly_the_documents_with_it(cli, seeds_db):
    rows = as_json(cli, "search", '"indivisible security"', "--db", seeds_db)
    found = {r["id"] for r in rows if r["kind"] == "document"}
    assert found == phrase_documents(seeds_db, r"(?<!\w)indivisible[\W_]+security(?!\w)")


@pytest.mark.parametrize("text", ['"indivisible security', "indivisible*",
                                  "NEAR(security", "security)", 'security "" "',
                                  "indivisible OR", "ääkköset", "security -Putin"])
def test_search_takes_any_text_without_a_traceback(cli, seeds_db, text):
    result = cli("query", "search", text, "--db", seeds_db)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("text", "message"), [
    ("-security", "error: '-security' only leaves words out: give at least one word to find "
                  "as well\n"),
    ("AND", "error: nothing to search for in 'AND': give at least one word\n"),
])
def test_a_search_with_nothing_to_find_says_so(cli, seeds_db, text, message):
    result = cli("query", "search", text, "--db", seeds_db)
    assert (result.exit_code, result.stderr) == (1, message)


def search_ids(cli, db, text: str) -> set[str]:
    return {r["id"] for r in as_json(cli, "search", text, "--limit", "1000", "--db", db)}


@pytest.mark.parametrize(("text", "finds"), [
    ("guarantee", "guarantees"),  # stemming
    ("indivisible security", "indivisibility of security"),
    ("Tromso", "Tromsø"),  # a letter Unicode does not decompose, folded both ways
    ("Tromsø", "Tromsø"),
])
def test_search_forgives_endings_and_accents(cli, seeds_db, text, finds):
    conn = sqlite3.connect(seeds_db)
    having = {r[0] for r in conn.execute(
        "SELECT id FROM statements WHERE quote LIKE ? AND status != 'deprecated' UNION "
        "SELECT id FROM events WHERE (description LIKE ? OR place LIKE ?) "
        "AND status != 'deprecated'", (f"%{finds}%",) * 3)}
    assert having, f"the seeds no longer hold {finds!r}: pick another example"
    assert having <= search_ids(cli, seeds_db, text)


def test_search_finds_an_actor_by_any_spelling(cli, seeds_db):
    assert search_ids(cli, seeds_db, "Sergei Lavrov") == search_ids(cli, seeds_db,
                                                                    "Sergey Lavrov")
    assert search_ids(cli, seeds_db, "Sergei Lavrov") >= {
        r[0] for r in sqlite3.connect(seeds_db).execute(
            "SELECT id FROM statements WHERE quote LIKE '%Sergey Lavrov%'")}


def test_search_operators_do_what_a_search_engine_does(cli, seeds_db):
    letter, response = search_ids(cli, seeds_db, "letter"), search_ids(cli, seeds_db, "response")
    assert search_ids(cli, seeds_db, "letter OR response") == letter | response
    lavrov, putin = search_ids(cli, seeds_db, "Lavrov"), search_ids(cli, seeds_db, "Putin")
    assert search_ids(cli, seeds_db, "Lavrov -Putin") == lavrov - putin
    assert search_ids(cli, seeds_db, "Lavrov NOT Putin") == lavrov - putin
    assert putin & lavrov  # else the test shows nothing
    assert search_ids(cli, seeds_db, "guarant*") >= search_ids(cli, seeds_db, "guarantees")


@pytest.mark.parametrize("args", [
    ("timeline",), ("said", "Lavrov"), ("conflicts",), ("corroborations",),
    ("search", "security"), ("actor", "Pekka Haavisto"),
    ("document", "fi-lavrov-message-finland"),
    ("sql", "SELECT id, published_on FROM documents ORDER BY id"),
])
def test_json_csv_and_table_hold_the_same_rows(cli, seeds_db, args):
    as_objects = as_json(cli, *args, "--db", seeds_db)
    as_text = [{k: shown(v) for k, v in row.items()} for row in as_objects]
    assert [{k: shown(v) for k, v in row.items()}
            for row in as_csv(cli, *args, "--db", seeds_db)] == as_text
    result = cli("query", *args, "--db", seeds_db)
    if as_objects:  # wrapping may break an id at a hyphen: compare without whitespace
        assert squash(parse_table(ok(result))) == squash(as_text)
    else:
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "(no rows)\n")


def test_every_row_carries_the_id_of_its_record(cli, seeds_db):
    ids = {"timeline": "event_id", "said": "statement_id", "conflicts": "relation_id",
           "corroborations": "relation_id", "search": "id", "actor": "actor_id"}
    for name, key in ids.items():
        args = {"said": ("Lavrov",), "search": ("Lavrov",), "actor": ("Lavrov",)}.get(name, ())
        assert all(row[key] for row in as_json(cli, name, *args, "--db", seeds_db)), name


def test_sources_of_an_event_by_words(cli, seeds_db):
    event_id, description = sqlite3.connect(seeds_db).execute(
        "SELECT event_id, description FROM event_timeline LIMIT 1").fetchone()
    by_id = as_json(cli, "sources", event_id, "--db", seeds_db)
    assert by_id and {r["event_id"] for r in by_id} == {event_id}
    assert all(r["words"] and r["published_on"] for r in by_id)
    matches = sqlite3.connect(seeds_db).execute(
        "SELECT count(*) FROM events WHERE description = ?", (description,)).fetchone()[0]
    if matches == 1:
        assert as_json(cli, "sources", description.upper(), "--db", seeds_db) == by_id


def test_document_lists_its_facts_in_text_order(cli, seeds_db):
    rows = as_json(cli, "document", "fi-lavrov-message-finland", "--db", seeds_db)
    assert rows[0] == {"kind": "document", "id": "fi-lavrov-message-finland",
                       "start_offset": None, "label": "title", "text": rows[0]["text"],
                       "date": None}
    offsets = [r["start_offset"] for r in rows if r["kind"] != "document"]
    assert offsets and offsets == sorted(offsets)


def test_sql_refuses_drop_table_and_leaves_the_file_unchanged(cli, seeds_db):
    before = sha256(seeds_db)
    result = cli("query", "sql", "DROP TABLE documents", "--db", seeds_db)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("error: refused: DROP TABLE documents: `factdb query sql` only "
                             "reads (SELECT, WITH, reporting PRAGMAs); the database is "
                             "unchanged\n")
    assert sha256(seeds_db) == before


@pytest.mark.parametrize(("sql", "refused"), [
    ("INSERT INTO actors (id, name, kind) VALUES ('x', 'X', 'person')", "INSERT actors"),
    ("UPDATE documents SET title = 'x'", "UPDATE documents"),
    ("DELETE FROM statements", "DELETE statements"),
    ("CREATE TABLE t (x)", "CREATE TABLE t"),
    ("CREATE TEMP VIEW v AS SELECT 1", "CREATE TEMP VIEW v"),
    ("ATTACH DATABASE '/tmp/factdb-attached.db' AS other", "ATTACH /tmp/factdb-attached.db"),
    ("PRAGMA user_version = 7", "PRAGMA user_version = 7"),
    ("PRAGMA journal_mode = WAL", "PRAGMA journal_mode = WAL"),
    ("SELECT load_extension('/tmp/evil')", "the function load_extension()"),
    ("VACUUM INTO '/tmp/factdb-copy.db'", "ATTACH /tmp/factdb-copy.db"),
    ("VACUUM", "VACUUM"),
    ("WITH x AS (SELECT 1) DELETE FROM actors", "DELETE actors"),
    ("BEGIN", "TRANSACTION BEGIN"),
    ("ANALYZE", "ANALYZE"),
    ("DROP VIEW event_timeline", "DROP VIEW event_timeline"),
    ("CREATE INDEX i ON actors (name)", "CREATE INDEX i"),
    ("ALTER TABLE actors ADD COLUMN z", "ALTER TABLE actors"),
])
def test_sql_refuses_anything_that_writes_or_reaches_outside(cli, seeds_db, sql, refused):
    before = sha256(seeds_db)
    result = cli("query", "sql", sql, "--db", seeds_db)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: refused: {refused}: ")
    assert sha256(seeds_db) == before


@pytest.mark.parametrize(("sql", "message"), [
    ("SELECT 1; SELECT 2", "error: give one SQL statement at a time\n"),
    ("SELEC 1", 'error: SQL error: near "SELEC": syntax error\n'),
    ("SELECT * FROM nowhere", "error: SQL error: no such table: nowhere\n"),
    ("   ", 'error: no SQL given; for example: factdb query sql "SELECT id, title FROM '
           'documents"\n'),
])
def test_sql_mistakes_are_one_line_messages(cli, seeds_db, sql, message):
    result = cli("query", "sql", sql, "--db", seeds_db)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message)


def test_sql_reads_views_pragmas_and_the_factdb_functions(cli, seeds_db):
    assert as_json(cli, "sql", "SELECT count(*) AS n FROM evidence e JOIN documents d "
                   "ON d.id = e.document_id WHERE substr(d.text, e.start_offset + 1, "
                   "e.end_offset - e.start_offset) != e.words", "--db", seeds_db) == [{"n": 0}]
    names = as_json(cli, "sql", "SELECT name FROM pragma_table_info('documents') LIMIT 2",
                    "--db", seeds_db)
    assert names == [{"name": "id"}, {"name": "title"}]
    assert as_json(cli, "sql", "PRAGMA table_info(actors)", "--db", seeds_db)[0]["name"] == "id"
    assert as_json(cli, "sql", "SELECT factdb_normalize('Niinistö') AS n", "--db",
                   seeds_db) == [{"n": "niinisto"}]


def test_missing_database_says_how_to_build_it(cli, tmp_path):
    missing = tmp_path / "nowhere.db"
    for args in (("timeline",), ("sql", "SELECT 1")):
        result = cli("query", *args, "--db", missing)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == (f"error: {missing}: database not found; build it with "
                                 f"`factdb build --db {missing}`\n")


def test_a_file_that_is_not_a_database(cli, tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("not a database")
    result = cli("query", "conflicts", "--db", path)
    assert (result.exit_code, result.stderr) == (1, f"error: {path}: not a SQLite database\n")


@pytest.mark.parametrize(("args", "message"), [
    (("said", "Nobody Atall"), "error: no actor is called 'Nobody Atall'"),
    (("actor", "Lavrof"), "error: no actor is called 'Lavrof' (did you mean 'Lavrov'?)"),
    (("timeline", "--actor", "Nobody Atall"), "error: no actor is called 'Nobody Atall'"),
    (("sources", "no-such-event"), "error: no event has the id 'no-such-event'"),
    (("document", "no-such-document"), "error: no document has the id 'no-such-document'"),
    (("timeline", "--from", "2022-02-30"), "error: --from: '2022-02-30' is not a real day "
                                           "(February 2022 has 28 days)"),
    (("timeline", "--to", "yesterday"), "error: --to: 'yesterday' is not a date"),
    (("search", '"*" ( - )'), "error: nothing to search for in '\"*\" ( - )'"),
])
def test_user_mistakes_exit_1_with_a_message(cli, seeds_db, args, message):
    result = cli("query", *args, "--db", seeds_db)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output


def test_format_must_be_one_of_the_three(cli, seeds_db):
    result = cli("query", "conflicts", "--format", "xml", "--db", seeds_db)
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.stderr


HEAVY = ("sqlalchemy", "alembic", "pydantic", "yaml", "datasette")


def imported_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    return json.loads(out.splitlines()[-1].replace("'", '"'))


def test_the_query_library_imports_nothing_heavy(seeds_db):
    assert imported_after(
        "from factdb.query import adhoc, output, run as querying\n"
        f"conn = querying.connect({str(seeds_db)!r})\n"
        "output.render(*adhoc.run_sql(conn, 'SELECT 1'), 'json')\n"
        "querying.run(conn, 'said', {'name': 'Lavrov'})") == []


def test_the_query_command_imports_nothing_heavy_but_what_typer_brings(seeds_db):
    import typer

    run = ("from factdb.cli import main\n"
           "sys.argv = ['factdb', 'query', 'sql', 'SELECT 1', '--db', " + repr(str(seeds_db))
           + "]\ntry:\n    main()\nexcept SystemExit:\n    pass")
    # Typer 0.29 made pydantic a dependency and coerces every parameter through it
    typer_brings = ["pydantic"] if tuple(map(int, typer.__version__.split(".")[:2])) >= (0, 29) \
        else []
    assert imported_after(run) == typer_brings


def test_no_rows_is_an_empty_array_a_header_or_a_note_on_stderr(cli, seeds_db):
    args = ("query", "timeline", "--from", "2090", "--db", seeds_db)
    assert ok(cli(*args, "--format", "json")) == "[]\n"
    assert ok(cli(*args, "--format", "csv")) == (
        "event_id,date,precision,basis,documents,description,participants\n")
    table = cli(*args)
    assert (table.exit_code, table.stdout, table.stderr) == (0, "", "(no rows)\n")


def test_a_table_piped_into_another_program_is_never_wrapped(seeds_db):
    """Through a pipe (not a terminal) every row is one line, however long its ids and words."""
    out = subprocess.run([sys.executable, "-m", "factdb", "query", "said", "Lavrov", "--db",
                          str(seeds_db)], capture_output=True, text=True, check=True,
                         env={**os.environ, "COLUMNS": "60"}).stdout
    rows = json.loads(subprocess.run(
        [sys.executable, "-m", "factdb", "query", "said", "Lavrov", "--db", str(seeds_db),
         "--format", "json"], capture_output=True, text=True, check=True).stdout)
    lines = out.splitlines()
    assert len(lines) == len(rows) + 2  # header, rule, one line a row
    for line, row in zip(lines[2:], rows, strict=True):
        assert line.startswith(row["statement_id"] + " ")
        assert " ".join(row["quote"].split())[:MAX_CELL - 1] in line  # a table cuts at 300
