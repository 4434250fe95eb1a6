"""Export from PostgreSQL: factdb's schema listed from the catalogue, read in one snapshot.

The relations are those a SQLite export writes, with the same columns and types: the
tables, then the views, of the schema ``factdb``, by name, without Alembic's table, the
marker table (:mod:`factdb.store.postgres`) and the full-text columns (``tsvector``: an
index, as SQLite's FTS tables are). A boolean is read as the 0/1 integer SQLite stores.
Everything is read in one ``REPEATABLE READ, READ ONLY`` transaction through server-side
cursors, so a million rows are fetched in batches, never held at once. Only an export
given a ``postgresql://`` URL imports this module (and psycopg).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from factdb.errors import FactdbError
from factdb.export.relations import BLOB, INTEGER, NOT_EXPORTED, REAL, TEXT, Column, Relation, quote
from factdb.store import postgres as pg
from factdb.store.db import check_revision, shown

NOT_DATA = (*NOT_EXPORTED, pg.MARKER)
NOT_DATA_TYPES = ("tsvector", "tsquery")
# PostgreSQL's type -> (the export's type, what to read it as where that differs)
_TYPES = {"int2": (INTEGER, ""), "int4": (INTEGER, ""), "int8": (INTEGER, ""),
          "bool": (INTEGER, "integer"), "float4": (REAL, "double precision"),
          "float8": (REAL, ""), "numeric": (REAL, "double precision"), "text": (TEXT, ""),
          "varchar": (TEXT, ""), "bpchar": (TEXT, ""), "bytea": (BLOB, "")}
FETCH_ROWS = 5_000  # rows a server-side cursor brings per round trip when iterated

_CATALOGUE = """
SELECT c.relname, CASE WHEN c.relkind IN ('r', 'p', 'f') THEN 'table' ELSE 'view' END AS kind,
       a.attname, t.typname, array_position(i.indkey::int2[], a.attnum)
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = coalesce(nullif((SELECT typbasetype FROM pg_type d
                                           WHERE d.oid = a.atttypid), 0), a.atttypid)
LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
ORDER BY kind, c.relname COLLATE "C", a.attnum
"""


def pg_relations(raw: psycopg.Connection, collate: str = "") -> list[Relation]:
    """factdb's tables, then views, by name, with their columns' export types; ``collate``
    follows each text column in ORDER BY (``COLLATE "C"``: sort as SQLite does)."""
    found: dict[tuple[str, str], list[tuple[Column, int | None]]] = {}
    for name, kind, column, typname, key in raw.execute(_CATALOGUE, (pg.SCHEMA,)):
        if name in NOT_DATA or typname in NOT_DATA_TYPES:
            continue
        type_, cast = _TYPES.get(typname, (TEXT, "text"))
        found.setdefault((kind, name), []).append((Column(column, type_, cast=cast), key))
    relations = []
    for (kind, name), columns in found.items():
        keyed = sorted((key, c) for c, key in columns if key is not None and kind == "table")
        order = [c for _, c in keyed] or [c for c, _ in columns]
        relations.append(Relation(name, kind, tuple(c for c, _ in columns),
                                  tuple(_order(c, collate) for c in order)))
    return relations


def _order(column: Column, collate: str) -> str:
    return quote(column.name) + (collate if column.type == TEXT else "") + " NULLS FIRST"


class ServerCursors:
    """The connection the writers are given: each ``cursor()`` a named (server-side) cursor
    of the one snapshot transaction."""

    def __init__(self, raw: psycopg.Connection):
        self.raw = raw
        self._names = itertools.count(1)

    def cursor(self) -> psycopg.ServerCursor:
        cursor = self.raw.cursor(name=f"factdb_export_{next(self._names)}")
        cursor.itersize = FETCH_ROWS
        return cursor


@dataclass(frozen=True)
class Snapshot:
    conn: ServerCursors
    relations: list[Relation]
    source: dict[str, str]
    collate: str  # for text in ORDER BY


@contextlib.contextmanager
def snapshot(url: str, output: Path) -> Iterator[Snapshot]:
    """factdb's database at ``url`` (refused as `factdb query` refuses it), open in one
    read-only snapshot; a failure while reading is one FactdbError naming ``output``."""
    conn = pg.connect_readonly(url)
    raw = conn.raw
    try:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
        check_revision(shown(url), row[0] if row else None)  # type: ignore[arg-type]
        (collation,) = raw.execute("SELECT datcollate FROM pg_database "
                                   "WHERE datname = current_database()").fetchone()  # type: ignore
        collate = "" if collation in ("C", "POSIX") else ' COLLATE "C"'
        yield Snapshot(ServerCursors(raw), pg_relations(raw, collate),
                       {"path": shown(url), "schema_revision": row[0]}, collate)  # type: ignore
    except psycopg.errors.QueryCanceled:
        raise FactdbError(f"{shown(url)}: a read ran longer than the {_seconds()} s statement "
                          f"timeout and was stopped; {output} is unchanged") from None
    except psycopg.Error as exc:
        if raw.closed or raw.broken:
            raise FactdbError(f"{shown(url)}: lost the connection to the server "
                              f"({_first_line(exc)}); {output} is unchanged") from None
        raise FactdbError(f"{shown(url)}: could not read the database ({_first_line(exc)}); "
                          f"{output} is unchanged") from None
    finally:
        conn.close()


def _seconds() -> int:
    return pg.STATEMENT_TIMEOUT_MS // 1000


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


__all__ = ["Snapshot", "pg_relations", "snapshot"]
