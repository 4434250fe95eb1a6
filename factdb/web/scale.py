"""What keeps the site fast on a big database (a million statements): the pages that would
read every row of a table on every view are limited to tables small enough to read.

Used by ``factdb.web.config`` (facets, sorts, Datasette settings) and by the plugin (the rows
a canned query's page shows); measured by ``python -m bench --web-only DB``.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any
from urllib.parse import parse_qsl

from factdb.web import overhead

# A facet counts every row of its table on every view of the page (over a second for the
# statements at 1M), and a sort no index serves reads every row: default facets and such
# sorts only where a table has at most SCAN_ROWS rows, a view (whose rows cost joins, and
# whose own count may take a second) at most VIEW_SCAN_ROWS rows of its base table. On a
# bigger one a reader still asks for them (`?_facet=`, `?_sort=`), under Datasette's limits.
SCAN_ROWS = 50_000
VIEW_SCAN_ROWS = 5_000
UNINDEXED_SORTS = {"documents"}  # no index on published_on_earliest (the other sorts have one)
# Datasette settings `factdb serve` passes (`--setting NAME VALUE`): suggested facets try
# every column of a table on every view of its page (two seconds at 100k statements).
SETTINGS = {"suggest_facets": "off"}


def big(conn: sqlite3.Connection, bases: dict[str, str | None]) -> set[str]:
    """The tables and views (name -> the table its rows are; itself for a table; None for a
    view of no one table's rows, whose own rows are counted) with more rows than may be read
    on every view of their page."""
    return {name for name, base in bases.items()
            if _more_rows_than(conn, base or name,
                               SCAN_ROWS if name == base else VIEW_SCAN_ROWS)}


def _more_rows_than(conn: sqlite3.Connection, table: str, most: int) -> bool:
    """Whether ``table`` has more than ``most`` rows, counting no further than that."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM [{table}] LIMIT {most + 1})"
    return conn.execute(sql).fetchone()[0] > most


# A canned query's page (HTML) shows at most this many rows unless its form names a limit:
# a thousand rows (Datasette's most) of `conflicts` are 2 MB of HTML and 0.4 s at 1M.
PAGE_LIMIT = 100
_BIG_VIEWS: dict[tuple, set[str]] = {}  # (database, file version) -> its big views
# Arguments that leave a table page's count as it is (every row): a big view's page with no
# others shows the view's count once it has been counted, in the background, once per
# version of the file (``count_later``).
UNFILTERED = {"_sort", "_sort_desc", "_size", "_next"}
_COUNTING: dict[tuple, asyncio.Task] = {}  # (database, file version, view) -> its count


async def adjust(scope: dict, datasette: Any) -> dict:
    """The request ``scope`` with what keeps a page fast on a big database added to its
    query string: ``limit=PAGE_LIMIT`` on a canned query's HTML page that takes a limit and
    names none (the form then shows it); ``_nocount=1`` on the page of a view over more than
    VIEW_SCAN_ROWS rows (counting a view joins every row: a second at 1M statements, after
    which Datasette gives up anyway) unless the page shows all its rows and they have been
    counted. Any other request as it is."""
    from datasette.utils import tilde_decode

    from factdb.query.registry import QUERIES
    from factdb.web.config import VIEWS
    from factdb.web.reload import ReloadingDatabase

    parts = scope.get("path", "").strip("/").split("/")
    if scope.get("method") != "GET" or len(parts) != 2:
        return scope
    db = next((d for d in datasette.databases.values() if d.route == tilde_decode(parts[0])),
              None)
    if db is None:
        return scope
    query = scope.get("query_string", b"")
    given = {k for k, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)}
    name = parts[1].removesuffix(".json")
    if name == parts[1] and name in QUERIES and "limit" not in given \
            and any(p.name == "limit" for p in QUERIES[name].params):
        return _add(scope, f"limit={PAGE_LIMIT}")
    if name in VIEWS and "_nocount" not in given and isinstance(db, ReloadingDatabase):
        key = (db.name, db.identity())
        if key not in _BIG_VIEWS:
            for old in [k for k in _BIG_VIEWS if k[0] == db.name]:
                del _BIG_VIEWS[old]  # an earlier build of the file
            bases = {view: base for view, (_, base) in VIEWS.items()}
            _BIG_VIEWS[key] = await db.execute_fn(lambda conn: big(conn, bases))
        if name in _BIG_VIEWS[key]:
            if given <= UNFILTERED and overhead.view_count(db, name) is not None:
                return scope  # Datasette's count(*) is answered from the count
            count_later(db, name)
            return _add(scope, "_nocount=1")
    return scope


def count_later(db: Any, view: str) -> None:
    """Count every row of ``view`` in the version of the file this request reads, in a
    query thread and with no time limit, unless it is counted or being counted."""
    key = (db.name, db.identity(), view)
    counts = db.version_cache().setdefault("view_counts", {})
    if view in counts or key in _COUNTING:
        return

    async def count() -> None:
        try:
            counts[view] = await db.execute_fn(
                lambda conn: conn.execute(f"SELECT count(*) FROM [{view}]").fetchone()[0])
        except sqlite3.Error:
            counts[view] = None  # not counted, and not tried again for this version
        finally:
            _COUNTING.pop(key, None)

    _COUNTING[key] = asyncio.get_running_loop().create_task(count())


def _add(scope: dict, pair: str) -> dict:
    query = scope.get("query_string", b"")
    return {**scope, "query_string": query + b"&" + pair.encode() if query else pair.encode()}
