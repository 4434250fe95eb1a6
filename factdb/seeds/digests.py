"""A digest of each record as a seed file writes it: what a build's reuse compares to tell
a changed record from an unchanged one (factdb.seeds.summary).

Worked out where a file is parsed (a parsing worker, or the parse cache's entry), so the
loader only looks it up.
"""

from __future__ import annotations

import hashlib
from typing import Any


def digest(raw: Any, section: str, document: Any = None) -> bytes:
    """The digest of one record as written; a statement's covers its document, which may
    be its file's (``document``)."""
    # repr, not marshal: marshal's bytes depend on which objects are shared, and a file
    # parsed afresh shares others than one from the parse cache or a worker.
    written = (raw, document) if section == "statements" else raw
    return hashlib.blake2b(repr(written).encode(), digest_size=12).digest()


def record_digests(data: Any) -> dict[tuple, bytes]:
    """The digest of every record in a file's data, by its path: ``("document",)``, or
    ``(section, i)`` for an item of a section's list."""
    found: dict[tuple, bytes] = {}
    if not isinstance(data, dict):
        return found
    doc = data.get("document")
    default = doc.get("id") if isinstance(doc, dict) else None
    default = default if isinstance(default, str) else None
    for section, value in data.items():
        if section == "document":
            found[(section,)] = digest(value, section)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                document = item.get("document") if isinstance(item, dict) else None
                document = default if document is None else document  # (as the reader sets it)
                found[(section, i)] = digest(item, section, document)
    return found
