"""factdb's own Datasette pages: a fact in its paragraph, an article with its evidence,
relations side by side, an actor and an event, under ``/-/factdb/DATABASE/...``.

Registered by the plugin's ``register_routes`` hook; the data comes from
:mod:`factdb.web.facts`, the HTML from the templates beside this module.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from factdb.web import facts, words

TEMPLATES = Path(__file__).with_name("templates")
PREFIX = "/-/factdb"
KINDS = ("statement", "event", "actor", "document")
RELATION_PAGES = {"conflicts": "contradicts", "corroborations": "corroborates"}
PAGE_SIZE = 100  # pairs on one conflicts or corroborations page


def url(database: str, kind: str, record_id: str = "") -> str:
    """The page of a record: ``/-/factdb/DB/statement/ID``; or of a list (``conflicts``)."""
    tail = f"/{tilde_encode(record_id)}" if record_id else ""
    return f"{PREFIX}/{tilde_encode(database)}/{kind}{tail}"


def install_templates(datasette: Any) -> None:
    """Let Datasette's template engine find the templates beside this module.

    Datasette looks for a plugin's templates only in a plugin *package*; factdb's plugin is
    a module, so its folder is added to the loader here (after any --template-dir).
    """
    from jinja2 import ChoiceLoader, FileSystemLoader

    loader = datasette.jinja_env.loader
    if getattr(loader, "factdb", False):
        return
    mine = ChoiceLoader([FileSystemLoader(str(TEMPLATES)), loader])
    if datasette.template_dir:
        mine = ChoiceLoader([FileSystemLoader(datasette.template_dir), mine])
    mine.factdb = True  # type: ignore[attr-defined]
    datasette.jinja_env.loader = mine


def routes() -> list[tuple[str, Any]]:
    db = r"(?P<database>[^/]+)"
    return [
        *((rf"^{PREFIX}/{db}/(?P<kind>{'|'.join(KINDS)})/(?P<id>[^/]+)$", record_page),),
        (rf"^{PREFIX}/{db}/(?P<page>conflicts|corroborations)$", relations_page),
    ]


def _database(datasette: Any, request: Any) -> tuple[str, Any]:
    name = tilde_decode(request.url_vars["database"])
    try:
        return name, datasette.get_database(name)
    except KeyError:
        raise NotFound(f"no database called {name!r}") from None


async def record_page(datasette: Any, request: Any) -> Response:
    name, db = _database(datasette, request)
    kind, record_id = request.url_vars["kind"], tilde_decode(request.url_vars["id"])
    data = await db.execute_fn(lambda conn: getattr(facts, kind)(conn, record_id))
    if data is None:
        raise NotFound(f"no {kind} has the id {record_id!r}")
    context = {"database": name, "kind": kind, "item": data, "h": Helpers(name),
               "metadata": datasette.metadata()}
    html = await datasette.render_template(f"factdb_{kind}.html", context, request=request)
    return Response.html(html)


async def relations_page(datasette: Any, request: Any) -> Response:
    name, db = _database(datasette, request)
    page = request.url_vars["page"]
    offset = request.args.get("offset", "0")
    offset = int(offset) if offset.isdigit() else 0
    found, total = await db.execute_fn(
        lambda conn: facts.relations(conn, RELATION_PAGES[page], offset, PAGE_SIZE))
    after = offset + PAGE_SIZE
    context = {"database": name, "page": page, "relations": found, "h": Helpers(name),
               "metadata": datasette.metadata(), "total": total, "offset": offset,
               "next": f"?offset={after}" if after < total else None,
               "previous": f"?offset={max(offset - PAGE_SIZE, 0)}" if offset else None}
    html = await datasette.render_template("factdb_relations.html", context, request=request)
    return Response.html(html)


class Helpers:
    """What the templates call: links to records, words for labels, marked-up text."""

    def __init__(self, database: str):
        self.database = database

    def url(self, kind: str, record_id: str = "") -> str:
        return url(self.database, kind, record_id)

    def fact_url(self, fact_id: str, kind: str) -> str:
        return url(self.database, "statement" if kind == "statement" else "event", fact_id)

    def said_url(self, actor_id: str) -> str:
        return f"/{tilde_encode(self.database)}/said?name={tilde_encode(actor_id)}"

    def query_url(self, query: str) -> str:
        return f"/{tilde_encode(self.database)}/{query}"

    language = staticmethod(words.language)
    independence = staticmethod(words.independence)
    day = staticmethod(words.day_words)

    @staticmethod
    def in_context(context: dict) -> Markup:
        """The paragraph with the fact's words (or each of its pieces) highlighted."""
        return Markup("").join(
            Markup('<mark class="factdb-quote">{}</mark>').format(part) if marked
            else escape(part) for part, marked in context["segments"])

    def article(self, doc: dict) -> Markup:
        """The document's text with evidence linked, boilerplate dimmed, skips marked."""
        return article_html(doc, self)


def _marks(doc: dict) -> list[tuple[int, int, str, dict]]:
    marks = [(e["start_offset"], e["end_offset"], "evidence", e) for e in doc["evidence"]]
    marks += [(b["start_offset"], b["end_offset"], "boilerplate", b) for b in doc["boilerplate"]]
    marks += [(s["start_offset"], s["end_offset"], "skipped", s) for s in doc["skipped"]]
    return marks


def article_html(doc: dict, h: Helpers) -> Markup:
    """The text cut at every mark's edge; each piece wrapped in what covers it."""
    text, marks = doc["text"], _marks(doc)
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    out: list[Markup] = []
    for start, end in itertools.pairwise(cuts):
        covering = [m for m in marks if m[0] <= start and end <= m[1]]
        out.extend(_labels(start, covering))
        piece: Markup = escape(text[start:end])
        evidence = sorted((m for m in covering if m[2] == "evidence"),
                          key=lambda m: m[1] - m[0])
        if evidence:
            targets = " ".join(f"{m[3]['kind']}:{m[3]['target']}" for m in evidence)
            inner = evidence[0][3]
            kind = "statement" if inner["kind"] == "statement" else inner["kind"]
            anchor = f"at-{start}" if start == inner["start_offset"] else ""
            piece = Markup('<a class="factdb-ev factdb-ev-{}" href="{}" title="{}" '
                           'data-facts="{}"{}><mark>{}</mark></a>').format(
                kind, h.url(kind, inner["target"]), inner["label"], targets,
                Markup(' id="{}"').format(anchor) if anchor else "", piece)
        for m in covering:
            if m[2] != "evidence":
                piece = Markup('<span class="factdb-{}">{}</span>').format(m[2], piece)
        out.append(piece)
    return Markup("").join(out)


def _labels(start: int, covering: list) -> list[Markup]:
    """A small label where a boilerplate region or a skipped passage begins."""
    found = []
    for m in covering:
        if m[0] != start or m[2] == "evidence":
            continue
        text = (f"boilerplate: {m[3]['kind']}" if m[2] == "boilerplate"
                else f"skipped: {m[3]['reason']}")
        found.append(Markup('<span class="factdb-tag factdb-tag-{}">{}</span>').format(
            m[2], text))
    return found
