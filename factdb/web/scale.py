"""What keeps the site fast on a big database (a million statements): the pages that would
read every row of a table on every view are limited to tables small enough to read.

Used by ``factdb.web.config`` (facets, sorts, Datasette settings) and by the plugin (the rows
a canned query's page shows); measured by ``python -m bench --web-only DB``.
"""

from __future__ import annotations

import sqlite3

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


def big(conn: sqlite3.Connection, bases: dict[str, str]) -> set[str]:
    """The tables and views (name -> the table its rows are; itself for a table) with more
    rows than may be read on every view of their page."""
    return {name for name, base in bases.items()
            if _more_rows_than(conn, base, SCAN_ROWS if name == base else VIEW_SCAN_ROWS)}


def _more_rows_than(conn: sqlite3.Connection, table: str, most: int) -> bool:
    """Whether ``table`` has more than ``most`` rows, counting no further than that."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM [{table}] LIMIT {most + 1})"
    return conn.execute(sql).fetchone()[0] > most


# A canned query's page (HTML) shows at most this many rows unless its form names a limit:
# a thousand rows (Datasette's most) of `conflicts` are 2 MB of HTML and 0.4 s at 1M.
PAGE_LIMIT = 100


def with_page_limit(scope: dict, routes: set[str]) -> dict:
    """The request ``scope`` of a canned query's HTML page that takes a ``limit`` and names
    none, with ``limit=PAGE_LIMIT`` added (the form then shows it); any other, as it is."""
    from urllib.parse import parse_qsl

    from datasette.utils import tilde_decode

    from factdb.query.registry import QUERIES

    parts = scope.get("path", "").strip("/").split("/")
    if scope.get("method") != "GET" or len(parts) != 2 or parts[1] not in QUERIES \
            or tilde_decode(parts[0]) not in routes \
            or not any(p.name == "limit" for p in QUERIES[parts[1]].params):
        return scope
    query = scope.get("query_string", b"")
    if any(k == "limit" for k, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)):
        return scope
    added = f"limit={PAGE_LIMIT}".encode()
    return {**scope, "query_string": query + b"&" + added if query else added}
