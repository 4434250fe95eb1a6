"""The canned queries' SQLite SQL, turned mechanically into PostgreSQL SQL (cached per text).

The registry (:mod:`factdb.query.registry`) defines every query once, in SQLite's dialect.
This module rewrites the few SQLite constructs it uses: ``:name`` and ``?`` parameters,
``INDEXED BY`` hints, unary ``+`` (an index hint), ``rowid`` (``ctid``), ``x IN cte``,
``instr``/``group_concat``/``char``, ``IS [NOT]`` comparisons, NULL ordering (SQLite sorts
NULLs first ascending, PostgreSQL last), and a ``LIMIT`` where ``-1`` means "all". A
``factdb_*`` function applied to a parameter is computed in Python, exactly as SQLite's
registered function computes it (so a name or a date means the same on both engines).

Only full-text search cannot be translated word by word: FTS5's ``MATCH``/``bm25``/
``snippet`` become tsvector columns, ``ts_rank`` and ``ts_headline``
(:mod:`factdb.query.pgsearch`), and one column that mixes numbers and names (the actor
profile's ``value``) is jsonb. Each such replacement must find its SQLite text: if the
registry changes it, translating says so instead of running something else.

Imports nothing heavy (no psycopg): only the PostgreSQL connection imports psycopg.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from factdb.errors import FactdbError
from factdb.query import registry, sqlfunctions
from factdb.query.pgsearch import PG_EVENT_MATCHES, PG_SEARCH
from factdb.query.sqlparts import NAME_WITHIN

_ACTOR_EVENTS = """FROM event_timeline t
  WHERE coalesce(:actor, '') != ''
    AND t.event_id IN (SELECT event_id FROM event_participants
                       WHERE actor_id IN (SELECT actor_id FROM matched))"""
_ACTOR_EVENTS_PG = """FROM (SELECT DISTINCT event_id FROM event_participants
                   WHERE actor_id IN (SELECT actor_id FROM matched)) AS m,
    LATERAL (SELECT * FROM event_timeline v WHERE v.event_id = m.event_id
             AND v.date_earliest <= (SELECT last FROM bounds)
             AND v.date_latest >= (SELECT first FROM bounds) OFFSET 0) AS t
  WHERE coalesce(:actor, '') != ''"""

# The same test, with two LIKEs that it implies (exact: names hold no % or backslash; a "_"
# the LIKEs let through, the first test stops). PostgreSQL guesses a third of all aliases
# pass a strpos() and 1 in 200 a LIKE: so guessed, the actors a name matches are a few, not
# thousands (which had said, timeline and actor scan every statement, participant, alias).
PG_NAME_WITHIN = (f"{NAME_WITHIN} AND normalized LIKE '%' || wanted.n || '%' "
                  "AND ' ' || normalized || ' ' LIKE '% ' || wanted.n || ' %'")
_ACTOR_NAMES = ((NAME_WITHIN, PG_NAME_WITHIN),)

# (SQLite text, PostgreSQL text) pairs: FTS5, and the profile's column of names and counts.
REPLACEMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "search": ((registry.SEARCH, PG_SEARCH),),
    "sources": ((registry.EVENT_MATCHES, PG_EVENT_MATCHES),),
    "resolve_actor": _ACTOR_NAMES,
    "actor": (*_ACTOR_NAMES, ("name AS value", "to_jsonb(name) AS value"),
              ("'alias', alias,", "'alias', to_jsonb(alias),"),
              ("'role', role,", "'role', to_jsonb(role),"),
              ("coalesce(t.n, 0)", "to_jsonb(coalesce(t.n, 0))")),
    "resolve_event": ((registry.EVENT_MATCHES, PG_EVENT_MATCHES),),
    # used twice, so PostgreSQL would materialize it and could not push the dates into the
    # ordered view (every event's documents and participants computed, then filtered)
    "timeline": (*_ACTOR_NAMES, ("bounds AS (SELECT", "bounds AS NOT MATERIALIZED (SELECT"),
                 # the ordered view is not flattened, so a join cannot reach inside it: each
                 # of the actor's events is looked up in it by id (LATERAL) instead of every
                 # event of the dates having its documents and participants computed first
                 # (OFFSET 0: the lookup, dates included, is kept a subquery, not turned
                 # back into a join that filters the dates after computing those columns)
                 (_ACTOR_EVENTS, _ACTOR_EVENTS_PG)),
    # SQLite keeps the chosen order through its forced loop order; PostgreSQL is told it
    "said": (*_ACTOR_NAMES, ("sp.id = s.speaker_id AND d.id = s.document_id",
              "sp.id = s.speaker_id AND d.id = s.document_id\n"
              "ORDER BY chosen.undated, chosen.day, chosen.doc, chosen.at"),),
}
# How the server plans each query's prepared statement when it differs from its default
# (plan anew for each of the first five runs, then keep a generic plan, made for any
# parameters, if it looks no dearer). Generic from the first run: plans that are index
# lookups whatever the parameters, where planning cost more than running (1M: actor 0.8
# ms, document 0.6 ms, for 0.2 and 0.1 ms of work; date-conflicts, a partial index read,
# whose parameters are a limit and --all); and sources, whose generic plan guesses
# an unknown tsquery (words of a description) matches hundreds of events, so it looked
# dearer and each run was planned (event_source_details' dozen tables, 1.5 ms; the run,
# 0.1 ms). Planned for each run: search, whose words decide between walking the primary
# key (a word in most statements: 1,000 hits found in the first 1,100) and the GIN index (a
# rare word); its generic plan took the index for 90k documents (1M: 100 ms, not 13). (The
# documents' first hits choose for themselves: factdb_first_documents, migration 0013.)
PLAN_MODES = {"sources": "force_generic_plan", "actor": "force_generic_plan",
              "resolve_actor": "force_generic_plan", "document": "force_generic_plan",
              "date-conflicts": "force_generic_plan", "search": "force_custom_plan"}
_FTS5 = re.compile(r"\bMATCH\b|\bbm25\(|\bsnippet\(|_fts\.rowid", re.I)
# A string literal, or a comment (kept as it is too: an apostrophe in one is no quote).
_STRING = re.compile(r"'(?:''|[^'])*'|--[^\n]*|/\*.*?\*/", re.S)
_CALL_ON_PARAM = re.compile(r"\bfactdb_(\w+)\(\s*:(\w+)\s*\)")
_PARAM = re.compile(r"(?<![:\w]):(\w+)|\?")


@dataclass(frozen=True)
class Translated:
    """PostgreSQL SQL with ``%(name)s`` parameters, and the parameters computed in Python:
    (new name, function, parameter it applies to)."""

    sql: str
    computed: tuple[tuple[str, Callable[[str | None], object], str], ...] = ()
    plans: str = "auto"  # the server's plan_cache_mode for it (see PLAN_MODES)

    def params(self, given: Mapping[str, object] | tuple | list | None,
               conn: object = None) -> object:
        """The parameters for psycopg; functions that read the database get ``conn``."""
        if not isinstance(given, Mapping):
            return tuple(given or ())
        values = dict(given)
        for name, func, source in self.computed:
            if getattr(func, "reads_database", False):
                values[name] = func(values.get(source), conn)
            else:
                values[name] = func(values.get(source))  # type: ignore[arg-type]
        return values


_FTS5_TOKEN = re.compile(r'"((?:""|[^"])*)"(\*?)|\(|\)|\bAND\b|\bOR\b|\bNOT\b')


def from_fts5(match: str) -> str:
    """The to_tsquery() text for an FTS5 query made by :func:`sqlfunctions.fts_query`:
    quoted phrases (``"a b"``, ``"pre"*``), AND, OR, NOT and parentheses."""
    out = []
    for m in _FTS5_TOKEN.finditer(match):
        token = m.group(0)
        if m.group(1) is not None:
            words = re.findall(r"[^\W_]+", m.group(1).replace('""', '"'))
            if not words:
                out.append("''")  # matches nothing, as FTS5's "" does
                continue
            quoted = [f"'{w}'" for w in words]
            if m.group(2):
                quoted[-1] += ":*"
            out.append("(" + " <-> ".join(quoted) + ")" if len(quoted) > 1 else quoted[0])
        else:
            out.append({"AND": "&", "OR": "|", "NOT": "& !"}.get(token, token))
    return " ".join(out)


def tsquery(text: str | None) -> str:
    """The to_tsquery() text for what a user typed, read as SQLite's search reads it."""
    return from_fts5(sqlfunctions.fts_query(text))


def tsquery_with_names(text: str | None, conn: object) -> str:
    """:func:`tsquery`, with every spelling of an actor named in ``text`` searched too (the
    names the SQLite search finds in its own SQL, read here from ``conn``): an alias is a
    name when it is one of the text's runs of words, each looked up in the index."""
    runs = json.loads(sqlfunctions.word_runs(text))
    rows = conn.execute(  # type: ignore[attr-defined]
        "SELECT a.normalized, b.alias FROM actor_aliases a "
        "JOIN actor_aliases b ON b.actor_id = a.actor_id WHERE a.normalized = ANY(%s)",
        (runs,)).fetchall()
    return from_fts5(sqlfunctions.fts_query(text, json.dumps([list(r) for r in rows])))


tsquery_with_names.reads_database = True  # type: ignore[attr-defined]


# What a factdb_* function on a parameter computes, in Python, for PostgreSQL.
PYTHON_FUNCTIONS: dict[str, Callable] = {
    "fts_query": tsquery,
    "fts_query_names": tsquery_with_names,
    "date_start": sqlfunctions.date_start,
    "date_end": sqlfunctions.date_end,
    "normalize": sqlfunctions.normalize,
}


# Which canned query (or lookup) a SQL text is: its dialect-specific replacements.
_NAMES = {**{q.sql: q.name for q in registry.QUERIES.values()},
          registry.RESOLVE_EVENT: "resolve_event", registry.RESOLVE_ACTOR: "resolve_actor"}


@functools.lru_cache(maxsize=256)
def translate(sql: str, name: str = "") -> Translated:
    """PostgreSQL SQL for SQLite ``sql`` (of canned query ``name``, if it is one)."""
    name = name or _NAMES.get(sql, "")
    for old, new in REPLACEMENTS.get(name, ()):
        if old not in sql:
            raise FactdbError(f"query {name}: its SQLite SQL changed where PostgreSQL needs its "
                              f"own text ({old[:40]!r}...); update factdb/query/dialect.py")
        sql = sql.replace(old, new)
    if _FTS5.search(_STRING.sub(" ", sql)):
        raise FactdbError(f"query {name or sql[:40]!r}: full-text search (FTS5) has no "
                          "PostgreSQL translation; add one to factdb/query/dialect.py")
    computed: list = []

    def call(m: re.Match) -> str:
        func, param = m.group(1), m.group(2)
        if func not in PYTHON_FUNCTIONS:
            return m.group(0)  # a PL/pgSQL factdb_* function of the migrations
        new = f"{param}__{func}"
        computed.append((new, PYTHON_FUNCTIONS[func], param))
        return f":{new}"

    def rewrite(code: str) -> str:
        code = _order_nulls(_rewrite_code(_CALL_ON_PARAM.sub(call, code)))
        return _PARAM.sub(lambda m: f"\x01{m.group(1) or ''}\x01", code)

    # psycopg reads every "%" (in literals too): doubled, then the parameters put in
    out = _outside_strings(sql, rewrite).replace("%", "%%")
    out = re.sub("\x01(\\w*)\x01", lambda m: f"%({m.group(1)})s" if m.group(1) else "%s", out)
    return Translated(out, tuple(dict.fromkeys(computed)), PLAN_MODES.get(name, "auto"))


def _outside_strings(sql: str, rewrite: Callable[[str], str]) -> str:
    """Apply ``rewrite`` to ``sql`` with its string literals masked (kept as they are)."""
    literals: list[str] = []

    def mask(m: re.Match) -> str:
        literals.append(m.group(0))
        return f"\x00{len(literals) - 1}\x00"

    out = rewrite(_STRING.sub(mask, sql))
    return re.sub("\x00(\\d+)\x00", lambda m: literals[int(m.group(1))], out)


_RULES = (
    (re.compile(r"\s+INDEXED\s+BY\s+\w+", re.I), ""),
    (re.compile(r"(?<=[\s(=<>,])\+(?=[A-Za-z_])"), ""),
    (re.compile(r"\browid\b", re.I), "ctid"),
    (re.compile(r"\bIN\s+([A-Za-z_]\w*)\b(?!\s*\()", re.I), r"IN (SELECT * FROM \1)"),
    (re.compile(r"\binstr\(", re.I), "strpos("),
    (re.compile(r"\bgroup_concat\(", re.I), "string_agg("),
    (re.compile(r"\bchar\((?=\d)", re.I), "chr("),
    (re.compile(r"\bIS\s+NOT\s+(?!NULL\b)", re.I), "IS DISTINCT FROM "),
    (re.compile(r"\bIS\s+(?!NOT\b|NULL\b|DISTINCT\b)", re.I), "IS NOT DISTINCT FROM "),
)
_LIMIT = re.compile(r"\bLIMIT\s+(?=coalesce\()", re.I)


def _rewrite_code(code: str) -> str:
    for pattern, replacement in _RULES:
        code = pattern.sub(replacement, code)
    return _alias_subqueries(_limits(code))


def _limits(code: str) -> str:
    """SQLite's ``LIMIT coalesce(x, -1)`` ("-1": every row) is PostgreSQL's ``LIMIT x``
    (NULL: every row); a text limit (a parameter) is cast to a number."""
    out, pos = [], 0
    for m in _LIMIT.finditer(code):
        i = code.index("(", m.end()) + 1
        depth = 1
        while depth and i < len(code):
            depth += (code[i] == "(") - (code[i] == ")")
            i += 1
        expr = code[m.end():i]
        inner = re.fullmatch(r"coalesce\((.+),\s*-1\)", expr, re.I | re.S)
        expr = re.sub(r"(nullif\([^()]*\))", r"\1::bigint", inner.group(1) if inner else expr)
        out += [code[pos:m.end()], expr]
        pos = i
    return "".join([*out, code[pos:]])


_SUBQUERY = re.compile(r"\b(?:FROM|JOIN)\s*\(", re.I)
_AFTER = re.compile(r"\s*(?:AS\b|(?!(?:WHERE|ORDER|GROUP|UNION|LIMIT|JOIN|LEFT|CROSS|INNER|ON|"
                    r"HAVING|EXCEPT|INTERSECT|WINDOW)\b)[A-Za-z_])", re.I)


def _alias_subqueries(code: str) -> str:
    """PostgreSQL (before 16) wants every subquery in FROM named: ``AS sub_N`` is added."""
    out, pos, n = [], 0, 0
    for m in _SUBQUERY.finditer(code):
        if m.start() < pos:
            continue
        depth, i = 1, m.end()
        while depth and i < len(code):
            depth += (code[i] == "(") - (code[i] == ")")
            i += 1
        out.append(code[pos:i])
        if not _AFTER.match(code, i):
            n += 1
            out.append(f" AS sub_{n}")
        pos = i
    return "".join([*out, code[pos:]])


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.I)
_CLAUSE_END = re.compile(r"\b(LIMIT|OFFSET|UNION|EXCEPT|INTERSECT)\b|[);]", re.I)


def _order_nulls(sql: str) -> str:
    """NULLs sort as SQLite sorts them: first ascending, last descending."""
    out, pos = [], 0
    for m in _ORDER_BY.finditer(sql):
        if m.start() < pos:
            continue
        out.append(sql[pos:m.end()])
        end, items, depth, start, i = len(sql), [], 0, m.end(), m.end()
        while i < len(sql):
            ch = sql[i]
            if depth == 0 and (ch == "," or _CLAUSE_END.match(sql, i)):
                if ch != ",":
                    end = i
                    break
                items.append(sql[start:i])
                start = i + 1
            depth += ch == "("
            depth -= ch == ")"
            i += 1
        items.append(sql[start:end])
        out.append(",".join(_nulls(item) for item in items))
        pos = end
    out.append(sql[pos:])
    return "".join(out)


def _nulls(item: str) -> str:
    stripped = item.rstrip()
    if re.search(r"\bNULLS\s+(FIRST|LAST)$", stripped, re.I):
        return item
    order = "LAST" if re.search(r"\bDESC$", stripped, re.I) else "FIRST"
    return f"{stripped} NULLS {order}{item[len(stripped):]}"
