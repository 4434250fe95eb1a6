"""`python -m bench.searchparity SQLITE_DB POSTGRESQL_URL [--every N]`: every distinct word
of the database's texts searched on both engines, and the words whose hits differ.

Both databases must be built from the same seeds. Prints one line per word that differs
(what only SQLite finds, what only PostgreSQL finds) and a count; not a test, because
which words differ depends on the seeds (see README, PostgreSQL: two-letter words).
"""

from __future__ import annotations

import argparse
import re
import sqlite3
from pathlib import Path

TEXTS = ("SELECT quote FROM statements UNION ALL SELECT title || ' ' || text FROM documents "
         "UNION ALL SELECT description || ' ' || coalesce(place, '') FROM events")


def differences(sqlite_db: Path, url: str, every: int = 1) -> tuple[int, list[tuple]]:
    """The number of words asked, and (word, hits only on SQLite, hits only on PostgreSQL)
    for each word whose hits differ."""
    from factdb.query import run as querying

    raw = sqlite3.connect(f"file:{sqlite_db}?mode=ro", uri=True)
    text = " ".join(t or "" for (t,) in raw.execute(TEXTS))
    raw.close()
    words = sorted({w.lower() for w in re.findall(r"[^\W_]+", text)})[::every]
    engines = (querying.connect(sqlite_db), querying.connect(url))
    found = []
    for word in words:
        lite, pg = ({(r[0], r[1]) for r in querying.run(conn, "search", {
            "text": word, "limit": "1000000"}).rows} for conn in engines)
        if lite != pg:
            found.append((word, sorted(lite - pg), sorted(pg - lite)))
    return len(words), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sqlite_db", type=Path)
    parser.add_argument("url")
    parser.add_argument("--every", type=int, default=1, help="ask every Nth word only")
    args = parser.parse_args()
    asked, found = differences(args.sqlite_db, args.url, args.every)
    for word, lite, pg in found:
        print(f"{word!r}: only SQLite {len(lite)} {lite[:3]}, only PostgreSQL {len(pg)} {pg[:3]}")
    print(f"{asked} words asked, {len(found)} give different hits")


if __name__ == "__main__":
    main()
