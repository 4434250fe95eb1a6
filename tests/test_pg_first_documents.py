"""PostgreSQL's search takes its first documents by id through factdb_first_documents
(migration 0013), which walks the primary key or reads the GIN index's hits, as the
planner's estimate of the hits says. Either way the documents are the first n by id."""

from __future__ import annotations

import importlib

import pytest

from factdb.store.build import build

FIRST = importlib.import_module("migrations.versions.0013_pg_first_documents")
# Common words of the generated documents, alone, with AND and with OR, and a phrase (two
# rarer words are taken from the data below).
QUERIES = ["'said'", "'said' & 'agreement'", "'said' | 'told'", "'talk' <-> 'secur'"]


@pytest.fixture(scope="module")
def synth_pg(tmp_path_factory):
    from bench import synth
    from tests.conftest import _pg_database

    seeds = tmp_path_factory.mktemp("synth") / "seeds"
    synth.generate(3000, seeds)
    for url in _pg_database():
        build(seeds, url)
        yield url


def test_the_first_documents_are_those_of_the_plain_query_whichever_way(synth_pg):
    import psycopg

    with psycopg.connect(synth_pg, options="-c search_path=factdb") as conn:
        total = conn.execute("SELECT reltuples FROM pg_class "
                             "WHERE oid = 'documents'::regclass").fetchone()[0]
        names = [r[0] for r in conn.execute(
            "SELECT word FROM ts_stat('SELECT words_fts FROM documents') "
            "WHERE ndoc BETWEEN 2 AND 40 AND word ~ '^[a-z]+$' ORDER BY word LIMIT 2")]
        assert total > 100 and len(names) == 2
        ways = set()
        for query in [*QUERIES, f"'{names[0]}'", f"'{names[0]}' | '{names[1]}'"]:
            plan = conn.execute("EXPLAIN (FORMAT JSON) SELECT 1 FROM documents "
                                "WHERE words_fts @@ %s::tsquery", (query,)).fetchone()[0]
            hits = plan[0]["Plan"]["Plan Rows"]
            for n in (1, 10, 1000):
                ways.add(hits * hits > FIRST.WALK_COST * n * total)
                got = conn.execute("SELECT id FROM factdb_first_documents(%s::tsquery, %s)",
                                   (query, n)).fetchall()
                want = conn.execute("SELECT id FROM documents WHERE words_fts @@ %s::tsquery "
                                    "ORDER BY id LIMIT %s", (query, n)).fetchall()
                assert got == want, (query, n)
                assert got or query == "'talk' <-> 'secur'"
        assert ways == {True, False}  # both ways were taken
