"""What Datasette works out again on every page though its answer cannot change: asked once.

A file ``factdb serve`` serves changes only when a build replaces it (``factdb.web.reload``),
and its metadata not at all while it runs. Yet Datasette 0.65 asks the schema (names,
columns, keys, full-text tables, definitions) over and over, each question a hop to a query
thread (about 170 on the home page), and checks the permission to see each table by
deep-copying the whole metadata twice (about 70 times on the home page). Here each answer is
kept: the schema's for the version of the file a request reads, the permissions' for as
long as the metadata is the same. Every version's tables are counted in full once (as
Datasette counts a file's as it starts), so a table page need not count its table again.
Measured by ``python -m bench --web-only DB``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

# Datasette's Database methods that read nothing but the schema (and metadata that does not
# change while Datasette runs).
SCHEMA_METHODS = (
    "attached_databases", "table_exists", "table_names", "view_names", "hidden_table_names",
    "table_columns", "table_column_details", "primary_keys", "fts_table",
    "foreign_keys_for_table", "get_all_foreign_keys", "get_table_definition",
    "get_view_definition",
)
# The SQL Datasette 0.65 runs before each check of the permission to see a table or view
# (its name as SQLite spells it): an answer of the schema too.
PERMISSION_SQL = ("select name from sqlite_master "
                  "where type in ('table', 'view') and name = ? collate nocase")

# The time limit Datasette 0.65 gives its count of every table of an immutable file as it
# starts (``Datasette.app``): a rebuilt file is counted with it too.
COUNT_MS = 60 * 60 * 1000


def per_version(method: Callable) -> Callable:
    """``method`` (a schema question) answered once per version of the file: the answer is
    kept in the version's cache (``version_cache()``), and a copy returned, since a caller may
    change what it is given."""
    name = method.__name__

    async def once(self: Any, *args: Any, **kwargs: Any) -> Any:
        cache = self.version_cache()
        key = ("schema", name, args, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = await method(self, *args, **kwargs)
        return copy.deepcopy(cache[key])

    once.__name__ = once.__qualname__ = name
    once.__doc__ = method.__doc__
    return once


def known_answer(cache: dict, sql: str, params: Any) -> tuple[Any, Any]:
    """For ``execute(sql, params)`` on one version: (the key to keep its answer under, or
    None; the answer already known, or None). Known: the permission lookup once asked, and
    a whole table's ``count(*)`` once Datasette has counted the version's tables (it does for
    the home page; the table page would count again on every view), or a view's once
    counted (``scale.count_later``)."""
    if sql == PERMISSION_SQL and isinstance(params, (tuple, list)):
        key = ("sql", sql, *params)
        return key, cache.get(key)
    counts = {**(cache.get("counts") or {}), **cache.get("view_counts", {})}
    if counts and not params and sql.startswith("select count(*) from ") and sql.endswith(" "):
        table = sql.removeprefix("select count(*) from ").strip()
        from datasette.utils import escape_sqlite

        found = next((n for t, n in counts.items() if escape_sqlite(t) == table), None)
        if found is not None:
            from datasette.database import Results

            return None, Results([(found,)], False, (("count(*)",) + (None,) * 6,))
    return None, None


def view_count(db: Any, view: str) -> int | None:
    """Every row of ``view`` in the version of the file this request reads, if counted."""
    return db.version_cache().get("view_counts", {}).get(view)


def remember_table_permissions(datasette: Any) -> None:
    """Keep, per table, the allow-lists Datasette reads from the metadata to decide who may
    see it: the same lists, worked out once while the metadata stays the same object. Left
    as it is if another plugin supplies metadata (``get_metadata``, which may change)."""
    from datasette.plugins import pm

    original = getattr(datasette, "_table_permission_allows", None)
    if original is None or pm.hook.get_metadata.get_hookimpls():
        return
    kept: dict[tuple[str, str], list] = {}
    source: list = [datasette._metadata_local]

    def allows(database: str, table: str) -> list:
        if datasette._metadata_local is not source[0]:  # replaced: forget what was kept
            kept.clear()
            source[0] = datasette._metadata_local
        if (database, table) not in kept:
            kept[database, table] = original(database, table)
        return copy.deepcopy(kept[database, table])

    datasette._table_permission_allows = allows
