"""Derived tables a build writes after loading: each actor's counts and date bounds.

``actor_summaries`` (migration 0009) holds, per actor and section (``statements`` said,
``events`` taken part in, ``documents`` appeared in), how many and the first and last
date, once leaving deprecated facts out (``n``, ``first``, ``last``) and once counting
every fact (``*_all``), as the ``actor`` canned query used to sum them up on every call
(tens of thousands of index entries for a busy speaker at 1M statements). The SQLite build,
PostgreSQL's build (factdb.store.pgload) and the migration that creates the table fill it
with :func:`fill_sql`; a rebuild that splices rows (factdb.store.reuse) sums up again only
the actors for whom what its records' rows put in changed (:func:`inputs`, :func:`reached`,
:func:`refill`), keeping the rows in the order a full build writes them. The SQL is
SQLite's; PostgreSQL runs it as :func:`factdb.query.dialect.translate` turns it
(``INDEXED BY`` dropped).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable

DOCUMENT_DATES = "ix_documents_id_published_on_earliest_published_on_latest_published_on"
# The tables derived from the loaded rows (by SQL after loading), not filled by the loader.
DERIVED = ("actor_summaries",)
COLUMNS = "actor_id, section, n, first, last, n_all, first_all, last_all"
TOUCHED_TABLE = "temp.touched_actors"
OWNED_TABLE = "temp.owned_records"


# A filter of an arm's rows, given its actor column, and the section and id column of the
# record that owns its rows (the record a rebuild resolves again with them).
Only = Callable[[str, str, str], str]


def _pairs(only: Only) -> str:
    """Every (actor, document) the actor appears in, as the profile counts them."""
    return f"""SELECT speaker_id AS actor_id, document_id FROM statements
          WHERE {only("speaker_id", "statements", "id")}
    UNION SELECT relayed_by_id, document_id FROM statements
          WHERE {only("relayed_by_id", "statements", "id")}
    UNION SELECT actor_id, document_id FROM actor_aliases
          WHERE {only("actor_id", "actors", "actor_id")} AND document_id IS NOT NULL
    UNION SELECT actor_id, document_id FROM actor_roles
          WHERE {only("actor_id", "actors", "actor_id")}
    UNION SELECT p.actor_id, s.document_id
          FROM event_participants p JOIN event_sources s ON s.event_id = p.event_id
          WHERE {only("p.actor_id", "events", "p.event_id")}
    UNION SELECT relayed_by_id, document_id FROM event_sources
          WHERE {only("relayed_by_id", "events", "event_id")}
    UNION SELECT publisher_id, id FROM documents
          WHERE {only("publisher_id", "document", "id")}"""


def _inputs(only: Only) -> str:
    """What each actor's summary is made of: a row per (section, actor, shown or not, date
    key). A date is keyed "earliest latest date" (ISO days sort as text)."""
    return f"""SELECT 'statements' AS section, s.speaker_id AS actor_id,
         CASE WHEN s.status = 'deprecated' THEN 0 ELSE 1 END AS shown,
         coalesce(s.said_on_earliest, d.published_on_earliest)
         || coalesce(s.said_on_latest, d.published_on_latest)
         || coalesce(s.said_on, d.published_on) AS k
  FROM statements s JOIN documents d INDEXED BY {DOCUMENT_DATES} ON d.id = s.document_id
  WHERE {only("s.speaker_id", "statements", "s.id")}
  UNION ALL
  SELECT 'events', p.actor_id, CASE WHEN e.status = 'deprecated' THEN 0 ELSE 1 END,
         e.date_earliest || e.date_latest || e.date
  FROM event_participants p JOIN events e ON e.id = p.event_id
  WHERE {only("p.actor_id", "events", "p.event_id")}
  UNION ALL
  SELECT 'documents', a.actor_id, 1,
         d.published_on_earliest || d.published_on_latest || d.published_on
  FROM ({_pairs(only)}) AS a
  JOIN documents d INDEXED BY {DOCUMENT_DATES} ON d.id = a.document_id"""


def _sums(only: Only) -> str:
    """Each actor's sections summed up: min/max of the keys give the first and last date,
    ties falling to the date text, which is the key from character 21 on."""
    return f"""SELECT actor_id, section, sum(shown) AS n,
       substr(min(CASE WHEN shown = 1 THEN k END), 21) AS first,
       substr(max(CASE WHEN shown = 1 THEN k END), 21) AS last, count(*) AS n_all,
       substr(min(k), 21) AS first_all, substr(max(k), 21) AS last_all
FROM ({_inputs(only)}) AS x
GROUP BY actor_id, section"""


def _every(actor: str, section: str, owner: str) -> str:
    return f"{actor} IS NOT NULL"


def _touched(actor: str, section: str, owner: str) -> str:
    return f"{actor} IN (SELECT actor_id FROM {TOUCHED_TABLE})"


def _owned(actor: str, section: str, owner: str) -> str:
    return (f"{actor} IS NOT NULL AND {owner} IN "
            f"(SELECT id FROM {OWNED_TABLE} WHERE section = '{section}')")


FILL = f"INSERT INTO actor_summaries ({COLUMNS})\n{_sums(_every)}\nORDER BY actor_id, section"
# The touched actors summed up again, the others' rows kept: all in a full build's order.
REFILL = f"""INSERT INTO actor_summaries ({COLUMNS})
SELECT * FROM (SELECT {COLUMNS} FROM temp.kept_summaries UNION ALL {_sums(_touched)}) AS t
ORDER BY actor_id, section"""
EMPTY = "DELETE FROM actor_summaries"
OWNED = f"SELECT section, actor_id, shown, k FROM ({_inputs(_owned)}) AS x"


def fill_sql(dialect: str) -> list[str]:
    """The statements that fill the summaries afresh, for ``sqlite`` or ``postgresql``."""
    if dialect == "postgresql":
        from factdb.query.dialect import translate

        return [EMPTY, translate(FILL, "actor_summaries").sql]
    return [EMPTY, FILL]


def inputs(conn: sqlite3.Connection, records: Iterable[tuple[str, str]]) -> Counter:
    """What the rows of ``records`` ((section, id) keys) put in the actors' summaries, in
    the database as it is now (a rebuild asks before and after replacing them)."""
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {OWNED_TABLE.split('.')[1]} "
                 "(section TEXT, id TEXT, PRIMARY KEY (section, id)) WITHOUT ROWID")
    conn.execute(f"DELETE FROM {OWNED_TABLE}")
    conn.executemany(f"INSERT OR IGNORE INTO {OWNED_TABLE} VALUES (?, ?)", records)
    return Counter(conn.execute(OWNED))


def reached(before: Counter, after: Counter) -> set[str]:
    """The actors whose summaries the change from ``before`` to ``after`` (:func:`inputs`)
    may alter. The rows of records not resolved again are the same, and so is what they
    put in (a record whose document changed is resolved again), so only these count."""
    return {actor for _, actor, _, _ in (before - after) + (after - before)}


def refill(conn: sqlite3.Connection, actors: set[str]) -> None:
    """Sum up ``actors`` again (after a splice), leaving the table as a full build's."""
    conn.execute(f"CREATE TEMP TABLE {TOUCHED_TABLE.split('.')[1]} (actor_id TEXT PRIMARY KEY)")
    conn.executemany(f"INSERT INTO {TOUCHED_TABLE} VALUES (?)", ((a,) for a in actors))
    conn.execute(f"CREATE TEMP TABLE kept_summaries AS SELECT {COLUMNS} FROM actor_summaries "
                 f"WHERE actor_id NOT IN (SELECT actor_id FROM {TOUCHED_TABLE})")
    conn.execute(EMPTY)
    conn.execute(REFILL)
    conn.execute("DROP TABLE temp.kept_summaries")
    conn.execute(f"DROP TABLE {TOUCHED_TABLE}")
