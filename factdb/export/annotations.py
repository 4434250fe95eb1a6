"""Every evidence span as a W3C Web Annotation (JSON-LD, the Web Annotation Data Model).

One file, ``annotations.jsonld``: an AnnotationCollection whose first (and only) page embeds
every annotation, as the Web Annotation Protocol serves a container, in one JSON-LD document
with one ``@context``. Each annotation's target is the document with two selectors for the
same span, alternatives as the model defines them: a TextQuoteSelector (the exact words and
up to ``CONTEXT`` characters either side) and a TextPositionSelector (code points, end
exclusive: factdb's offsets as they are). The source is the document's URL where the seeds
give one, with the text the offsets count in (its sha256 as ``urn:sha256:...``) as the
state's cached copy; without a URL that text is the source itself. The bodies tag the kind
of evidence, identify the fact or actor, and describe it in words.

The annotations are written one per line inside ``items``, in document and offset order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factdb.errors import FactdbError

CONTEXT = 32  # characters of prefix and of suffix, as annotation tools commonly keep
FILE = "annotations.jsonld"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

# table -> (tag, motivation, query: record id, the id it identifies, what _describe reads)
_KINDS: dict[str, tuple[str, str, str]] = {
    "statements": ("statement", "describing",
                   "SELECT statement_id, statement_id, speaker, speaker_id, speech, said_on, "
                   "relayed_by FROM statement_details"),
    # a quote in pieces: each piece, described as its statement (record id "ID#SEQ")
    "statement_pieces": ("statement-piece", "describing",
                         "SELECT p.statement_id || '#' || p.seq, s.statement_id, s.speaker, "
                         "s.speaker_id, s.speech, s.said_on, s.relayed_by "
                         "FROM statement_pieces p JOIN statement_details s "
                         "ON s.statement_id = p.statement_id"),
    "event_sources": ("event-source", "describing",
                      "SELECT event_source_id, event_id, event, event_date, relayed_by "
                      "FROM event_source_details"),
    "actor_roles": ("actor-role", "describing",
                    "SELECT r.id, r.actor_id, a.name, r.role FROM actor_roles r "
                    "JOIN actors a ON a.id = r.actor_id"),
    "actor_aliases": ("actor-alias", "identifying",
                      "SELECT l.id, l.actor_id, a.name FROM actor_aliases l "
                      "JOIN actors a ON a.id = l.actor_id WHERE l.document_id IS NOT NULL"),
    "skipped_passages": ("skipped-passage", "commenting",
                         "SELECT id, NULL, reason FROM skipped_passages"),
}


def _describe(table: str, row: tuple) -> str:
    """What the evidence is, in words, from its row of the table's query."""
    def via(name: str | None) -> str:
        return f", relayed by {name}" if name else ""

    if table in ("statements", "statement_pieces"):
        _, _, speaker, speaker_id, speech, said_on, relayed_by = row
        said = f", said {said_on}" if said_on else ""
        return f"{speaker} ({speaker_id}), {speech} speech{said}{via(relayed_by)}"
    if table == "event_sources":
        _, event_id, event, date, relayed_by = row
        return f"source of event {event_id}: {event} ({date}){via(relayed_by)}"
    if table == "actor_roles":
        _, actor_id, name, role = row
        return f"{name} ({actor_id}): {role}"
    if table == "actor_aliases":
        _, actor_id, name = row
        return f"names {name} ({actor_id})"
    return f"skipped: {row[2]}"


def _details(conn: Any) -> dict[tuple[str, str], tuple[str | None, str]]:
    """(table, record id) -> (the id the evidence is for, its description)."""
    found = {}
    cursor = conn.cursor()
    try:
        for table, (_, _, query) in _KINDS.items():
            cursor.execute(query)
            for row in cursor.fetchall():
                found[(table, str(row[0]))] = (row[1], _describe(table, row))
    finally:
        cursor.close()
    return found


def _documents(conn: Any, collate: str) -> Iterator[tuple]:
    cursor = conn.cursor()
    try:
        cursor.execute("SELECT id, url, sha256, title, language, published_on_earliest, "
                       f"published_on_latest, text FROM documents ORDER BY id{collate}")
        yield from cursor
    finally:
        cursor.close()


def _source(doc: tuple) -> dict[str, Any]:
    """The target's source and state: the URL with the hashed text as its cached copy."""
    _, url, sha256, title, language, earliest, latest, _ = doc
    text_id = f"urn:sha256:{sha256}"
    if not url:
        return {"source": {"id": text_id, "type": "Text", "format": "text/plain",
                           "language": language, "title": title}}
    return {"source": {"id": url, "type": "Text", "language": language, "title": title},
            "state": {"type": "TimeState", "cached": text_id,
                      "sourceDateStart": f"{earliest}T00:00:00Z",
                      "sourceDateEnd": f"{latest}T23:59:59Z"}}


def annotation(table: str, record_id: Any, doc: tuple, start: int, end: int,
               detail: tuple[str | None, str] | None) -> dict[str, Any]:
    """One evidence span of document ``doc`` as a Web Annotation."""
    text = doc[-1]
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": text[start:end]}
    if start > 0:
        quote["prefix"] = text[max(0, start - CONTEXT):start]
    if end < len(text):
        quote["suffix"] = text[end:end + CONTEXT]
    tag, motivation, _ = _KINDS.get(table, (table, "describing", ""))
    body: list[dict[str, str]] = [{"type": "TextualBody", "purpose": "tagging", "value": tag}]
    if detail is not None:
        identified, description = detail
        if identified is not None:
            body.append({"type": "TextualBody", "purpose": "identifying",
                         "value": str(identified)})
        body.append({"type": "TextualBody", "purpose": "describing", "value": description,
                     "format": "text/plain"})
    return {
        "id": f"urn:factdb:{table}:{record_id}",
        "type": "Annotation",
        "motivation": motivation,
        "body": body,
        "target": {"type": "SpecificResource", **_source(doc), "selector": [
            quote, {"type": "TextPositionSelector", "start": start, "end": end}]},
    }


def write_annotations(conn: Any, path: Path, collate: str = "") -> int:
    """Write every row of the ``evidence`` view as an annotation; return how many.

    ``collate`` follows the text sort keys (PostgreSQL's ``COLLATE "C"``), so that either
    engine gives the same order. The collection's id is ``urn:factdb:export:`` and the
    sha256 of the ``items`` array's text between its brackets, so the same annotations have
    the same id whichever database (or rebuild of it) they came from: it is written as
    zeros first and filled in once every annotation is written.
    """
    details = _details(conn)
    documents = _documents(conn, collate)
    doc: tuple | None = None
    cursor = conn.cursor()
    count = 0
    digest = hashlib.sha256()
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    try:
        cursor.execute("SELECT table_name, record_id, document_id, start_offset, end_offset "
                       f"FROM evidence ORDER BY document_id{collate}, start_offset, end_offset, "
                       f"table_name{collate}, CAST(record_id AS TEXT){collate}")
        with open(path, "wb") as f:
            placeholder = _collection_id("0" * 64)
            head = (encode({"@context": ANNO_CONTEXT, "id": placeholder,
                            "type": "AnnotationCollection",
                            "label": "factdb evidence: every quoted span"})[:-1]
                    + ', "first": {"id": ' + encode(f"{placeholder}:page-1")
                    + ', "type": "AnnotationPage", "startIndex": 0, "items": [').encode()
            f.write(head)
            for table, record_id, document_id, start, end in cursor:
                # Both queries are in the database's order of document ids (its collation,
                # not Python's): skip the documents without evidence up to this one.
                while doc is None or doc[0] != document_id:
                    doc = next(documents, None)
                    if doc is None:
                        raise FactdbError(f"evidence {table} {record_id} is in document "
                                          f"{document_id!r}, which the database does not hold")
                detail = details.get((table, str(record_id)))
                item = (("\n" if count == 0 else ",\n")
                        + encode(annotation(table, record_id, doc, start, end, detail))).encode()
                digest.update(item)
                f.write(item)
                count += 1
            f.write(f"\n]}}, \"total\": {count}}}\n".encode())
            digest.update(b"\n")
            # the placeholder's two places: the collection's id and its page's
            filled = head.decode().replace(placeholder, _collection_id(digest.hexdigest()))
            f.seek(0)
            f.write(filled.encode())
    finally:
        cursor.close()
        documents.close()
    return count


def _collection_id(sha256: str) -> str:
    return f"urn:factdb:export:{sha256}"
