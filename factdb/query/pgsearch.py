"""PostgreSQL's full-text search for the canned queries: what FTS5's ``MATCH``, ``bm25``
and ``snippet`` become (tsvector columns, ``ts_rank``, ``ts_headline``). The dialect
(:mod:`factdb.query.dialect`) puts these texts in place of the registry's SQLite ones."""

from __future__ import annotations

from factdb.query import registry
from factdb.query.sqlparts import shown

# The text search configuration the migrations create: words as FTS5's unicode61
# remove_diacritics tokenizer and porter stemmer read them (migration 0008).
TS_CONFIG = "factdb"

PG_EVENT_MATCHES = f"""chosen AS (
  SELECT id FROM events WHERE id = :event
  UNION
  SELECT e.id FROM events e
  WHERE NOT EXISTS (SELECT 1 FROM events WHERE id = :event)
    AND to_tsvector('{TS_CONFIG}', factdb_words(e.description))
        @@ to_tsquery('{TS_CONFIG}', factdb_fts_query(:event))
)"""

# Punctuation that PostgreSQL's parser, in a database whose LC_CTYPE is C, reads as letters
# (so ts_headline would not mark "Lavrov’s"), shown in snippets as its ASCII look-alike.
_HEADLINE_PUNCTUATION = {"’‘‚‛′": "'", "“”„‟«»‹›″": '"', "–—―‐‑‒−": "-", "…·•": ".",
                         "\u00a0\u2009\u202f\u2007": " "}


def _plain(expr: str) -> str:
    """SQL for ``expr`` with that punctuation replaced: nested replace() calls, each one
    fast search through the text (translate() compares every character with every one of
    the list: three times slower on a document, most of a search's time)."""
    for chars, to in _HEADLINE_PUNCTUATION.items():
        for char in chars:
            expr = f"replace({expr}, '{char}', '{to.replace(chr(39), chr(39) * 2)}')"
    return expr

# (The snippet's LATERAL subquery has OFFSET 0 to stay a subquery, made once a row:
# flattened, each of the CASE's two uses of h.near made its own ts_headline; 1M, "security
# talks": 46 -> 13 ms.)
# Rank the hits (scores only; the first SEARCH_RANKED of each kind, as SQLite does), keep the
# best :limit, then label and highlight those alone.
# The tsquery is made in Python from what the user typed, every spelling of a known actor's
# name included, as SQLite's factdb_fts_query() makes its FTS5 query. It is written out
# where it is used, not joined from a CTE: a constant lets the planner estimate how many
# rows match and use the GIN indexes (from a CTE it tested `@@` on every row).
_Q = f"to_tsquery('{TS_CONFIG}', factdb_fts_query_names(:text))"
# As in SQLite, at most this many hits of each kind are ranked, the first in id order: the
# rank reads each hit's whole tsvector (a document's is kilobytes, out of line).
_RANKED = (f"greatest(coalesce(nullif(:limit, ''), '{registry.SEARCH_LIMIT}')::bigint, "
           f"{registry.SEARCH_RANKED})")


def _headline(words: str, query: str = _Q) -> str:
    """SQL for the snippet of ``words`` (an SQL text), the words of ``query`` [bracketed]."""
    return (f"ts_headline('{TS_CONFIG}', {_plain(words)}, {query}, 'StartSel=[, StopSel=], "
            "MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…')")


# The snippet is chosen from the 600 characters around where a word of the question (as
# stemmed: `secur` for security) first starts a written word (after a space; else where it
# is first written at all), any of its words marked: ts_headline reads every word it is
# given through the dictionaries, and a document's 4 kB took 0.5 ms (1M, 50 documents: 25
# -> 5 ms). When that shows no match (a stem written inside another word, or not as
# stemmed), the whole text is read, for the question itself.
_WORDS = f"unnest((SELECT tsvector_to_array(to_tsvector('{TS_CONFIG}', :text)))) AS w"
_ANY_WORD = f"(SELECT string_agg(quote_literal(w), ' | ') FROM {_WORDS})::tsquery"
_FIRST_WRITTEN = ("(SELECT min(p) FROM (SELECT coalesce(nullif(strpos(lower(x.words), ' ' || w), "
                  f"0), strpos(lower(x.words), w)) AS p FROM {_WORDS}) AS f WHERE p > 0)")
_NEAR = f"substr(x.words, greatest(1, coalesce({_FIRST_WRITTEN}, 1) - 200), 600)"
PG_SEARCH = f"""WITH hits AS (
  SELECT 'document' AS kind, d.id, ts_rank(d.words_fts, {_Q}) AS score
  FROM factdb_first_documents({_Q}, {_RANKED}) AS d
  UNION ALL
  SELECT 'statement', s.id, ts_rank(s.words_fts, {_Q})
  FROM (SELECT id, words_fts FROM statements WHERE words_fts @@ {_Q}
          AND {shown("id", "statements")} ORDER BY id NULLS LAST LIMIT {_RANKED}) AS s
  UNION ALL
  SELECT 'event', e.id, ts_rank(e.words_fts, {_Q})
  FROM (SELECT id, words_fts FROM events WHERE words_fts @@ {_Q}
          AND {shown("id", "events")} ORDER BY id NULLS LAST LIMIT {_RANKED}) AS e
),
best AS (SELECT * FROM hits ORDER BY score DESC, kind, id
         LIMIT coalesce(nullif(:limit, ''), {registry.SEARCH_LIMIT}))
SELECT x.kind, x.id, x.speaker, x.document_id, x.title, x.date, x.translation,
       replace(CASE WHEN strpos(h.near, '[') > 0 THEN h.near
                    ELSE {_headline("x.words")} END, char(10), ' ') AS snippet,
       round(b.score::numeric, 3)::float8 AS relevance
FROM best b, (
  SELECT 'document' AS kind, d.id, NULL AS speaker, d.id AS document_id, d.title,
         {registry.dated("d.published_on")} AS date, {registry.translation("d")} AS translation,
         d.title || char(10) || d.text AS words
  FROM documents d WHERE d.id IN (SELECT id FROM best WHERE kind = 'document')
  UNION ALL
  SELECT 'statement', s.id, sp.name, s.document_id, d.title,
         CASE WHEN s.said_on IS NULL THEN {registry.dated("d.published_on")} || ', published'
              ELSE {registry.dated("s.said_on")} END, {registry.translation("d")}, s.quote
  FROM statements s JOIN actors sp ON sp.id = s.speaker_id
  JOIN documents d ON d.id = s.document_id
  WHERE s.id IN (SELECT id FROM best WHERE kind = 'statement')
  UNION ALL
  SELECT 'event', e.id, NULL, NULL, NULL, {registry.dated("e.date")}, '',
         e.description || coalesce(char(10) || e.place, '')
  FROM events e WHERE e.id IN (SELECT id FROM best WHERE kind = 'event')
) AS x
CROSS JOIN LATERAL (SELECT {_headline(_NEAR, _ANY_WORD)} AS near OFFSET 0) AS h
WHERE x.kind = b.kind AND x.id = b.id
ORDER BY b.score DESC, b.kind, b.id"""
