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
from factdb.query.registry import QUERIES
from factdb.web import guide, links, overhead, pages, reload, scale


@hookimpl
def prepare_connection(conn):
    sqlfunctions.register(conn)


@hookimpl
def startup(datasette):
    reload.install(datasette)
    overhead.remember_table_permissions(datasette)
    pages.install_templates(datasette)


@hookimpl
def register_routes():
    return pages.routes()


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def pinned(scope, receive, send):
            if scope.get("type") == "http":
                reload.pin(datasette)
                scope = await scale.adjust(scope, datasette)
            await app(scope, receive, send)

        return pinned

    return wrap


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """A cell naming a record links to its factdb page (see ``factdb.web.links``); other
    foreign keys link to their row, for a database whose name holds characters HTML or
    URLs treat specially: Datasette 0.65 writes the name into that link raw."""
    mine = links.render(row, value, column, table, database, datasette)
    if mine is not None:
        return mine
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


@hookimpl
def extra_template_vars(template, database, request, datasette):
    """The home page's corpus summary; a canned query form's choices, example, message."""
    if template == "index.html":
        async def home():
            found = []
            for name, db in datasette.databases.items():
                if name != "_internal" and await _is_factdb(db):
                    found.append(await db.execute_fn(lambda conn, n=name: guide.home(conn, n)))
            return {"factdb_home": found}

        return home
    query = request.path.rsplit("/", 1)[-1] if request else ""
    if template == "query.html" and database and query in QUERIES:
        given = {k: request.args.get(k, "") for k in request.args}

        async def form():
            db = datasette.get_database(database)
            return {"factdb_form": await db.execute_fn(
                lambda conn: guide.form(conn, database, query, given))}

        return form
    return {}


async def _is_factdb(db) -> bool:
    return "statements" in await db.table_names() and "relation_details" in await db.view_names()
