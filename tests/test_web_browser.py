"""factdb's pages in a real headless Debian chromium: screenshots of a statement, a document
and the conflicts page, and the DOM a reader gets (the highlighted words are the stored
evidence; a machine translation is said to be one)."""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest

from factdb.web.pages import url
from tests import test_datasette
from tests.test_datasette import chromium, start, stop

DB = "factdb"
PNG = b"\x89PNG\r\n\x1a\n"
browser = pytest.fixture(test_datasette.browser.__wrapped__)


@pytest.fixture(scope="module")
def served(seeds_db, tmp_path_factory):
    server, base = start([sys.executable, "-m", "factdb", "serve", "--db", str(seeds_db)],
                         cwd=tmp_path_factory.mktemp("serve"))
    try:
        yield base
    finally:
        stop(server)


def translated_statement(db) -> tuple[str, str]:
    return sqlite3.connect(db).execute(
        "SELECT s.id, s.quote FROM statements s JOIN documents d ON d.id = s.document_id "
        "WHERE d.is_machine_translation ORDER BY length(s.quote) DESC").fetchone()


def dom_marks(dom: str, css_class: str) -> list[str]:
    """The text of each element with ``css_class`` in a DOM chromium dumped."""
    from tests.test_web_pages import marks

    return marks(dom).by_class.get(css_class, [])


def test_statement_page_in_a_browser(browser, served, seeds_db, tmp_path):
    statement, quote = translated_statement(seeds_db)
    page = served + url(DB, "statement", statement)
    dom = chromium(tmp_path, "--dump-dom", page)
    assert dom_marks(dom, "factdb-quote") == [quote]
    warning = dom_marks(dom, "factdb-mt")
    assert len(warning) == 1 and "Machine-translated from" in warning[0]
    assert "these are not the speaker's exact words" in warning[0]
    shot = tmp_path / "statement.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1000", page)
    assert shot.read_bytes()[:8] == PNG


def test_document_page_in_a_browser(browser, served, seeds_db, tmp_path):
    conn = sqlite3.connect(seeds_db)
    # The article with the most marked regions: evidence, boilerplate and skips all show.
    doc, translated = conn.execute(
        "SELECT d.id, d.is_machine_translation FROM documents d ORDER BY "
        "(SELECT count(*) FROM boilerplate_regions b WHERE b.document_id = d.id) + "
        "(SELECT count(*) FROM skipped_passages k WHERE k.document_id = d.id) DESC, d.id"
    ).fetchone()
    page = served + url(DB, "document", doc)
    dom = chromium(tmp_path, "--dump-dom", page)
    from tests.test_web_pages import marks

    found = marks(dom).by_fact
    for statement, quote in conn.execute("SELECT id, quote FROM statements "
                                         "WHERE document_id = ?", (doc,)):
        assert found[f"statement:{statement}"] == quote
    assert bool(dom_marks(dom, "factdb-mt")) == bool(translated)
    assert dom_marks(dom, "factdb-tag-boilerplate") and dom_marks(dom, "factdb-tag-skipped")
    shot = tmp_path / "document.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1400", page)
    assert shot.read_bytes()[:8] == PNG


@pytest.mark.parametrize("width", [1280, 390])
def test_conflicts_page_in_a_browser(browser, served, seeds_db, tmp_path, width):
    page = served + url(DB, "conflicts")
    dom = chromium(tmp_path, "--dump-dom", page)
    notes = dom_marks(dom, "factdb-note")
    n = sqlite3.connect(seeds_db).execute(
        "SELECT count(*) FROM relations WHERE kind = 'contradicts'").fetchone()[0]
    assert len(notes) == n > 0
    shot = tmp_path / f"conflicts-{width}.png"
    chromium(tmp_path, f"--screenshot={shot}", f"--window-size={width},1200", page)
    assert shot.read_bytes()[:8] == PNG
    print(json.dumps({"screenshot": str(shot)}))
