"""Datasette on the seeds database: in-process, over HTTP, and in a real headless browser.

The canned queries must answer exactly as `factdb query NAME --format json` does, since
both run the one registry's SQL; the pages a user sees must show the same facts.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from factdb.query.registry import QUERIES
from factdb.web.config import configuration
from tests.conftest import sha256

DB = "factdb"  # the seeds database file is factdb.db; Datasette names it by its stem
# Parameters for each canned query that return rows on the real seeds.
EXAMPLES = {
    "date-conflicts": {},  # the seeds' dates agree: its rows are tested in test_facts_dates
    "timeline": {"actor": "Lavrov"},
    "said": {"name": "Lavrov"},
    "sources": {"event": "Finland receives letter delivered by embassy"},
    "conflicts": {},
    "corroborations": {},
    "search": {"text": '"indivisible security"'},
    "actor": {"name": "sergey lavrov"},
    "document": {"id": "fi-lavrov-message-finland"},
}
SAID = urllib.parse.urlencode(EXAMPLES["said"])


def cli_rows(cli, db: Path, name: str, params: dict[str, str]) -> list[dict]:
    """What `factdb query NAME ... --format json` prints, parsed."""
    args = ["query", name]
    for p in QUERIES[name].params:
        if p.name in params:
            args += [params[p.name]] if p.required else [p.option, params[p.name]]
    result = cli(*args, "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def metadata(db: Path) -> dict:
    return configuration(db)["-m"]


# --- the configuration ------------------------------------------------------------------


def test_every_canned_query_is_the_registry_s_own(seeds_db):
    queries = metadata(seeds_db)["databases"][DB]["queries"]
    assert list(queries) == list(QUERIES)
    for name, q in QUERIES.items():
        assert queries[name]["sql"] == q.sql
        assert queries[name]["title"] == q.title
        assert queries[name]["description"] == q.description
        assert queries[name]["params"] == [p.name for p in q.params]


def test_every_table_view_and_column_is_described(seeds_db):
    tables = metadata(seeds_db)["databases"][DB]["tables"]
    conn = sqlite3.connect(seeds_db)
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
        "AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%'")]
    assert {t for t, m in tables.items() if "description" in m} == set(names)
    for name in names:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")]
        assert tables[name]["description"], name
        assert list(tables[name]["columns"]) == columns, name
    assert tables["statements"]["columns"]["speaker_id"] == "Who said it (→ actors)"
    assert tables["statement_details"]["columns"]["speaker_id"] == "Who said it (→ actors)"
    assert tables["event_timeline"]["columns"]["date_precision"] == "year, month or day"


def test_every_example_returns_rows_from_factdb_query(cli, seeds_db):
    assert set(EXAMPLES) == set(QUERIES), "give every canned query an example here"
    empty = [name for name, params in EXAMPLES.items()
             if name != "date-conflicts" and not cli_rows(cli, seeds_db, name, params)]
    assert empty == []


@pytest.mark.parametrize("command", ["serve", "datasette-config"])
def test_a_missing_database_is_a_message_not_a_server(cli, tmp_path, command):
    result = cli(command, "--db", tmp_path / "nope.db")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {tmp_path / 'nope.db'}: database not found; build it "
                             f"with `factdb build --db {tmp_path / 'nope.db'}`\n")


# --- in-process, through Datasette's own client ------------------------------------------


def datasette_get(db: Path, path: str, **params: str):
    """GET ``path`` from a Datasette built like `factdb serve` builds it, in-process."""
    from datasette.app import Datasette

    async def get():
        ds = Datasette(immutables=[str(db)], metadata=metadata(db))
        await ds.invoke_startup()
        return await ds.client.get(path + "?" + urllib.parse.urlencode(params))

    return asyncio.run(get())


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_canned_query_in_datasette_returns_the_rows_of_factdb_query(cli, seeds_db, name):
    params = EXAMPLES[name]
    response = datasette_get(seeds_db, f"/{DB}/{name}.json", **params, _shape="array")
    assert response.status_code == 200, response.text
    assert response.json() == cli_rows(cli, seeds_db, name, params)


def actor_names(db: Path) -> dict[str, str]:
    return dict(sqlite3.connect(db).execute("SELECT id, name FROM actors"))


def test_foreign_keys_show_names_and_default_facets_count_by_speaker(seeds_db):
    data = datasette_get(seeds_db, f"/{DB}/statements.json", _labels="on").json()
    names = actor_names(seeds_db)
    speakers = {row["speaker_id"]["value"]: row["speaker_id"]["label"] for row in data["rows"]}
    assert speakers and speakers == {id_: names[id_] for id_ in speakers}
    assert set(data["facet_results"]) == {"speaker_id", "document_id", "speech"}
    facet = {r["value"]: r["label"] for r in data["facet_results"]["speaker_id"]["results"]}
    assert facet == speakers


# --- a real server over HTTP --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def fetch_json(url: str):
    return json.loads(fetch(url))


def start(args: list[str], cwd: Path) -> tuple[subprocess.Popen, str]:
    """Start a server on a free port; return it and its base URL once it answers."""
    port = free_port()
    # A file, not a pipe: nobody reads a pipe while tests run, and a full one blocks the server.
    log = open(cwd / "server.log", "w")  # noqa: SIM115 - closed when the server stops
    server = subprocess.Popen([*args, "--port", str(port)], cwd=cwd, stdout=log,
                              stderr=subprocess.STDOUT, text=True)
    server.log = log
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if server.poll() is not None:
            output = (cwd / "server.log").read_text()
            raise AssertionError(f"server exited {server.returncode}: {output}")
        try:
            fetch(f"{base}/-/versions.json")
            return server, base
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise AssertionError("server did not answer")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    server.log.close()


@pytest.fixture(scope="module")
def served(seeds_db, tmp_path_factory):
    """`factdb serve` on the seeds database, as a user starts it: its base URL."""
    server, base = start([sys.executable, "-m", "factdb", "serve", "--db", str(seeds_db)],
                         cwd=tmp_path_factory.mktemp("serve"))
    try:
        yield base
    finally:
        stop(server)


def test_home_page_says_what_the_database_is_and_links_the_canned_queries(served):
    page = fetch(served + "/")
    assert "<h1>Curated facts from news coverage</h1>" in page
    assert "Who said what, what happened and when, and which source says so" in page
    for name in QUERIES:
        assert f'<a href="/{DB}/{name}">{name}</a>' in page


def test_table_page_shows_facets_with_names(served, seeds_db):
    page = fetch(served + f"/{DB}/statements")
    assert 'data-column="speaker_id"' in page  # the speaker_id facet
    speaker = sqlite3.connect(seeds_db).execute(
        "SELECT a.id, a.name FROM statements s JOIN actors a ON a.id = s.speaker_id").fetchone()
    # The facet links the speaker's name, not the id:
    assert f'?speaker_id={speaker[0]}">{html.escape(speaker[1])}</a>' in page
    data = fetch_json(served + f"/{DB}/events.json")
    assert set(data["facet_results"]) == {"date_precision", "date_basis", "kind"}


def test_canned_query_with_a_parameter_over_http(served, cli, seeds_db):
    rows = fetch_json(served + f"/{DB}/said.json?name=sergey+lavrov&_shape=array")
    assert rows == cli_rows(cli, seeds_db, "said", {"name": "sergey lavrov"})
    assert {row["speaker"] for row in rows} == {"Sergey Lavrov"}


def test_full_text_search_finds_every_document_with_the_phrase(served, seeds_db):
    conn = sqlite3.connect(seeds_db)
    expected = sorted(r[0] for r in conn.execute(
        "SELECT id FROM documents WHERE lower(text) LIKE '%indivisible security%' "
        "OR lower(title) LIKE '%indivisible security%'"))
    query = urllib.parse.quote('"indivisible security"')
    rows = fetch_json(served + f"/{DB}/documents.json?_search={query}&_shape=array&_col=id")
    assert len(expected) >= 2
    assert sorted(row["id"] for row in rows) == expected


@pytest.mark.parametrize("sql", [
    "DELETE FROM statements",
    "DROP TABLE documents",
    "UPDATE actors SET name = 'x'",
    "ATTACH DATABASE '/tmp/elsewhere.db' AS other",
])
def test_the_served_database_cannot_be_written(served, seeds_db, sql):
    before = sha256(seeds_db)
    url = served + f"/{DB}.json?" + urllib.parse.urlencode({"sql": sql})
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(url)
    assert refused.value.code == 400
    assert sha256(seeds_db) == before


def test_plain_datasette_with_the_written_configuration_is_the_same_site(cli, seeds_db, tmp_path):
    result = cli("datasette-config", "--db", seeds_db, "--output", tmp_path / "metadata.json")
    assert result.exit_code == 0
    assert result.stdout == f"wrote {tmp_path / 'metadata.json'}\n"
    server, base = start([sys.executable, "-m", "datasette", "serve", "-i", str(seeds_db),
                          "-m", str(tmp_path / "metadata.json")], cwd=tmp_path)
    try:
        # `said` needs factdb_normalize: the plugin's entry point registered it.
        rows = fetch_json(base + f"/{DB}/said.json?{SAID}&_shape=array")
        assert rows == cli_rows(cli, seeds_db, "said", EXAMPLES["said"])
    finally:
        stop(server)


# --- a real headless browser ---------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium(tmp_path: Path, *args: str) -> str:
    result = subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (CI must install Debian's chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")


def test_canned_query_page_in_a_real_browser_shows_the_quote(browser, served, cli, seeds_db,
                                                              tmp_path):
    quote = cli_rows(cli, seeds_db, "said", EXAMPLES["said"])[0]["quote"]
    url = served + f"/{DB}/said?{SAID}"
    dom = chromium(tmp_path, "--dump-dom", url)
    assert f"{QUERIES['said'].title}</h1>" in dom
    assert html.escape(quote, quote=False) in dom
    shot = tmp_path / "said.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,900", url)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
