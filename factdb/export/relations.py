"""What an export reads: relations (tables and views) with typed columns, row batches.

Everything here but ``sqlite_relations`` is plain DB-API and standard SQL; PostgreSQL lists
its relations in :mod:`factdb.export.pgsource`. Each relation is read in a fixed order (a
table by its primary key, a view by all its columns) that both engines sort alike, so the
same data gives the same files from either.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# The column types an export knows; each writer maps them to its own (Arrow, JSON).
INTEGER, REAL, TEXT, BLOB, BOOLEAN = "integer", "real", "text", "blob", "boolean"
NOT_EXPORTED = ("alembic_version",)  # Alembic's bookkeeping, not data
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    # The stored values are of several types (SQLite allows it): convert each to ``type``.
    coerce: bool = False
    # Read as ``CAST(column AS cast)``: a type the export writes otherwise (PostgreSQL's).
    cast: str = ""


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str  # "table" or "view"
    columns: tuple[Column, ...]
    order: tuple[str, ...] = ()  # ORDER BY's SQL expressions


def quote(identifier: str) -> str:
    """An SQL identifier in double quotes, as standard SQL (SQLite, PostgreSQL) reads it."""
    return '"' + identifier.replace('"', '""') + '"'


def sqlite_relations(conn: Any) -> list[Relation]:
    """The tables, then the views, of a SQLite database, by name; FTS tables (an index of
    ``documents`` and the like, not data of their own) and Alembic's table left out.

    A column's type is what its values are stored as (SQLite keeps a type per value): all
    integers give integer, integers and reals give real, anything else mixed gives text.
    Only a column with no values at all falls back on its declared type.
    """
    found = conn.execute(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master "
        "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite!_%' ESCAPE '!' "
        "ORDER BY type, name"
    ).fetchall()
    virtual = [name for kind, name, sql in found
               if kind == "table" and sql.upper().startswith("CREATE VIRTUAL TABLE")]
    relations = []
    for kind, name, _ in found:
        if name in NOT_EXPORTED or any(name == v or name.startswith(f"{v}_") for v in virtual):
            continue
        info = conn.execute(f"PRAGMA table_info({quote(name)})").fetchall()
        declared = [(row[1], row[2]) for row in info]
        # a table in its primary key's order, a view by all its columns
        key = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5] and kind == "table"]
        stored = conn.execute("SELECT " + ", ".join(
            f"group_concat(DISTINCT typeof({quote(c)}))" for c, _ in declared
        ) + f" FROM {quote(name)}").fetchone()
        columns = []
        for (column, declared_type), types in zip(declared, stored, strict=True):
            seen = set((types or "").split(",")) - {"", "null"}
            columns.append(Column(column, _type(declared_type, seen), coerce=len(seen) > 1))
        by_name = {c.name: c for c in columns}
        order = [_sqlite_order(by_name[k]) for k in key] or [_sqlite_order(c) for c in columns]
        relations.append(Relation(name, kind, tuple(columns), tuple(order)))
    return relations


def _sqlite_order(column: Column) -> str:
    """How a column sorts as PostgreSQL sorts it (NULLs first, text by its bytes): a column
    of mixed values by the values it is exported as (SQLite puts numbers before text)."""
    if column.coerce:
        return f"CAST({quote(column.name)} AS {'REAL' if column.type == REAL else 'TEXT'})"
    return quote(column.name)


def _type(declared: str, seen: set[str]) -> str:
    if not seen:  # no values: the declared type, read as SQLite reads it
        declared = declared.upper()
        if "INT" in declared or "BOOL" in declared:
            return INTEGER
        if any(t in declared for t in ("REAL", "FLOA", "DOUB")):
            return REAL
        return BLOB if "BLOB" in declared else TEXT
    if seen == {"integer"}:
        return INTEGER
    if seen <= {"integer", "real"}:
        return REAL
    return BLOB if seen == {"blob"} else TEXT


def batches(conn: Any, relation: Relation, size: int = BATCH_ROWS) -> Iterator[list[tuple]]:
    """The relation's rows in batches of at most ``size``, each value of its column's type."""
    cursor = conn.cursor()
    try:
        cursor.execute(select(relation))
        mixed = [(i, c.type) for i, c in enumerate(relation.columns) if c.coerce]
        while rows := cursor.fetchmany(size):
            if mixed:
                rows = [_coerced(row, mixed) for row in rows]
            yield rows
    finally:
        cursor.close()


def select(relation: Relation) -> str:
    """The query that reads ``relation``: its columns (cast where told), in its order."""
    columns = ", ".join(f"CAST({quote(c.name)} AS {c.cast})" if c.cast else quote(c.name)
                        for c in relation.columns)
    order = f" ORDER BY {', '.join(relation.order)}" if relation.order else ""
    return f"SELECT {columns} FROM {quote(relation.name)}{order}"


def _coerced(row: tuple, mixed: list[tuple[int, str]]) -> tuple:
    values = list(row)
    for i, type_ in mixed:
        value = values[i]
        if value is None:
            continue
        if type_ == REAL:
            values[i] = float(value)
        elif isinstance(value, bytes):
            values[i] = value.hex()
        else:
            values[i] = str(value)
    return tuple(values)


def json_safe(value: Any) -> Any:
    """A value JSON can hold: a non-finite real (SQLite keeps infinities) becomes null, bytes
    their hex digits."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes):
        return value.hex()
    return value
