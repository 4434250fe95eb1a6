"""The floor for a build: the same end state as `factdb build`, with the least possible work.

Parse every seed file with PyYAML's LibYAML loader (``CSafeLoader``), read the texts, find
each passage's offsets with ``str.find``, and insert the rows with plain ``sqlite3``
``executemany`` in one transaction into a copy of an empty migrated database (so the schema
is identical), then fill the same FTS5 indexes and derived tables. No validation, no error
locations, no verification: everything factdb does beyond this is the price of its checks.

Run as ``python -m bench.baseline SEEDS DB TEMPLATE LAYOUT`` (the benchmark does, to measure
it), where LAYOUT is JSON ``{"columns": factdb.seeds.COLUMNS, "fts": factdb.build.FTS_TABLES}``,
passed in so that this process does not pay for importing pydantic.
"""

from __future__ import annotations

import calendar
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import yaml

from factdb.evidence.names import normalize_name
from factdb.store.summaries import fill_sql

NO_DATE = (None,) * 7


def _date(seed: dict | None) -> tuple:
    if seed is None:
        return NO_DATE
    value = str(seed["value"])  # LibYAML reads 2022-02-01 as a date and 2022 as an int
    if len(value) == 10:
        precision, lo, hi = "day", value, value
    elif len(value) == 7:
        y, m = int(value[:4]), int(value[5:])
        precision, lo, hi = "month", f"{value}-01", f"{value}-{calendar.monthrange(y, m)[1]:02d}"
    else:
        precision, lo, hi = "year", f"{value}-01-01", f"{value}-12-31"
    return (value, precision, seed["basis"], seed.get("words"), seed.get("inferred_from"), lo,
            hi)


def _span(text: str, passage: dict) -> tuple[int, int]:
    words = passage["words"]
    at = text.find(words)
    for _ in range(passage.get("occurrence", 1) - 1):
        at = text.find(words, at + 1)
    return at, at + len(words)


def build(seeds: Path, db: Path, template: Path, columns: dict[str, list[str]],
          fts_tables: list[str]) -> dict[str, int]:
    """Write ``db`` from ``seeds``; return the row count of each table."""
    files = sorted(p for p in Path(seeds).rglob("*.yaml"))
    data = [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) or {} for p in files]
    texts = {}
    rows: dict[str, list[tuple]] = {table: [] for table in columns}
    for item in data:
        doc = item.get("document")
        if doc is None:
            continue
        text = (Path(seeds) / "texts" / doc["file"]).read_bytes().decode()
        texts[doc["id"]] = text
        regions = []
        for part in doc.get("boilerplate", ()):
            start, end = _span(text, part)
            if part.get("to_end"):
                end = len(text)
            elif part.get("until"):
                at = text.find(part["until"], start)
                end = at + len(part["until"])
            regions.append((start, end, part["kind"]))
        for start, end, kind in sorted(regions):
            rows["boilerplate_regions"].append((doc["id"], kind, start, end))
        for skip in doc.get("skips", ()):
            rows["skipped_passages"].append((doc["id"], skip["words"], *_span(text, skip),
                                             skip["reason"]))
        rows["documents"].append((
            doc["id"], doc["title"], doc.get("publisher"), doc.get("author"), doc.get("url"),
            doc["language"], doc.get("machine_translation", False), doc.get("translated_from"),
            *_date(doc["published"]), doc["file"], doc["sha256"], text,
            doc.get("republished_from"),
        ))
    for item in data:
        for actor in item.get("actors", ()):
            aid = actor["id"]
            rows["actors"].append((aid, actor["name"], actor["kind"], actor.get("description"),
                                   actor.get("party")))
            names = {actor["name"]: []}
            for alias in actor.get("aliases", ()):
                names[alias["name"]] = alias.get("seen_in", [])
            for name, seen in names.items():
                normalized = normalize_name(name)
                if not seen:
                    rows["actor_aliases"].append((aid, name, normalized, None, None, None))
                for doc_id in seen:
                    start = texts[doc_id].find(name)
                    rows["actor_aliases"].append((aid, name, normalized, doc_id, start,
                                                  start + len(name)))
            for role in actor.get("roles", ()):
                rows["actor_roles"].append((aid, role["role"], role["document"], role["words"],
                                            *_span(texts[role["document"]], role)))
    default = None
    for item in data:
        default = (item.get("document") or {}).get("id")
        for st in item.get("statements", ()):
            doc_id = st.get("document", default)
            rows["facts"].append((st["id"], "statement"))
            rows["statements"].append((
                st["id"], st["speaker"], doc_id, st["words"], *_span(texts[doc_id], st),
                st["speech"], *_date(st.get("said")), st.get("venue"), st.get("relayed_by"),
                st.get("note"), st.get("status", "normal"), st.get("status_reason"),
                st.get("origin"),
            ))
    for item in data:
        for ev in item.get("events", ()):
            rows["facts"].append((ev["id"], "event"))
            rows["events"].append((ev["id"], ev["description"], ev.get("kind"),
                                   *_date(ev["date"]), ev.get("place"), ev.get("note"),
                                   ev.get("status", "normal"), ev.get("status_reason")))
            for part in ev.get("participants", ()):
                rows["event_participants"].append((ev["id"], part["actor"], part.get("role")))
            for src in ev["sources"]:
                rows["event_sources"].append((ev["id"], src["document"], src["words"],
                                              *_span(texts[src["document"]], src),
                                              src.get("relayed_by"), src.get("origin"),
                                              *_date(src.get("date"))))
    for item in data:
        for rel in item.get("relations", ()):
            rows["relations"].append((rel["id"], rel["kind"], rel["fact"],
                                      rel.get("fact_document"), rel["other"],
                                      rel.get("other_document"), rel["note"]))
    shutil.copyfile(template, db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    for table, names in columns.items():
        conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) "
                         f"VALUES ({', '.join('?' * len(names))})", rows[table])
    for fts in fts_tables:
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    for statement in fill_sql("sqlite"):
        conn.execute(statement)
    conn.execute("COMMIT")
    conn.close()
    return {table: len(r) for table, r in rows.items()}


if __name__ == "__main__":
    seeds_dir, db_path, template_path = (Path(a) for a in sys.argv[1:4])
    layout = json.loads(sys.argv[4])
    build(seeds_dir, db_path, template_path, layout["columns"], layout["fts"])
