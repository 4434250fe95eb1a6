"""`factdb query sql` on PostgreSQL: read-only by construction.

Three locks, as on SQLite: the connection's transactions are read-only
(``default_transaction_read_only``, and the statement runs inside ``BEGIN READ ONLY``), with
a ``statement_timeout``; one statement only (the extended protocol refuses several); and
only reading statements (SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN) calling no volatile
function (``pg_terminate_backend``, ``set_config``, ``nextval``, ``lo_import``,
``pg_read_file``...: every function the server marks volatile, looked up in its catalog),
so that nothing that changes or reaches outside the database runs.
"""

from __future__ import annotations

import re

import psycopg

from factdb.errors import FactdbError
from factdb.query.run import Rows
from factdb.store.postgres import PgConnection

READING = frozenset({"select", "with", "values", "table", "show", "explain"})
# Volatile only because they differ between calls, not because they change anything.
HARMLESS = frozenset({"random", "clock_timestamp", "timeofday", "gen_random_uuid", "setseed"})
# One pass, as PostgreSQL's lexer reads them: strings (E'...' with backslash escapes,
# dollar-quoted), comments and quoted names; the first of them to start wins.
_TOKENS = re.compile(
    r"(?<!\w)[Ee]'(?:\\.|''|[^'\\])*'"  # E'...': backslash escapes
    r"|'(?:''|[^'])*'"  # '...'
    r"|\$(\w*)\$.*?\$\1\$"  # $tag$...$tag$
    r"|--[^\n]*|/\*.*?\*/"  # comments
    r'|"((?:""|[^"])*)"',  # "a quoted name"
    re.S)
_CALL = re.compile(r"(\w+)\s*\(")
_ONLY_READS = ("`factdb query sql` only reads (SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN); "
               "the database is unchanged")


def _code(sql: str) -> str:
    """``sql`` with strings and comments blanked and quoted names unquoted."""
    def blank(m: re.Match) -> str:
        if m.group(0).startswith('"'):
            return m.group(2).replace('""', '"')
        return " " if m.group(0).startswith(("--", "/*")) else "''"
    return _TOKENS.sub(blank, sql)


def _plan_calls(raw: psycopg.Connection, sql: str) -> set[str]:
    """Every function the server's plan for ``sql`` calls (EXPLAIN runs nothing)."""
    (plan,) = raw.execute(f"EXPLAIN (VERBOSE, FORMAT JSON) {sql}".replace("%", "%%"),
                          ()).fetchone()
    names: set[str] = set()

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str):
            if key == "Function Name":
                names.add(node.lower())
            names.update(m.group(1).lower() for m in _CALL.finditer(_code(node)))

    walk(plan)
    return names


def run_sql(conn: PgConnection, sql: str) -> Rows:
    """Run one read-only statement; raise FactdbError for a write, a refusal or bad SQL."""
    raw = conn.raw
    code = _code(sql)
    words = code.split()
    first = words[0].lower().lstrip("(") if words else ""
    if first not in READING:
        raise FactdbError(f"refused: {first.upper() or 'an empty statement'}: {_ONLY_READS}")
    if first == "explain" and re.search(r"\bANALY[SZ]E\b", code, re.I):
        raise FactdbError(f"refused: EXPLAIN ANALYZE (it runs the statement): {_ONLY_READS}")
    raw.rollback()
    try:
        raw.execute("BEGIN READ ONLY")
        called = {m.group(1).lower() for m in _CALL.finditer(code)}
        if first not in ("show", "explain"):
            called |= _plan_calls(raw, sql)
        _refuse_volatile(raw, called)
        cursor = psycopg.Cursor(raw)  # server-side binding: one statement at a time
        cursor.execute(sql.replace("%", "%%"), ())
        rows = cursor.fetchall() if cursor.description else []
    except psycopg.errors.ReadOnlySqlTransaction as exc:
        raise FactdbError(f"refused: {_first_line(exc)}: {_ONLY_READS}") from None
    except psycopg.errors.QueryCanceled:
        raise FactdbError("the statement ran longer than the time allowed (--timeout) and was "
                          "stopped; the database is unchanged") from None
    except psycopg.errors.SyntaxError as exc:
        if "multiple commands" in str(exc):
            raise FactdbError("give one SQL statement at a time") from None
        raise FactdbError(f"SQL error: {_first_line(exc)}") from None
    except psycopg.OperationalError as exc:
        raise FactdbError(f"lost the connection to the server ({_first_line(exc)})") from None
    except psycopg.Error as exc:
        raise FactdbError(f"SQL error: {_first_line(exc)}") from None
    finally:
        raw.rollback()
    columns = [d.name for d in cursor.description or ()]
    return Rows(columns, rows)


def _refuse_volatile(raw: psycopg.Connection, called: set[str]) -> None:
    if not called:
        return
    volatile = {name for (name,) in raw.execute(
        "SELECT DISTINCT proname FROM pg_proc WHERE provolatile = 'v' AND proname = ANY(%s)",
        (sorted(called),))} - HARMLESS
    if volatile:
        raise FactdbError(f"refused: the function {sorted(volatile)[0]}(): it may change "
                          f"the database or reach outside it; {_ONLY_READS}")


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
