"""Pieces of SQL the canned queries share (see :mod:`factdb.query.registry`): a name's
actors, a date with its precision and basis, a translation flag, and a fact that is not
deprecated unless the question asks for every fact."""

from __future__ import annotations

# An alias that holds the wanted name as whole words.
NAME_WITHIN = "instr(' ' || normalized || ' ', ' ' || wanted.n || ' ') > 0"


def actor_matches(param: str) -> str:
    """CTEs ``wanted`` and ``matched``: ids of the actors a name (parameter ``param``) means.

    An actor id, or a name equal to one of an actor's aliases ignoring case, diacritics and
    punctuation, wins; failing that, every actor with an alias that contains the name as
    whole words ("Lavrov" finds "Sergey Lavrov").
    """
    return f"""wanted AS (SELECT factdb_normalize(:{param}) AS n),
named AS (
  SELECT actor_id FROM actor_aliases, wanted WHERE normalized = wanted.n
  UNION SELECT id FROM actors WHERE id = :{param}
),
matched AS (
  SELECT actor_id FROM named
  UNION
  SELECT actor_id FROM actor_aliases, wanted
  WHERE NOT EXISTS (SELECT 1 FROM named) AND wanted.n != ''
    AND {NAME_WITHIN}
)"""


def dated(column: str) -> str:
    """SQL for a date with its precision and basis: ``2022-02-01 (day, inferred from 'on
    Tuesday')``; ``undated`` when there is none. ``column`` is e.g. ``s.said_on``."""
    quote = "''''"  # one single quote, as an SQL string literal
    return (f"CASE WHEN {column} IS NULL THEN 'undated' ELSE {column} || ' (' || "
            f"{column}_precision || ', ' || CASE WHEN {column}_basis = 'inferred' THEN "
            f"'inferred' || coalesce(' from ' || {quote} || {column}_words || {quote}, '') "
            "ELSE 'stated' END || ')' END")


def translation(doc: str) -> str:
    """SQL saying whether a document (alias ``doc``) is a machine translation, and from what."""
    return (f"CASE WHEN {doc}.is_machine_translation THEN 'machine translation' || "
            f"coalesce(' from ' || {doc}.translated_from, '') ELSE '' END")


# What the ``all`` parameter (``--all``) takes: a yes lists deprecated facts too; empty (as
# Datasette sends an unticked box) or a no leaves them out. The CLI refuses anything else.
YES = ("1", "yes", "true", "on")
NO = ("", "0", "no", "false", "off")


# True when the question asks for every fact, deprecated ones included.
ASKED = "lower(coalesce(:all, '')) NOT IN (" + ", ".join(f"'{w}'" for w in NO) + ")"
_DEPRECATED = "status = 'deprecated'"


def shown(key: str, table: str, column: str = "id") -> str:
    """SQL true when a fact is listed: parameter ``all`` asks for every fact, or ``key`` (an
    SQL expression) is no deprecated row's ``column`` in ``table``. The deprecated rows come
    from a partial index (migration 0007), so a query answered from covering indexes does
    not read each row for its status."""
    return f"({ASKED} OR {key} NOT IN (SELECT {column} FROM {table} WHERE {_DEPRECATED}))"


def fact_shown(key: str) -> str:
    """:func:`shown` for a fact id that may be a statement's or an event's."""
    return (f"({ASKED} OR {key} NOT IN (SELECT id FROM statements WHERE {_DEPRECATED} "
            f"UNION ALL SELECT id FROM events WHERE {_DEPRECATED}))")
