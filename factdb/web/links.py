"""Table cells that name a record become links to its factdb page, shown by its label.

Used by the plugin's ``render_cell`` hook on every table, view and canned query page: an
actor shows its name, a document its headline and outlet, an event its description, with
the id still visible; an event's source count links to its ``sources`` query.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any

from datasette.utils import tilde_encode
from markupsafe import Markup, escape

from factdb.web import facts, pages
from factdb.web.reload import ReloadingDatabase

# Column name -> the kind of record it names (whatever table or query it is in).
COLUMN_KINDS = {
    **dict.fromkeys(("speaker_id", "actor_id", "relayed_by_id", "publisher_id",
                     "fact_relayed_by_id", "other_relayed_by_id", "fact_publisher_id",
                     "other_publisher_id"), "actor"),
    **dict.fromkeys(("document_id", "fact_document_id", "other_document_id"), "document"),
    "statement_id": "statement",
    "event_id": "event",
    "fact_id": "fact",
    "other_fact_id": "fact",
    "relation_id": "relation",
}
# A table's own id column, and the column whose text links to the record's page.
ID_TABLES = {"actors": "actor", "documents": "document", "events": "event",
             "statements": "statement", "facts": "fact", "relations": "relation"}
TEXT_COLUMNS = {("statements", "quote"): "statement", ("events", "description"): "event",
                ("documents", "title"): "document", ("actors", "name"): "actor",
                ("statement_details", "quote"): "statement"}
LABEL_TABLES = {"actor": "actors", "document": "documents", "event": "events",
                "relation": "relations"}
_ALL: dict[tuple, dict[str, str] | None] = {}  # (database, file version, kind) -> labels
_MAX_ALL = 300_000  # more records than this are labelled one by one (LRU below)
_CACHE: OrderedDict[tuple, str | None] = OrderedDict()
_CACHE_SIZE = 20_000


def kind_of(row: Any, column: str, table: str | None) -> str | None:
    """The kind of record a cell names, or None for a cell that names none."""
    if column in COLUMN_KINDS:
        return COLUMN_KINDS[column]
    if column == "id" and table in ID_TABLES:
        return ID_TABLES[table]
    if column == "record_id" and table == "evidence" and _get(row, "table_name") == "statements":
        return "statement"
    if column == "id" and table is None and _get(row, "kind") in ("statement", "event",
                                                                 "document", "role"):
        return {"role": "actor"}.get(_get(row, "kind"), _get(row, "kind"))
    return None


def _get(row: Any, key: str) -> Any:
    try:
        value = row[key]
    except (KeyError, IndexError, TypeError):
        return None
    return value["value"] if isinstance(value, dict) else value


def render(row: Any, value: Any, column: str, table: str | None, database: str,
           datasette: Any) -> Any:
    """The render_cell answer: None (Datasette's own) or an awaitable of Markup."""
    if table and (table, column) in TEXT_COLUMNS and isinstance(value, str):
        record = _get(row, "statement_id" if table == "statement_details" else "id")
        if record is not None:
            href = pages.url(database, TEXT_COLUMNS[table, column], str(record))
            return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if column == "documents" and table in (None, "event_timeline") \
            and _get(row, "event_id") is not None:
        href = f"/{tilde_encode(database)}/sources?event={tilde_encode(str(row['event_id']))}"
        return Markup(f'<a href="{escape(href)}" title="the sources of this event">'
                      f'{escape(value)}</a>')
    kind = kind_of(row, column, table)
    if kind is None:
        return None
    raw = value["value"] if isinstance(value, dict) else value
    if raw in (None, ""):
        return None
    return _link(datasette, database, kind, str(raw))


async def _link(datasette: Any, database: str, kind: str, record_id: str) -> Markup:
    # Plain f-strings of escaped parts: Markup.format costs 40 us a call, and a page of a
    # canned query may hold thousands of these cells.
    db = datasette.get_database(database)
    shown = escape(record_id)
    if kind == "relation":  # a pair on its side-by-side page
        relation = await _label(db, database, "relation", record_id)
        if relation is None:
            return shown
        page = "conflicts" if relation == "contradicts" else "corroborations"
        return Markup(f'<a href="{escape(pages.url(database, page))}#{shown}">{shown}</a>')
    if kind == "fact":
        kind = "event" if await _label(db, database, "event", record_id) else "statement"
    label = await _label(db, database, kind, record_id)
    href = escape(pages.url(database, kind, record_id))
    if kind == "statement" or not label:
        return Markup(f'<a href="{href}">{shown}</a>')
    html = f'<a href="{href}">{escape(label)}</a> <span class="factdb-id">{shown}</span>'
    if kind == "actor":
        said = f"/{tilde_encode(database)}/said?name={tilde_encode(record_id)}"
        html += f' <a class="factdb-said" href="{escape(said)}">said</a>'
    return Markup(html)


def _version(db: Any) -> tuple:
    if isinstance(db, ReloadingDatabase):
        return db.identity()  # the version the request reads, without a stat per cell
    try:
        st = os.stat(db.path)
        return st.st_ino, st.st_size, st.st_mtime_ns
    except (OSError, TypeError):
        return ()


async def _label(db: Any, database: str, kind: str, record_id: str) -> str | None:
    """A record's label: from all labels of its kind, read once per version of the file
    (one query, not one a cell), or one by one for a kind with too many records."""
    if kind not in LABEL_TABLES:
        return None
    version = _version(db)
    key = (database, version, kind)
    if key not in _ALL:
        for old in [k for k in _ALL if k[0] == database and k[1] != version]:
            del _ALL[old]  # an earlier build of the file
        _ALL[key] = await db.execute_fn(lambda conn: facts.all_labels(conn, kind, _MAX_ALL))
    every = _ALL[key]
    if every is not None:
        return every.get(record_id)
    one = (database, version, kind, record_id)
    if one not in _CACHE:
        _CACHE[one] = await db.execute_fn(
            lambda conn: facts.label(conn, LABEL_TABLES[kind], record_id))
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return _CACHE[one]
