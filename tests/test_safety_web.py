"""Datasette pages never show a user's text raw, and `factdb serve` follows its database
file when `factdb build` replaces it: no restart, no error, no answer mixing two builds.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
import urllib.error
from pathlib import Path

from factdb.store.build import build
from factdb.web.config import configuration
from tests.conftest import FIXTURES
from tests.test_datasette import fetch, start, stop

SMALL = FIXTURES / "bad" / "_valid"  # 2 statements
LARGER = FIXTURES / "queries" / "seeds"  # 8 statements
TAG = "<img src=x onerror=alert(1)>"


def statement_ids(seeds: Path, tmp: Path) -> frozenset[str]:
    import sqlite3

    db = tmp / f"ids-{seeds.parent.name}.db"
    build(seeds, db)
    with sqlite3.connect(db) as conn:
        return frozenset(i for (i,) in conn.execute("SELECT id FROM statements"))


# -- 8. user text in pages is escaped ------------------------------------------------------

def test_a_database_file_name_with_html_is_escaped_on_every_page(tmp_path):
    from datasette.app import Datasette
    from datasette.utils import tilde_encode

    db = tmp_path / f"{TAG}.db"
    build(SMALL, db)
    metadata = configuration(db)["-m"]

    async def pages() -> dict[str, str]:
        ds = Datasette(immutables=[str(db)], metadata=metadata)
        await ds.invoke_startup()
        route = "/" + tilde_encode(TAG)
        got = {}
        for path in ("/", route, f"{route}/statements", f"{route}/said?name=Berg",
                     f"{route}/actors/anna-berg", f"{route}/statement_details",
                     f"{route}/events?_facet=kind", f"{route}?sql=select+1"):
            response = await ds.client.get(path)
            assert response.status_code == 200, path
            got[path] = response.text
        return got

    got = asyncio.run(pages())
    for path, page in got.items():
        assert TAG not in page, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in page, path
    home = got["/"]
    assert f'<a href="/{tilde_encode(TAG)}/said">said</a>' in home  # the links still work


# -- 7. a running server follows a rebuilt database ----------------------------------------

def test_serve_answers_from_the_new_database_soon_after_a_build_replaces_it(tmp_path, cli):
    small, larger = statement_ids(SMALL, tmp_path), statement_ids(LARGER, tmp_path)
    assert small and larger and small != larger
    db = tmp_path / "factdb.db"
    assert cli("build", "--seeds", SMALL, "--db", db).exit_code == 0
    server, base = start([sys.executable, "-m", "factdb", "serve", "--db", str(db)],
                         cwd=tmp_path)
    # Two queries in one request: the row count and the rows; a mixed answer disagrees.
    url = f"{base}/factdb/statements.json?_size=max&_shape=objects"
    answers: list[frozenset[str] | str] = []
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            try:
                page = json.loads(fetch(url))
                ids = frozenset(row["id"] for row in page["rows"])
                if page["filtered_table_rows_count"] != len(ids):
                    answers.append(f"mixed: {page['filtered_table_rows_count']} vs {len(ids)}")
                else:
                    answers.append(ids)
            except (OSError, urllib.error.HTTPError, ValueError, KeyError) as exc:
                answers.append(f"error: {exc!r}")

    poller = threading.Thread(target=poll)
    try:
        assert json.loads(fetch(url))["filtered_table_rows_count"] == len(small)
        poller.start()
        assert cli("build", "--seeds", LARGER, "--db", db).exit_code == 0
        built = time.monotonic()
        while time.monotonic() - built < 5 and (not answers or answers[-1] != larger):
            time.sleep(0.05)
        after = time.monotonic() - built
        done.set()
        poller.join(timeout=30)
    finally:
        done.set()
        stop(server)
    assert answers, "the poller got no answer"
    assert [a for a in answers if a not in (small, larger)] == []
    assert answers[-1] == larger
    assert after < 3
    first_new = answers.index(larger)
    assert all(a == larger for a in answers[first_new:])  # never back to the old build


def test_datasette_opens_the_file_named_not_what_the_name_means_as_a_uri(tmp_path):
    """Datasette 0.65 opens `file:{path}?immutable=1` unescaped: `notes#1.db` would be
    `notes`, created if missing. factdb's plugin opens the file itself."""
    from datasette.app import Datasette

    db = tmp_path / "notes#1.db"
    build(SMALL, db)
    metadata = configuration(db)["-m"]

    async def count() -> int:
        ds = Datasette(immutables=[str(db)], metadata=metadata)
        await ds.invoke_startup()
        response = await ds.client.get("/notes~231/statements.json?_shape=objects")
        assert response.status_code == 200, response.text
        return response.json()["filtered_table_rows_count"]

    assert asyncio.run(count()) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".factdb-cache", "notes#1.db"]
