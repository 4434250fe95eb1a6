"""factdb's Datasette plugin: the SQL functions the canned queries call.

Loaded by Datasette through the ``datasette`` entry point in pyproject.toml, so the plain
``datasette factdb.db -m metadata.json`` command has them as well as ``factdb serve``.
"""

from __future__ import annotations

from datasette import hookimpl

from factdb.query import sqlfunctions


@hookimpl
def prepare_connection(conn):
    sqlfunctions.register(conn)
