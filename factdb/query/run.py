"""Run a canned query: check and resolve its parameters, then run its SQL from the registry.

The SQL alone already answers (that is what Datasette runs); the checks here turn the
cases where it would answer something surprising into a question or a clear message: a
name that means several actors, words that match several events, a date that is not one,
a search with no words, an id that does not exist.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple

from factdb.errors import FactdbError
from factdb.query import sqlfunctions
from factdb.query.registry import QUERIES, RESOLVE_ACTOR, RESOLVE_EVENT
from factdb.query.sqlparts import NO, YES
from factdb.store.db import connect_readonly, is_url

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (type checkers know it)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from pathlib import Path

    from factdb.query.canned import CannedQuery, Param

MAX_LIMIT = 2**63 - 1  # SQLite's largest integer

LIST_ACTORS = 'factdb query sql "SELECT id, name FROM actors"'
LIST_EVENTS = 'factdb query timeline'
LIST_DOCUMENTS = 'factdb query sql "SELECT id, title FROM documents"'


# Named tuples from collections, not dataclasses or typing.NamedTuple: this module is on
# every query command's way, and dataclasses and typing cost milliseconds to import.
class Rows(namedtuple("Rows", "columns rows")):
    """What a query returned: column names and rows."""

    __slots__ = ()
    columns: list[str]
    rows: list[tuple]


class Stream(namedtuple("Stream", "columns batches")):
    """A query's column names, and its rows in batches as SQLite produces them: the first
    batch is the first row alone, so that it can be shown at once."""

    __slots__ = ()
    columns: list[str]
    batches: Iterator[list[tuple]]


BATCH = 1000  # rows fetched at a time after the first


def connect(db: str | Path) -> sqlite3.Connection:
    """Open a built database read-only, with the factdb_* SQL functions registered; a
    ``postgresql://`` URL opens factdb's PostgreSQL database (its SQL translated)."""
    if is_url(db):
        from factdb.store import postgres  # psycopg: only for a PostgreSQL database

        return postgres.connect_readonly(str(db))  # type: ignore[return-value]
    conn = connect_readonly(db)
    sqlfunctions.register(conn)
    return conn


def run(conn: sqlite3.Connection, query: CannedQuery | str,
        values: Mapping[str, str | None] | None = None) -> Rows:
    """Run a canned query with parameter values by name (missing or None means empty)."""
    result = stream(conn, query, values)
    return Rows(result.columns, [row for batch in result.batches for row in batch])


def stream(conn: sqlite3.Connection, query: CannedQuery | str,
           values: Mapping[str, str | None] | None = None) -> Stream:
    """Like :func:`run`, but the rows come as SQLite produces them (see :class:`Stream`).

    Every check that could refuse the question runs before the first row is handed over:
    an event not given by its id is resolved (several matching events are a question, not
    a mix of their rows); a document that does not exist is told from one without facts
    when no row came. A question given by ids costs one query.
    """
    if isinstance(query, str):
        query = QUERIES[query]
    given = dict(values or {})
    unknown = set(given) - {p.name for p in query.params}
    if unknown:
        raise FactdbError(f"query {query.name} has no parameter {sorted(unknown)[0]!r}")
    params = {p.name: _checked(conn, p, (given.get(p.name) or "").strip())
              for p in query.params}
    cursor, first = _first(conn, query, params)
    columns = [d[0] for d in cursor.description]
    for p in query.params:
        # an event's own id answers with its rows alone; anything else (words, or no rows)
        # is resolved to one event, or the user is told which match
        value = params[p.name]
        if p.check == "event" and value and (
                first is None or first[columns.index("event_id")] != value):
            # says why unless exactly one
            params[p.name] = resolve_event(conn, value, params.get("all") == "1")
            cursor, first = _first(conn, query, params)
    documents = [params[p.name] for p in query.params if p.check == "document" and params[p.name]]
    events = [params[p.name] for p in query.params if p.check == "event" and params[p.name]]

    def when_empty() -> None:
        for doc_id in documents:
            _check_document(conn, doc_id)
        for event_id in events:
            _check_shown(conn, query, event_id, params)

    return Stream(columns, _batches(cursor, first, query.name, when_empty, conn.Error))


def check_params(conn: sqlite3.Connection, query: CannedQuery,
                 values: Mapping[str, str | None]) -> dict[str, str]:
    """Every parameter checked and resolved up front (Datasette's forms ask before running):
    a FactdbError says what is wrong with the first bad one."""
    params = {}
    for p in query.params:
        value = _checked(conn, p, (values.get(p.name) or "").strip())
        if p.check == "event" and value:
            value = resolve_event(conn, value, _yes(values.get("all")))
            _check_shown(conn, query, value, values)
        elif p.check == "document" and value:
            _check_document(conn, value)
        params[p.name] = value
    return params


def _first(conn: sqlite3.Connection, query: CannedQuery,
           params: dict[str, str]) -> tuple[sqlite3.Cursor, tuple | None]:
    try:
        cursor = conn.execute(query.sql, params)
        return cursor, cursor.fetchone()
    except conn.Error as exc:  # a bug in a canned query, not the user's mistake
        raise FactdbError(f"query {query.name} failed: {exc}") from None


def _batches(cursor: sqlite3.Cursor, first: tuple | None, name: str,
             when_empty: Callable[[], None],
             error: type[Exception] = sqlite3.Error) -> Iterator[list[tuple]]:
    if first is None:
        when_empty()
        return
    yield [first]
    try:
        while batch := cursor.fetchmany(BATCH):
            yield batch
    except error as exc:
        raise FactdbError(f"query {name} failed: {exc}") from None


def _checked(conn: sqlite3.Connection, param: Param, value: str) -> str:
    if not value:
        if param.required:
            raise FactdbError(f"{param.metavar} is required: {param.help}")
        return ""
    if param.check == "flag":
        if value.lower() not in YES + NO:
            raise FactdbError(f"{param.option}: {value!r} is neither a yes ({', '.join(YES)}) "
                              f"nor a no ({', '.join(NO[1:])})")
        return "1" if value.lower() in YES else ""
    if param.check == "date":
        from factdb.dates.values import parse_value  # (only a date needs it)

        try:
            parse_value(value)
        except ValueError as exc:
            raise FactdbError(f"{param.option}: {exc}") from None
    elif param.check == "limit" and not (value.isascii() and value.isdigit()
                                         and value.strip("0")):
        raise FactdbError(f"{param.option}: {value!r} is not a number of rows (a whole "
                          "number, at least 1)")
    elif param.check == "limit" and (len(value.lstrip("0")) > 19 or int(value) > MAX_LIMIT):
        raise FactdbError(f"{param.option}: {value} is more rows than SQLite can count (at "
                          f"most {MAX_LIMIT}); leave --limit out for every row")
    elif param.check == "search" and sqlfunctions.fts_query(value) == sqlfunctions.MATCH_NOTHING:
        if sqlfunctions.fts_query(value.replace("-", " ").replace("NOT", " ")) \
                != sqlfunctions.MATCH_NOTHING:
            raise FactdbError(f"{value!r} only leaves words out: give at least one word to "
                              "find as well")
        raise FactdbError(f"nothing to search for in {value!r}: give at least one word")
    elif param.check == "actor":
        return resolve_actor(conn, value)
    return value  # an event or a document is checked in stream()


def resolve_actor(conn: sqlite3.Connection, name: str) -> str:
    """The id of the one actor a name means; otherwise say who matched, or who is close."""
    found = conn.execute(RESOLVE_ACTOR, {"name": name}).fetchall()
    if found:
        return _the_one(found, name, "actors", "by id or full name")
    names = [n for (n,) in conn.execute("SELECT DISTINCT alias FROM actor_aliases")]
    raise FactdbError(f"no actor is called {name!r}{_close(name, names)}; "
                      f"list them with: {LIST_ACTORS}")


def resolve_event(conn: sqlite3.Connection, words: str, every: bool = False) -> str:
    """The id of the one event given by id or description words; otherwise say which match.
    Unless ``every`` (--all), a deprecated event is the answer only when nothing else is."""
    found = conn.execute(RESOLVE_EVENT, {"event": words}).fetchall()
    if found:
        kept = found if every else [r for r in found if r[2] != "deprecated"] or found
        return _the_one([r[:2] for r in kept], words, "events", "by id")
    ids = [i for (i,) in conn.execute("SELECT id FROM events")]
    raise FactdbError(f"no event has the id {words!r} or all of its words in its "
                      f"description{_close(words, ids)}; list them with: {LIST_EVENTS}")


def _the_one(found: list[tuple[str, str]], asked: str, noun: str, how: str) -> str:
    """The id of the only (id, label) row found; several are listed for the user to pick."""
    if len(found) == 1:
        return found[0][0]
    listing = "\n".join(f"  {record_id}  ({label})" for record_id, label in found)
    raise FactdbError(f"{asked!r} matches {len(found)} {noun}; say which, {how}:\n{listing}")


def _check_shown(conn: sqlite3.Connection, query: CannedQuery, event_id: str,
                 values: Mapping[str, str | None]) -> None:
    """A deprecated event asked for by id has its rows only with --all: say so, with why."""
    if "all" not in {p.name for p in query.params} or _yes(values.get("all")):
        return
    found = conn.execute("SELECT status_reason FROM events WHERE id = ? AND status = "
                         "'deprecated'", (event_id,)).fetchone()
    if found:
        raise FactdbError(f"event {event_id!r} is deprecated ({found[0]}); add --all to "
                          f"list its {query.name}")


def _yes(value: str | None) -> bool:
    """Whether a flag's value (as given, or as checked: "1" or "") is a yes."""
    return (value or "").strip().lower() in YES


def _check_document(conn: sqlite3.Connection, doc_id: str) -> None:
    if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
        return
    ids = [i for (i,) in conn.execute("SELECT id FROM documents")]
    raise FactdbError(f"no document has the id {doc_id!r}{_close(doc_id, ids)}; "
                      f"list them with: {LIST_DOCUMENTS}")


def _close(word: str, choices: list[str]) -> str:
    import difflib  # (only a mistake needs it)

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
