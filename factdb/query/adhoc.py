"""Ad hoc SQL, read-only by construction.

Two locks: the database is opened with ``mode=ro`` (see factdb.db), and an authorizer lets
SQLite compile only reads: SELECT, reading tables and views, ordinary functions, and
PRAGMAs that report. Anything else (INSERT, UPDATE, DELETE, DROP, CREATE, ATTACH, VACUUM,
writing PRAGMAs, load_extension) is refused before it runs, with a message saying what.
"""

from __future__ import annotations

import sqlite3

from factdb.errors import FactdbError
from factdb.query.run import Rows

# PRAGMAs that only report, whatever their argument (a table or index name).
REPORTING_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "database_list", "collation_list",
    "function_list", "module_list", "pragma_list", "compile_options", "integrity_check",
    "quick_check",
})
# PRAGMAs that are settings: reading them (no argument) is allowed, setting them is not.
SETTING_PRAGMAS = frozenset({
    "user_version", "schema_version", "application_id", "page_size", "page_count",
    "freelist_count", "encoding", "journal_mode", "foreign_keys", "auto_vacuum",
    "data_version", "cache_size", "busy_timeout",
})
REFUSED_FUNCTIONS = frozenset({"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"})
# SQLite asks about writing its own schema table before the statement's own action (DROP
# TABLE asks to DELETE from sqlite_master, then to DROP TABLE), and while compiling PRAGMA
# functions; those requests are let through, so that the refusal names what the statement
# does. Nothing can write anyway: the connection is mode=ro.
SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_schema", "sqlite_temp_master"})

_ACTIONS = {
    getattr(sqlite3, f"SQLITE_{name.replace(' ', '_')}"): name
    for name in (
        "CREATE INDEX", "CREATE TABLE", "CREATE TEMP INDEX", "CREATE TEMP TABLE",
        "CREATE TEMP TRIGGER", "CREATE TEMP VIEW", "CREATE TRIGGER", "CREATE VIEW", "DELETE",
        "DROP INDEX", "DROP TABLE", "DROP TEMP INDEX", "DROP TEMP TABLE", "DROP TEMP TRIGGER",
        "DROP TEMP VIEW", "DROP TRIGGER", "DROP VIEW", "INSERT", "TRANSACTION", "UPDATE",
        "ATTACH", "DETACH", "ALTER TABLE", "REINDEX", "ANALYZE", "CREATE VTABLE",
        "DROP VTABLE", "SAVEPOINT",
    )
}


class _Reads:
    """A sqlite3 authorizer that allows reading and remembers what it refused."""

    def __init__(self) -> None:
        self.refusals: list[tuple[str | None, str]] = []

    def __call__(self, action: int, arg1: str | None, arg2: str | None,
                 db_name: str | None, trigger: str | None) -> int:
        if self._allowed(action, arg1, arg2):
            return sqlite3.SQLITE_OK
        self.refusals.append((arg1, self._describe(action, arg1, arg2)))
        return sqlite3.SQLITE_DENY

    @property
    def refused(self) -> str | None:
        """What the statement tried, preferring its own target over SQLite's tables."""
        own = [what for target, what in self.refusals
               if not (target or "").lower().startswith("sqlite_")]
        return (own or [what for _, what in self.refusals] or [None])[0]

    @staticmethod
    def _allowed(action: int, arg1: str | None, arg2: str | None) -> bool:
        if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE):
            return True
        if action == sqlite3.SQLITE_FUNCTION:
            return (arg2 or "").lower() not in REFUSED_FUNCTIONS
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            return name in REPORTING_PRAGMAS or (name in SETTING_PRAGMAS and arg2 is None)
        writes_schema = action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE,
                                   sqlite3.SQLITE_DELETE)
        return writes_schema and (arg1 or "").lower() in SCHEMA_TABLES

    @staticmethod
    def _describe(action: int, arg1: str | None, arg2: str | None) -> str:
        if action == sqlite3.SQLITE_FUNCTION:
            return f"the function {arg2}()"
        if action == sqlite3.SQLITE_PRAGMA:
            return f"PRAGMA {arg1}" + (f" = {arg2}" if arg2 is not None else "")
        if action == sqlite3.SQLITE_ATTACH and not arg1:
            return "VACUUM"
        if action == sqlite3.SQLITE_ALTER_TABLE:
            return f"ALTER TABLE {arg2}"
        if action == sqlite3.SQLITE_ANALYZE:
            return "ANALYZE"
        what = _ACTIONS.get(action, f"action {action}")
        target = arg1 or ""
        return f"{what} {target}".strip()


def run_sql(conn: sqlite3.Connection, sql: str) -> Rows:
    """Run one read-only statement; raise FactdbError for a write, a refusal or bad SQL."""
    if not sql.strip():
        raise FactdbError("no SQL given; for example: factdb query sql \"SELECT id, title "
                          "FROM documents\"")
    if not isinstance(conn, sqlite3.Connection):  # factdb's PostgreSQL database
        from factdb.query import pgadhoc

        return pgadhoc.run_sql(conn, sql)
    reads = _Reads()
    conn.set_authorizer(reads)
    try:
        cursor = conn.execute(sql)
        rows = cursor.fetchall()
    except sqlite3.ProgrammingError as exc:
        if "one statement" in str(exc):
            raise FactdbError("give one SQL statement at a time") from None
        raise FactdbError(f"SQL error: {exc}") from None
    except sqlite3.Error as exc:
        if reads.refused is not None:
            raise FactdbError(f"refused: {reads.refused}: `factdb query sql` only reads "
                              "(SELECT, WITH, reporting PRAGMAs); the database is unchanged"
                              ) from None
        raise FactdbError(f"SQL error: {exc}") from None
    finally:
        conn.set_authorizer(None)
    columns = [d[0] for d in cursor.description or ()]
    return Rows(columns, rows)
