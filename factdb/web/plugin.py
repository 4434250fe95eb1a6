"""factdb's Datasette plugin: the SQL functions the canned queries call, and databases that
follow their file when `factdb build` replaces it (see ``factdb.web.reload``).

Loaded by Datasette through the ``datasette`` entry point in pyproject.toml, so the plain
``datasette factdb.db -m metadata.json`` command has them as well as ``factdb serve``.
"""

from __future__ import annotations

from datasette import hookimpl

from factdb.query import sqlfunctions
from factdb.web import reload


@hookimpl
def prepare_connection(conn):
    sqlfunctions.register(conn)


@hookimpl
def startup(datasette):
    reload.install(datasette)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def pinned(scope, receive, send):
            if scope.get("type") == "http":
                reload.pin(datasette)
            await app(scope, receive, send)

        return pinned

    return wrap
