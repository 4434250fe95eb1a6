"""Replace some records' rows in a copy of an earlier database, leaving it as a full build
of the same seeds would be: the same rows with the same rowids, in every table.

Each table's rows are runs, one per record that owns them (OWNER), in the order the build
resolved the records. Runs before the first difference in a table stay where they are (a
changed record with as many rows as before is rewritten in place); from it on, the rows
are written again, moved or new. The full-text indexes follow through temporary triggers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from factdb.seeds.columns import COLUMNS, LOAD_ORDER
from factdb.seeds.corpus import Order

Key = tuple[str, str]
OWNER = {  # table -> (the column naming the record that owns a row, that record's sections)
    "documents": ("id", ("document",)),
    "boilerplate_regions": ("document_id", ("document",)),
    "skipped_passages": ("document_id", ("document",)),
    "actors": ("id", ("actors",)),
    "actor_aliases": ("actor_id", ("actors",)),
    "actor_roles": ("actor_id", ("actors",)),
    "facts": ("id", ("statements", "events")),
    "statements": ("id", ("statements",)),
    "statement_pieces": ("statement_id", ("statements",)),
    "events": ("id", ("events",)),
    "event_participants": ("event_id", ("events",)),
    "event_sources": ("event_id", ("events",)),
    "relations": ("id", ("relations",)),
}
FTS = {"documents": ("title", "text"), "statements": ("quote",),
       "events": ("description", "place")}


class Unexpected(Exception):
    """The earlier database is not as its build left it: build afresh instead."""


def owners(rows: dict[str, list[tuple]]) -> dict[str, dict[str, list[tuple]]]:
    """Rows (as the loader made them) grouped by the record that owns them."""
    out: dict[str, dict[str, list[tuple]]] = {}
    for table, table_rows in rows.items():
        at = COLUMNS[table].index(OWNER[table][0])
        grouped: dict[str, list[tuple]] = {}
        for row in table_rows:
            grouped.setdefault(row[at], []).append(row)
        out[table] = grouped
    return out


def splice(conn: sqlite3.Connection, order: Order, redone: set[Key],
           rows: dict[str, dict[str, list[tuple]]], previous: Order) -> dict[str, int]:
    """Make every table hold, in ``order``, the new ``rows`` of the records in ``redone``
    and the old rows of the others (``previous`` the order they are in: ``order`` itself
    when it is unchanged); return each table's row count. The caller commits."""
    _fts_triggers(conn)
    counts = {}
    listed: dict[tuple[int, tuple[str, ...]], list[Key]] = {}

    def owners_of(of: Order, sections: tuple[str, ...]) -> list[Key]:
        if (id(of), sections) not in listed:
            listed[(id(of), sections)] = of.of(sections)
        return listed[(id(of), sections)]

    for table in LOAD_ORDER:
        sections = OWNER[table][1]
        if previous is order:  # the same records in the same order: only the redone move
            # (listing every record of the sections took a fifth of a rebuild at 100k)
            got = _in_place(conn, table, sorted(k for k in redone if k[0] in sections),
                            redone, rows[table])
        elif owners_of(order, sections) == owners_of(previous, sections):
            got = _in_place(conn, table, owners_of(order, sections), redone, rows[table])
        else:
            got = None
        counts[table] = got if got is not None else _table(
            conn, table, owners_of(order, sections), redone, rows[table])
    for table in FTS:
        conn.execute(f"DROP TRIGGER temp.{table}_fts_del")
        conn.execute(f"DROP TRIGGER temp.{table}_fts_ins")
    return counts


def _fts_triggers(conn: sqlite3.Connection) -> None:
    for table, cols in FTS.items():
        fts, old, new = f"{table}_fts", ", ".join(f"old.{c}" for c in cols), ", ".join(
            f"new.{c}" for c in cols)
        conn.execute(f"CREATE TEMP TRIGGER {table}_fts_del AFTER DELETE ON main.{table} BEGIN "
                     f"INSERT INTO {fts}({fts}, rowid, {', '.join(cols)}) "
                     f"VALUES ('delete', old.rowid, {old}); END")
        conn.execute(f"CREATE TEMP TRIGGER {table}_fts_ins AFTER INSERT ON main.{table} BEGIN "
                     f"INSERT INTO {fts}(rowid, {', '.join(cols)}) "
                     f"VALUES (new.rowid, {new}); END")


def _in_place(conn: sqlite3.Connection, table: str, order: list[Key], redone: set[Key],
              new_rows: dict[str, list[tuple]]) -> int | None:
    """Where the owners are in the same order as before and each record written again has
    as many rows as before: rewrite those rows where they are; the row count. Else None."""
    column = OWNER[table][0]
    places = []
    for key in order:
        if key in redone:
            lo, hi, n = conn.execute(f"SELECT min(rowid), max(rowid), count(*) FROM {table} "
                                     f"WHERE {column} = ?", (key[1],)).fetchone()
            rows = new_rows.get(key[1], ())
            if n != len(rows) or (n and hi - lo + 1 != n):
                return None
            if n:
                places.append((lo, rows))
    cols = COLUMNS[table]
    insert = (f"INSERT INTO {table} (rowid, {', '.join(cols)}) "
              f"VALUES (?, {', '.join('?' * len(cols))})")
    for lo, rows in places:
        conn.execute(f"DELETE FROM {table} WHERE rowid BETWEEN ? AND ?", (lo, lo + len(rows) - 1))
        conn.executemany(insert, ((lo + i, *row) for i, row in enumerate(rows)))
    (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return count


def _runs(conn: sqlite3.Connection, table: str) -> list[tuple[str, int]]:
    """The table's (owner, rows) runs in rowid order; rowids must run 1, 2, ... n."""
    column = OWNER[table][0]
    runs: list[tuple[str, int]] = []
    last, n, total = None, 0, 0
    for owner, rowid in conn.execute(f"SELECT {column}, rowid FROM {table} ORDER BY rowid"):
        total += 1
        if rowid != total:
            raise Unexpected(f"{table}: rowid {rowid} where {total} was expected")
        if owner == last:
            n += 1
            continue
        if last is not None:
            runs.append((last, n))
        last, n = owner, 1
    if last is not None:
        runs.append((last, n))
    return runs


def _table(conn: sqlite3.Connection, table: str, order: list[Key], redone: set[Key],
           new_rows: dict[str, list[tuple]]) -> int:
    old = _runs(conn, table)
    old_count = dict(old)
    if len(old_count) != len(old):
        raise Unexpected(f"{table}: a record's rows are not together")
    new: list[tuple[str, int, bool]] = []  # (owner, rows, redone)
    for key in order:
        is_new = key in redone
        n = len(new_rows.get(key[1], ())) if is_new else old_count.get(key[1], 0)
        if n:
            new.append((key[1], n, is_new))
    cols = COLUMNS[table]
    insert = (f"INSERT INTO {table} (rowid, {', '.join(cols)}) "
              f"VALUES (?, {', '.join('?' * len(cols))})")
    k, start = 0, 1
    while k < len(new) and k < len(old) and new[k][:2] == old[k]:
        owner, n, is_new = new[k]
        if is_new:  # as many rows as before, in the same place
            conn.execute(f"DELETE FROM {table} WHERE rowid BETWEEN ? AND ?",
                         (start, start + n - 1))
            conn.executemany(insert, ((start + i, *row)
                                      for i, row in enumerate(new_rows[owner])))
        start += n
        k += 1
    if k == len(new) and k == len(old):
        return start - 1
    # From here on every row is written again: kept rows from a copy, shifted.
    base = start
    old_start = {}
    at = 1
    for owner, n in old:
        old_start[owner] = at
        at += n
    conn.execute("DROP TABLE IF EXISTS temp.moved")
    conn.execute(f"CREATE TEMP TABLE moved AS SELECT rowid AS r, {', '.join(cols)} "
                 f"FROM {table} WHERE rowid >= ?", (base,))
    conn.execute(f"DELETE FROM {table} WHERE rowid >= ?", (base,))
    moves: list[tuple[int, int, int]] = []  # (from, to, shift) of kept rows
    for owner, n, is_new in new[k:]:
        if is_new:
            _flush_moves(conn, table, cols, moves)
            conn.executemany(insert, ((start + i, *row)
                                      for i, row in enumerate(new_rows[owner])))
        else:
            lo = old_start[owner]
            shift = start - lo
            if moves and moves[-1][1] + 1 == lo and moves[-1][2] == shift:
                moves[-1] = (moves[-1][0], lo + n - 1, shift)
            else:
                moves.append((lo, lo + n - 1, shift))
        start += n
    _flush_moves(conn, table, cols, moves)
    conn.execute("DROP TABLE temp.moved")
    return start - 1


def _flush_moves(conn: sqlite3.Connection, table: str, cols: Iterable[str],
                 moves: list[tuple[int, int, int]]) -> None:
    listed = ", ".join(cols)
    for lo, hi, shift in moves:
        conn.execute(f"INSERT INTO {table} (rowid, {listed}) SELECT r + ?, {listed} "
                     "FROM temp.moved WHERE r BETWEEN ? AND ? ORDER BY r", (shift, lo, hi))
    moves.clear()
