"""Datasette's configuration for a factdb database, generated from the query registry and models.

``configuration(db)`` is the one source: ``factdb serve`` passes it to Datasette and
``factdb datasette-config`` writes it out, so the plain ``datasette`` command gives the same
site. Canned queries come from ``factdb.queries.QUERIES`` (never a second copy of the SQL);
table descriptions from the models' docstrings; column descriptions, for exactly the columns
the database has, from their names, foreign keys and the notes below.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from factdb.store.db import connect_readonly
from factdb.web import scale

# Datasette 0.65 (pinned in pyproject.toml) reads everything below from metadata, `-m`.
METADATA_OPTION = "-m"
TITLE = "Curated facts from news coverage"
SUMMARY = (
    "Who said what, what happened and when, and which source says so: facts curated from "
    "news articles, each pointing at the exact words of its source."
)

SOURCE = "factdb's curated seeds: the news articles listed on the home page"
LICENSE = "Article texts remain their publishers' copyright, quoted here as evidence"

# label_column: the column a foreign key to the table shows instead of the bare id.
LABELS = {"actors": "name", "documents": "title", "events": "description", "facts": "id"}
FACETS = {
    "statements": ["speaker_id", "document_id", "speech"],
    "events": ["date_precision", "date_basis", "kind"],
    "documents": ["publisher_id", "language", "published_on_precision"],
    "actors": ["kind"],
    "actor_aliases": ["actor_id"],
    "actor_roles": ["actor_id", "document_id"],
    "event_participants": ["actor_id", "role"],
    "event_sources": ["document_id", "relayed_by_id"],
    "relations": ["kind"],
    "boilerplate_regions": ["document_id", "kind"],
    "skipped_passages": ["document_id"],
    "facts": ["kind"],
    "statement_details": ["speaker", "document_title", "speech"],
    "event_timeline": ["date_precision", "date_basis"],
    "event_source_details": ["event", "document_title"],
    "relation_details": ["kind", "independent"],
}
SORT = {
    "statements": "said_on_earliest",
    "events": "date_earliest",
    "actors": "name",
    "actor_aliases": "normalized",
    "event_sources": "event_id",
    "relations": "kind",
}
SORT_DESC = {"documents": "published_on_earliest"}
# Full-text indexes (migration 0001): external-content FTS5 tables over these tables.
FTS = {"documents": "documents_fts", "statements": "statements_fts", "events": "events_fts"}
HIDDEN = ("alembic_version",)
OTHER_TABLES = {"alembic_version": "The schema's revision (see `factdb db current`)"}

# The views of migration 0002: their description and the table most columns come from.
VIEWS = {
    "statement_details": (
        "Each statement with its speaker's name, its relay and its document: no joins needed.",
        "statements"),
    "event_timeline": (
        "Events in date order (a month sorts with its first day), with how many documents "
        "report each and who took part.", "events"),
    "event_source_details": (
        "Each piece of evidence for an event, with its document and publication date.",
        "event_sources"),
    "relation_details": (
        "Each corroboration or contradiction with both sides' words, speakers or sources, "
        "and whether the sides are independent.", "relations"),
    "evidence": ("Every row that points at words of a document, whatever table holds it.",
                 None),
    "date_conflicts": ("Dates of one event that cannot both be true: two sources' own "
                       "dates, or a source's and the event's.", "event_sources"),
}
# Columns whose meaning their name and foreign key do not give.
COLUMN_NOTES = {
    ("actors", "name"): "The name the actor is best known by",
    ("actors", "kind"): "person, organisation, government-body, state or media-outlet",
    ("actors", "description"): "Who the actor is, in a few words",
    ("actors", "party"): "Political party, for politicians",
    ("actor_summaries", "section"): "statements (said), events (took part in) or documents "
                                    "(appears in)",
    ("actor_summaries", "n"): "How many, deprecated facts left out",
    ("actor_summaries", "first"): "The first one's date, deprecated facts left out",
    ("actor_summaries", "last"): "The last one's date, deprecated facts left out",
    ("actor_summaries", "n_all"): "How many, every fact counted",
    ("actor_summaries", "first_all"): "The first one's date, every fact counted",
    ("actor_summaries", "last_all"): "The last one's date, every fact counted",
    ("documents", "title"): "The article's headline",
    ("documents", "publisher_id"): "The outlet that published it",
    ("documents", "author"): "Byline, as printed",
    ("documents", "url"): "Where the article was published",
    ("documents", "language"): "Language of the text (ISO 639 code)",
    ("documents", "is_machine_translation"): "1 if the text is a machine translation",
    ("documents", "translated_from"): "Language of the original, for a translation",
    ("documents", "file_name"): "The text file under seeds/texts/",
    ("documents", "sha256"): "SHA-256 of the text file, checked at build",
    ("documents", "text"): "The full text that every offset points into",
    ("documents", "republished_from_id"): "The outlet whose report the page carries",
    ("statement_pieces", "seq"): "The piece's place in the quote (1, 2, ...)",
    ("date_conflicts", "against"): "The other source's document, or 'the event'",
    ("date_conflicts", "against_date"): "The date it gives",
    ("date_conflicts", "against_words"): "The words that give it",
    ("boilerplate_regions", "kind"): "navigation, caption, related-links, advert, ...",
    ("skipped_passages", "words"): "The passage's exact words",
    ("skipped_passages", "reason"): "Why no fact was recorded for it",
    ("actor_aliases", "alias"): "The spelling, as written",
    ("actor_aliases", "normalized"): "Lower case, no diacritics or punctuation: what names match",
    ("actor_aliases", "document_id"): "A document the spelling is seen in (empty if none)",
    ("actor_roles", "role"): "The role, e.g. Foreign Minister of Finland",
    ("actor_roles", "words"): "The document's words that give the role",
    ("facts", "kind"): "statement or event",
    ("statements", "speaker_id"): "Who said it",
    ("statements", "document_id"): "The document that reports it",
    ("statements", "quote"): "The exact words of the document",
    ("statements", "speech"): "direct (a quotation) or reported (paraphrase)",
    ("statements", "venue"): "Where it was said",
    ("statements", "relayed_by_id"): "Who passed the words on (e.g. a news agency)",
    ("events", "description"): "What happened, in a curator's words",
    ("events", "kind"): "A curator's category, e.g. letter, meeting",
    ("events", "place"): "Where it happened",
    ("event_participants", "role"): "The actor's part in the event",
    ("event_sources", "words"): "The document's words that report the event",
    ("event_sources", "relayed_by_id"): "Who passed the report on",
    ("relations", "kind"): "corroborates or contradicts",
    ("relations", "fact_id"): "The first fact",
    ("relations", "fact_document_id"): "The document whose version of the first fact is meant",
    ("relations", "other_fact_id"): "The fact it corroborates or contradicts",
    ("relations", "other_document_id"): "The document whose version of the other fact is meant",
    ("statement_details", "statement_id"): "The statement (→ statements)",
    ("event_timeline", "event_id"): "The event (→ events)",
    ("event_timeline", "documents"): "How many documents report the event",
    ("event_timeline", "participants"): "Names of the actors who took part",
    ("event_source_details", "event_source_id"): "The evidence row (→ event_sources)",
    ("event_source_details", "event"): "What happened",
    ("event_source_details", "event_date"): "When it happened",
    ("relation_details", "relation_id"): "The relation (→ relations)",
    ("relation_details", "independent"): "yes, or no and why (same document, outlet or relay)",
    **{("relation_details", f"{side}_{name}"): f"{label}: {text}"
       for side, label in (("fact", "First fact"), ("other", "Other fact"))
       for name, text in (
           ("kind", "statement or event"),
           ("speaker_or_source", "who said it, or who reports it"),
           ("document_id", "its document (→ documents)"),
           ("words", "the quote, or the evidence words"),
           ("relayed_by_id", "who passed it on (→ actors)"),
           ("publisher_id", "the outlet that published its document (→ actors)"),
           ("origin_id", "whose words it carries (an actor or a document)"))},
    ("evidence", "table_name"): "The table that holds the row",
    ("evidence", "record_id"): "The row's id in that table",
    ("alembic_version", "version_num"): "The migration the schema is at",
}
# View columns that several views share.
VIEW_COLUMNS = {
    "speaker": "The speaker's name",
    "relayed_by": "The name of who passed it on",
    "document_id": "The document (→ documents)",
    "document_title": "The document's headline",
    "publisher": "The name of the outlet that published the document",
    "publisher_id": "The outlet that published the document (→ actors)",
    "published_on": "When the document was published",
    "published_on_earliest": "First day the publication date can mean (YYYY-MM-DD)",
}
# Column descriptions fill the top of every table page: set them out in two compact columns.
CSS = ("dl.column-descriptions{display:grid;grid-template-columns:repeat(2,max-content 1fr);"
       "gap:0 1em;font-size:0.85em}dl.column-descriptions dd{margin:0;color:#555}")
# The seven columns of a date (see models._date_columns), by suffix.
DATE_PARTS = {
    "": "The date as curated: YYYY, YYYY-MM or YYYY-MM-DD",
    "_precision": "year, month or day",
    "_basis": "stated (the text gives it) or inferred (worked out by a curator)",
    "_words": "The words that give the date",
    "_inferred_from": "How an inferred date was worked out",
    "_earliest": "First day the date can mean (YYYY-MM-DD), for sorting and ranges",
    "_latest": "Last day the date can mean (YYYY-MM-DD)",
}
DATE_PREFIXES = ("published_on", "said_on", "date", "source_date")
GENERIC = {
    "note": "A curator's note",
    "status": "preferred, normal or deprecated (a deprecated fact is kept, with its reason)",
    "status_reason": "Why the fact is preferred or deprecated",
    "origin_id": "Whose words these first were: an actor's or a document's id",
    "words": "The document's exact words",
    "start_offset": "Where the words start in the document's text (character offset)",
    "end_offset": "Where the words end in the document's text (character offset)",
}


def database_name(db: Path) -> str:
    """The name Datasette gives a database file: its stem."""
    return Path(db).stem


def configuration(db: Path) -> dict[str, dict[str, Any]]:
    """Datasette's configuration for ``db``, keyed by the option that passes each file.

    Datasette 0.65 reads canned queries and table settings from metadata (``-m``). The 1.0
    alphas read them from datasette.yaml (``-c``) and keep only descriptions in metadata; to
    move, make the return line ``{"-m": metadata, "-c": settings}``.
    """
    name = database_name(db)
    schema, big = _schema(db)
    metadata, settings = _metadata(name, schema), _settings(name, big)
    return {METADATA_OPTION: _merge(metadata, settings)}


def _merge(a: dict, b: dict) -> dict:
    """A deep merge of two nested dicts (``b`` wins on a clash of plain values)."""
    merged = dict(a)
    for key, value in b.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    target: str | None  # the table a foreign key points to


def _schema(db: Path) -> tuple[dict[str, list[Column]], set[str]]:
    """Every table and view a user browses, with its columns in order; and those of FACETS
    and UNINDEXED_SORTS too big to scan on every view of their page (see ``scale``)."""
    conn = connect_readonly(db)  # a missing or out-of-date database is a user error
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' ORDER BY type, name")]
        schema = {}
        for name in names:
            targets = {r[3]: r[2] for r in conn.execute(f"PRAGMA foreign_key_list([{name}])")}
            schema[name] = [Column(r[1], r[2], targets.get(r[1]))
                            for r in conn.execute(f"PRAGMA table_info([{name}])")]
        bases = {name: (VIEWS[name][1] or name) if name in VIEWS else name
                 for name in {*FACETS, *scale.UNINDEXED_SORTS} if name in schema}
        return schema, scale.big(conn, bases)
    finally:
        conn.close()


def _metadata(database: str, schema: dict[str, list[Column]]) -> dict:
    """What Datasette 1.0 still calls metadata: titles, descriptions, column descriptions."""
    from factdb.query.registry import QUERIES

    docs = _model_docs()
    tables = {}
    for name, columns in schema.items():
        description = VIEWS[name][0] if name in VIEWS else docs.get(name, OTHER_TABLES.get(name))
        described = {c.name: _describe(schema, name, c) for c in columns}
        tables[name] = {"description": description,
                        "columns": {c: text for c, text in described.items() if text}}
    home = _home_page(database, QUERIES)
    return {
        "title": TITLE,
        "source": SOURCE,
        "license": LICENSE,
        "description_html": home,
        "databases": {database: {"title": "factdb", "description_html": home,
                                 "tables": tables}},
    }


def _settings(database: str, big: set[str]) -> dict:
    """What Datasette 1.0 calls configuration: canned queries and how tables are shown
    (default facets and unindexed sorts on the tables and views not in ``big``)."""
    from factdb.query.registry import QUERIES

    queries = {
        name: {
            "sql": q.sql,
            "title": q.title,
            "description": q.description,
            "description_html": _query_description(q),
            "params": [p.name for p in q.params],
            "hide_sql": True,  # results first; "show" reveals the SQL
        }
        for name, q in QUERIES.items()
    }
    tables: dict[str, dict] = {}

    def put(table: str, key: str, value: Any) -> None:
        tables.setdefault(table, {})[key] = value

    for table, column in LABELS.items():
        put(table, "label_column", column)
    for table, columns in FACETS.items():
        if table not in big:
            put(table, "facets", columns)
    for table, column in SORT.items():
        put(table, "sort", column)
    for table, column in SORT_DESC.items():
        if not (table in scale.UNINDEXED_SORTS and table in big):
            put(table, "sort_desc", column)
    for table, fts_table in FTS.items():
        put(table, "fts_table", fts_table)
        put(table, "fts_pk", "rowid")
    for table in HIDDEN:
        put(table, "hidden", True)
    return {
        "extra_css_urls": ["data:text/css," + quote(CSS)],
        "databases": {database: {"queries": queries, "tables": tables}},
    }


def _model_docs() -> dict[str, str]:
    """Each table's description: its model's docstring."""
    from factdb.store.models import Base

    return {m.local_table.name: " ".join((m.class_.__doc__ or "").split())
            for m in Base.registry.mappers}


def _describe(schema: dict[str, list[Column]], table: str, column: Column) -> str | None:
    """A column's description, or None when nothing here says what it holds."""
    name, target = column.name, column.target
    base = VIEWS.get(table, (None, None))[1]
    if (table, name) in COLUMN_NOTES:
        text = COLUMN_NOTES[table, name]
    elif table in VIEWS and name in VIEW_COLUMNS:
        return VIEW_COLUMNS[name]
    elif base and (same := next((c for c in schema[base] if c.name == name), None)):
        return _describe(schema, base, same)
    elif name == "id":
        text = "Row number" if column.type == "INTEGER" else "Identifier (a slug, as in the seeds)"
    elif name in GENERIC:
        text = GENERIC[name]
    elif date_part := _date_part(name):
        text = date_part
    elif target:
        text = f"The {target.removesuffix('s').replace('_', ' ')}"
    else:
        return None
    return f"{text} (→ {target})" if target and name != "id" else text


def _date_part(name: str) -> str | None:
    for prefix in DATE_PREFIXES:
        if name.startswith(prefix) and name.removeprefix(prefix) in DATE_PARTS:
            return DATE_PARTS[name.removeprefix(prefix)]
    return None


def _query_description(q: Any) -> str:
    """The query's description, then what each parameter means."""
    html = f"<p>{escape(q.description)}</p>"
    if q.params:
        items = "".join(
            f"<li><strong>{escape(p.name)}</strong>{'' if p.required else ' (optional)'}: "
            f"{escape(p.help)}</li>" for p in q.params
        )
        html += f"<ul>{items}</ul>"
    return html


def _home_page(database: str, queries: dict) -> str:
    """What a newcomer reads first: what the database is, and questions to start with.

    The database's name is the user's file name: it goes into links as Datasette encodes it,
    HTML-escaped (a file may be called ``<img src=x onerror=alert(1)>.db``).
    """
    from datasette.utils import tilde_encode  # how Datasette puts a database in a URL

    base = escape(f"/{tilde_encode(database)}")
    links = ", ".join(f'<a href="{base}/{escape(name)}">{escape(name)}</a>' for name in queries)
    tables = ", ".join(f'<a href="{base}/{t}">{t}</a>'
                       for t in ("statements", "events", "documents", "actors", "relations"))
    # A canned query shadows a view of the same name at /database/name in Datasette.
    views = ", ".join(f'<a href="{base}/{v}">{v}</a>' for v in VIEWS if v not in queries)
    return (
        f"<p>{escape(SUMMARY)} Every statement and event records the document it comes from "
        "and the character offsets of its words in that document's text; dates keep their "
        "precision (year, month or day) and say whether the text states them or a curator "
        "inferred them.</p>"
        f"<p>Questions to start with (the same canned queries as <code>factdb query</code>) "
        f"are listed below with an example each: {links}.</p>"
        f"<p>Or browse the tables: {tables}; or the views that join them for you: {views}. "
        "Documents, statements and events have full-text search (type words, or a phrase in "
        "double quotes). The database is read-only.</p>"
    )
