import sqlite3


def test_build_loads_the_five_seed_documents(seeds_db):
    conn = sqlite3.connect(seeds_db)
    assert conn.execute("select count(*) from alembic_version").fetchone() == (1,)
