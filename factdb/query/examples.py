"""Examples drawn from a database's own data: the busiest speaker and a name that means
only them (the build's "next, try" line and the web site's worked examples)."""

from __future__ import annotations

import sqlite3

from factdb.errors import FactdbError
from factdb.query.run import resolve_actor

BUSIEST_SPEAKER = ("SELECT speaker_id FROM statements GROUP BY speaker_id "
                   "ORDER BY count(*) DESC, speaker_id LIMIT 1")


def busiest_speaker(conn: sqlite3.Connection) -> str | None:
    """The id of the actor with the most statements (ties: the first id); None if none."""
    found = conn.execute(BUSIEST_SPEAKER).fetchone()
    return found[0] if found else None


def shortest_name(conn: sqlite3.Connection, actor_id: str) -> str:
    """The shortest of the actor's names and surnames that `said` resolves to them alone;
    the id when every name is shared."""
    names = {n for (n,) in conn.execute("SELECT alias FROM actor_aliases WHERE actor_id = ? "
                                        "UNION SELECT name FROM actors WHERE id = ?",
                                        (actor_id, actor_id))}
    names |= {n.split()[-1] for n in names if n.split()}
    for name in sorted(names, key=lambda n: (len(n), n)):
        try:
            if resolve_actor(conn, name) == actor_id:
                return name
        except FactdbError:  # several actors answer to it
            continue
    return actor_id
