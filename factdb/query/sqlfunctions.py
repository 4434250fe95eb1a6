"""SQL functions the canned queries call, registered on any sqlite3 connection.

The same SQL runs in `factdb query` and in Datasette, so whatever Python must do (matching
names, making user text a safe FTS5 query, reading partial dates) happens in these
functions: the CLI calls :func:`register` on its connection, the Datasette plugin calls it
from its ``prepare_connection`` hook.
"""

from __future__ import annotations

import re
import sqlite3

from factdb.dates.values import parse_value
from factdb.evidence.names import normalize_name

# An FTS5 query that matches nothing (an empty query is a syntax error).
MATCH_NOTHING = '""'
_CHUNK = re.compile(r'"([^"]*)"?|([^\s"]+)')


def fts_query(text: str | None) -> str:
    """Turn anything a user types into a safe FTS5 query.

    Text in double quotes is a phrase (an unclosed quote runs to the end); every other
    whitespace-separated word must occur; a trailing ``*`` makes a word a prefix. Operators
    and punctuation (``NEAR``, ``-``, parentheses) are searched as plain words, so no input
    is a syntax error. Returns :data:`MATCH_NOTHING` when nothing searchable is left.
    """
    terms = []
    for phrase, word in _CHUNK.findall(text or ""):
        chunk = phrase if phrase else word
        prefix = bool(word) and word.endswith("*")
        chunk = chunk.rstrip("*") if prefix else chunk
        if not re.search(r"\w", chunk):
            continue
        terms.append('"' + chunk.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms) or MATCH_NOTHING


def date_start(value: str | None) -> str | None:
    """The first day (ISO) of a date value: ``2022``, ``2022-02``, ``2022-02-01``, a week
    ``2022-W04`` or a range ``2022-01-26/2022-02-04`` (see factdb.dates.values)."""
    if value is None or not value.strip():
        return None
    return parse_value(value.strip()).earliest.isoformat()


def date_end(value: str | None) -> str | None:
    """The last day (ISO) of a partial date."""
    if value is None or not value.strip():
        return None
    return parse_value(value.strip()).latest.isoformat()


def normalize(value: str | None) -> str | None:
    """A name with case, diacritics and punctuation removed (see factdb.names)."""
    return None if value is None else normalize_name(value)


def contains_words(haystack: str | None, needle: str | None) -> int:
    """1 when every word of ``needle`` occurs as a word in ``haystack`` (ignoring case, accents)."""
    if haystack is None or needle is None:
        return 0
    words = set(normalize_name(haystack).split())
    wanted = normalize_name(needle).split()
    return int(bool(wanted) and all(w in words for w in wanted))


FUNCTIONS = {
    "factdb_fts_query": (1, fts_query),
    "factdb_date_start": (1, date_start),
    "factdb_date_end": (1, date_end),
    "factdb_normalize": (1, normalize),
    "factdb_contains_words": (2, contains_words),
}


def register(conn: sqlite3.Connection) -> None:
    """Make the factdb_* functions available to SQL run on ``conn``."""
    for name, (nargs, func) in FUNCTIONS.items():
        conn.create_function(name, nargs, func, deterministic=True)
