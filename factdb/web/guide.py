"""What the home page and the canned query forms add: the corpus in a few lines, examples
that answer, choices for a parameter, and a plain message for a name or date that is wrong.

Called by the plugin's ``extra_template_vars`` hook; the checks are the CLI's own
(:mod:`factdb.query.run`), so a page and `factdb query` say the same thing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from datasette.utils import tilde_encode

from factdb.errors import FactdbError
from factdb.query.examples import BUSIEST_SPEAKER
from factdb.query.registry import QUERIES
from factdb.web import facts, pages, scale
from factdb.web.words import day_words

SEARCH_EXAMPLE = "security guarantees"


_ONCE: dict[tuple, Any] = {}  # (what, file version) -> the answer


def _once(conn: sqlite3.Connection, what: str, work: Callable[[], Any]) -> Any:
    """``work()``, worked out once per version of the database file (an answer that reads
    whole tables: 0.2-0.3 s at 1M statements); again after a rebuild replaces the file."""
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    try:
        st = os.stat(path)
    except OSError:
        return work()
    version = (path, st.st_ino, st.st_size, st.st_mtime_ns)
    # Query threads share _ONCE: iterate over a copy of its keys, and pop, not del.
    for old in [k for k in list(_ONCE) if k[0] == what and k[1][0] == path and k[1] != version]:
        _ONCE.pop(old, None)  # an earlier build of the file
    if (what, version) not in _ONCE:
        _ONCE[what, version] = work()
    return _ONCE[what, version]


def examples(conn: sqlite3.Connection) -> dict[str, str]:
    """A value for each kind of parameter that gives rows on this database (the busiest
    speaker is a scan of the statements)."""
    return _once(conn, "examples", lambda: _examples(conn))


def _examples(conn: sqlite3.Connection) -> dict[str, str]:
    def first(sql: str) -> str:
        found = conn.execute(sql).fetchone()
        return found[0] if found else ""

    return {
        "actor": first(f"SELECT name FROM actors WHERE id = ({BUSIEST_SPEAKER})"),
        "event": first("SELECT event_id FROM event_sources GROUP BY event_id "
                       "ORDER BY count(*) DESC, event_id LIMIT 1"),
        "document": first("SELECT id FROM documents ORDER BY published_on_earliest, id LIMIT 1"),
        "search": SEARCH_EXAMPLE,
    }


def example_params(query_name: str, found: dict[str, str]) -> dict[str, str]:
    """The parameters of a canned query's example (required ones only)."""
    return {p.name: found.get(p.check, "") for p in QUERIES[query_name].params if p.required}


def example_url(database: str, query_name: str, found: dict[str, str]) -> str:
    params = example_params(query_name, found)
    return f"/{tilde_encode(database)}/{query_name}" + (f"?{urlencode(params)}" if params else "")


def home(conn: sqlite3.Connection, database: str) -> dict[str, Any]:
    """The home page's corpus summary, documents and canned queries with examples."""
    return _once(conn, f"home {database}", lambda: _home(conn, database))


def _home(conn: sqlite3.Connection, database: str) -> dict[str, Any]:
    found = examples(conn)
    queries = [{"name": q.name, "title": q.title, "description": q.description,
                "url": example_url(database, q.name, found),
                "example": ", ".join(f"{k}={v}" for k, v in
                                     example_params(q.name, found).items())}
               for q in QUERIES.values()]
    corpus = facts.corpus(conn)
    for doc in corpus["documents"]:
        doc["page"] = pages.url(database, "document", doc["id"])
        doc["when"] = f"{day_words(doc['published_on'])} ({doc['published_on_basis']})"
    return {"corpus": corpus, "queries": queries,
            "conflicts": pages.url(database, "conflicts"),
            "documents_table": f"/{tilde_encode(database)}/documents",
            "corroborations": pages.url(database, "corroborations")}


def form(conn: sqlite3.Connection, database: str, query_name: str,
         given: dict[str, str]) -> dict[str, Any]:
    """For a canned query's page: choices per parameter, an example, and a message."""
    from factdb.query.run import check_params

    query = QUERIES[query_name]
    choices = {p.name: _once(conn, f"choices {p.check}", lambda k=p.check: facts.choices(conn, k))
               for p in query.params if p.check in ("actor", "event", "document")}
    missing = [p.name for p in query.params if p.required and not given.get(p.name, "").strip()]
    message = None
    if not missing:
        try:
            check_params(conn, query, given)
        except FactdbError as exc:
            message = str(exc).split("; list them with")[0]
    found = examples(conn)
    limited = any(p.name == "limit" for p in query.params) \
        and given.get("limit") == str(scale.PAGE_LIMIT)
    return {"choices": choices, "missing": missing, "message": message,
            "limited": scale.PAGE_LIMIT if limited else None,
            "flags": [p.name for p in query.params if p.check == "flag"],
            "example_url": example_url(database, query_name, found),
            "example": ", ".join(f"{k} = {v}" for k, v in
                                 example_params(query_name, found).items())}
