"""SQL functions the canned queries call, registered on any sqlite3 connection.

The same SQL runs in `factdb query` and in Datasette, so whatever Python must do (matching
names, making user text a safe FTS5 query, reading partial dates) happens in these
functions: the CLI calls :func:`register` on its connection, the Datasette plugin calls it
from its ``prepare_connection`` hook.
"""

from __future__ import annotations

import sqlite3

# json, re, factdb.dates and factdb.evidence are imported in the functions that use them:
# registering the functions is on every `factdb query` command's way, calling most is not.

# An FTS5 query that matches nothing (an empty query is a syntax error).
MATCH_NOTHING = '""'
_CHUNK = r'(-?)"([^"]*)"?|(\S+)'  # a pattern for re (which keeps it compiled)
# Letters Unicode does not decompose, so the tokenizer's remove_diacritics leaves them:
# a word is searched in both spellings ("Tromso" finds "Tromsø", and the other way).
_FOLD = {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
_UNFOLD = {"o": "ø", "ae": "æ", "oe": "œ", "ss": "ß"}


def _phrase(words: str, prefix: bool = False) -> str:
    return '"' + words.replace('"', '""') + '"' + ("*" if prefix else "")


def _spellings(word: str) -> list[str]:
    """A word, folded, and with each foldable letter unfolded in turn."""
    lower = word.lower()
    folded = "".join(_FOLD.get(c, c) for c in lower)
    found = [lower, folded]
    for plain, special in _UNFOLD.items():
        start = folded.find(plain)
        while start >= 0:
            found.append(folded[:start] + special + folded[start + len(plain):])
            start = folded.find(plain, start + 1)
    return list(dict.fromkeys(found))


def _term(word: str, prefix: bool) -> str:
    spellings = [_phrase(w, prefix) for w in _spellings(word)]
    return spellings[0] if len(spellings) == 1 else "(" + " OR ".join(spellings) + ")"


def _parse(text: str) -> list[tuple[str, str, bool]]:
    """(kind, words, negated) chunks: kind is "phrase", "word" or "or"."""
    chunks, negate = [], False
    import re

    for minus, phrase, word in re.findall(_CHUNK, text or ""):
        if word == "OR":
            chunks.append(("or", "", False))
            continue
        if word in ("AND", "NOT"):
            negate = word == "NOT"
            continue
        if phrase or minus:
            chunks.append(("phrase", phrase, bool(minus) or negate))
        elif word.startswith("-") and len(word) > 1:
            chunks.append(("word", word[1:], True))
        else:
            chunks.append(("word", word, negate))
        negate = False
    return chunks


def _names(chunks: list, synonyms: dict[str, list[str]]) -> list:
    """Runs of plain words that are a known name become that name in every spelling."""
    from factdb.evidence.names import normalize_name

    out, i = [], 0
    while i < len(chunks):
        for n in range(min(4, len(chunks) - i), 0, -1):
            run = chunks[i:i + n]
            if all(k == "word" and not neg for k, _, neg in run):
                name = normalize_name(" ".join(w for _, w, _ in run))
                if name in synonyms:
                    out.append(("names", name, False))
                    i += n
                    break
        else:
            out.append(chunks[i])
            i += 1
    return out


def fts_query(text: str | None, synonyms_json: str | None = None) -> str:
    """Turn anything a user types into a safe FTS5 query, as a search engine reads it.

    Words must all occur (the index stems them: ``guarantee`` finds ``guarantees``);
    ``"a phrase"`` in double quotes; ``word*`` a prefix; ``a OR b`` either; ``-word`` (or
    ``NOT word``) leaves out what has it. Other punctuation is searched as plain words, so no
    input is a syntax error. ``synonyms_json`` ([[name, spelling], ...], normalized names)
    makes a name match every spelling of it. Returns :data:`MATCH_NOTHING` when nothing is
    left to find (no words, or only words to leave out).
    """
    import json

    synonyms: dict[str, list[str]] = {}
    for name, spelling in json.loads(synonyms_json or "[]"):
        synonyms.setdefault(name, []).append(spelling)
    groups: list[list[str]] = [[]]
    negatives: list[str] = []
    for kind, words, negated in _names(_parse(text or ""), synonyms):
        if kind == "or":
            if groups[-1]:
                groups.append([])
            continue
        term = _chunk_term(kind, words, synonyms)
        if term is None:
            continue
        if negated:
            negatives.append(term)
        elif len(groups) > 1 and len(groups[-1]) == 0 and groups[-2]:
            groups[-1].append(term)  # the right side of an OR
        else:
            groups[-1].append(term)
    positives = _combine(groups)
    if not positives:
        return MATCH_NOTHING
    return positives + "".join(f" NOT {n}" for n in negatives)


def _chunk_term(kind: str, words: str, synonyms: dict[str, list[str]]) -> str | None:
    import re

    from factdb.evidence.names import normalize_name

    if kind == "names":
        spellings = {normalize_name(s) for s in synonyms[words]} | {words}
        return "(" + " OR ".join(_phrase(s) for s in _innermost(spellings)) + ")"
    prefix = kind == "word" and words.endswith("*")
    words = words.rstrip("*") if prefix else words
    if not re.search(r"\w", words):
        return None
    if kind == "phrase":
        return _phrase(words)
    return _term(words, prefix)


def _innermost(spellings: set[str]) -> list[str]:
    """The spellings that no other spelling lies within, word for word: "lavrov" finds all
    that "sergey lavrov" finds, so only "lavrov" is searched. The same hits, and a query
    PostgreSQL answers from its index alone (a phrase has every hit's positions read)."""
    runs = {tuple(s.split()) for s in spellings} - {()}

    def within(inner: tuple[str, ...], outer: tuple[str, ...]) -> bool:
        return inner != outer and any(outer[i:i + len(inner)] == inner
                                      for i in range(len(outer) - len(inner) + 1))

    return sorted(" ".join(r) for r in runs if not any(within(o, r) for o in runs))


def _combine(groups: list[list[str]]) -> str:
    """Groups split by OR: the last word before an OR and the first after it are the
    alternatives; the other words of each group must all occur."""
    groups = [g for g in groups if g]
    if not groups:
        return ""
    if len(groups) == 1:
        return " AND ".join(groups[0])
    alternatives = [groups[0][-1]] + [g[0] for g in groups[1:]]
    required = groups[0][:-1] + [t for g in groups[1:] for t in g[1:]]
    either = "(" + " OR ".join(alternatives) + ")"
    return " AND ".join([*required, either])


def date_start(value: str | None) -> str | None:
    """The first day (ISO) of a date value: ``2022``, ``2022-02``, ``2022-02-01``, a week
    ``2022-W04`` or a range ``2022-01-26/2022-02-04`` (see factdb.dates.values)."""
    if value is None or not value.strip():
        return None
    from factdb.dates.values import parse_value

    return parse_value(value.strip()).earliest.isoformat()


def date_end(value: str | None) -> str | None:
    """The last day (ISO) of a partial date."""
    if value is None or not value.strip():
        return None
    from factdb.dates.values import parse_value

    return parse_value(value.strip()).latest.isoformat()


def normalize(value: str | None) -> str | None:
    """A name with case, diacritics and punctuation removed (see factdb.names)."""
    from factdb.evidence.names import normalize_name

    return None if value is None else normalize_name(value)


def word_runs(value: str | None) -> str:
    """Every run of consecutive words of the normalized text, as a JSON array: the names
    it may contain ("a b c": "a", "a b", "a b c", "b", "b c", "c"), looked up in an index."""
    import json

    words = normalize(value or "").split()  # type: ignore[union-attr]
    return json.dumps([" ".join(words[i:j]) for i in range(len(words))
                       for j in range(i + 1, len(words) + 1)], ensure_ascii=False)


def contains_words(haystack: str | None, needle: str | None) -> int:
    """1 when every word of ``needle`` occurs as a word in ``haystack`` (ignoring case, accents)."""
    if haystack is None or needle is None:
        return 0
    from factdb.evidence.names import normalize_name

    words = set(normalize_name(haystack).split())
    wanted = normalize_name(needle).split()
    return int(bool(wanted) and all(w in words for w in wanted))


FUNCTIONS = {
    "factdb_fts_query": (-1, fts_query),
    "factdb_date_start": (1, date_start),
    "factdb_date_end": (1, date_end),
    "factdb_normalize": (1, normalize),
    "factdb_word_runs": (1, word_runs),
    "factdb_contains_words": (2, contains_words),
}


def register(conn: sqlite3.Connection) -> None:
    """Make the factdb_* functions available to SQL run on ``conn``."""
    for name, (nargs, func) in FUNCTIONS.items():
        conn.create_function(name, nargs, func, deterministic=True)
