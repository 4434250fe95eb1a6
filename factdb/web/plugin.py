"""factdb's Datasette plugin: the SQL functions the canned queries call, and databases that
follow their file when `factdb build` replaces it (see ``factdb.web.reload``).

Loaded by Datasette through the ``datasette`` entry point in pyproject.toml, so the plain
``datasette factdb.db -m metadata.json`` command has them as well as ``factdb serve``.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

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


@hookimpl
def render_cell(value, column, table, database, datasette):
    """A link to the row a foreign key names, for a database whose name holds characters
    HTML or URLs treat specially: Datasette 0.65 writes the name into that link raw."""
    if not isinstance(value, dict) or set(value) != {"value", "label"} \
            or escape(database) == database == tilde_encode(database):
        return None  # Datasette's own rendering is right

    async def link():
        keys = await datasette.get_database(database).foreign_keys_for_table(table)
        other = next((k["other_table"] for k in keys if k["column"] == column), None)
        if other is None:
            return None
        href = f"{datasette.urls.table(database, other)}/{tilde_encode(str(value['value']))}"
        shown = escape(value["value"])
        if value["label"] == value["value"]:
            return Markup(f'<a href="{escape(href)}">{shown}</a>')
        return Markup(f'<a href="{escape(href)}">{escape(value["label"]) or "-"}</a>'
                      f"&nbsp;<em>{shown}</em>")

    return link
