"""factdb on PostgreSQL: builds (one transaction, serialised, COPY), factdb's mark, bad
input and faults (clear messages, exit 1, the old facts intact), read-only ad hoc SQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psycopg
import pytest

from factdb.store.pgload import BUILD_LOCK
from tests.conftest import FIXTURES, ROOT, SEEDS

QUERY_SEEDS = FIXTURES / "queries" / "seeds"


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [t for (t,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'factdb' "
            "AND table_type = 'BASE TABLE' ORDER BY 1")]
        return {t: conn.execute(f"SELECT count(*) FROM factdb.{t}").fetchone()[0]
                for t in tables}


def failed(result, *words: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def factdb(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factdb", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, **env},
                          timeout=120)


def test_build_marks_the_database_and_a_rebuild_replaces_the_facts(cli, pg_url):
    result = cli("build", "--seeds", QUERY_SEEDS, "--db", pg_url)
    assert result.exit_code == 0, result.output
    assert f"built {pg_url} (schema " in result.stdout
    first = counts(pg_url)
    assert first["factdb_marker"] == 1 and first["statements"] > 0
    assert cli("build", "--seeds", SEEDS, "--db", pg_url).exit_code == 0
    second = counts(pg_url)
    assert second["statements"] != first["statements"]
    with psycopg.connect(pg_url) as conn:  # no schema of a build is left behind
        assert [s for (s,) in conn.execute("SELECT nspname FROM pg_namespace")
                if s.startswith("factdb")] in (["factdb"], ["factdb", "factdb_ext"],
                                               ["factdb_ext", "factdb"])


def test_the_url_may_come_from_factdb_db(pg_url):
    assert factdb("build", "--seeds", QUERY_SEEDS, FACTDB_DB=pg_url).returncode == 0
    out = factdb("query", "said", "Lavrov", "--format", "json", FACTDB_DB=pg_url)
    assert out.returncode == 0 and "Sergey Lavrov" in out.stdout


def test_bad_seeds_give_the_sqlite_messages_and_the_server_is_untouched(cli, pg_url, tmp_path):
    bad = FIXTURES / "bad" / "unknown-actor"
    on_sqlite = cli("build", "--seeds", bad, "--db", tmp_path / "x.db")
    on_pg = cli("build", "--seeds", bad, "--db", pg_url)
    assert on_sqlite.exit_code == on_pg.exit_code == 1
    assert on_pg.stderr == on_sqlite.stderr
    assert counts(pg_url) == {}


def test_seeds_found_bad_after_rows_went_to_the_server_commit_nothing(
        cli, pg_url, tmp_path, monkeypatch):
    from factdb.seeds import load
    from factdb.store import pgload

    bad = FIXTURES / "bad" / "duplicate-id"  # the duplicate is in the second file read
    on_sqlite = cli("build", "--seeds", bad, "--db", tmp_path / "x.db")
    sent, send = [], pgload._Server.send

    def spy(server: pgload._Server, table: str, rows: list[tuple]) -> None:
        sent.append(table)
        send(server, table, rows)

    monkeypatch.setattr(load, "SINK_BATCH", 0)  # rows go to the server after every file
    monkeypatch.setattr(pgload._Server, "send", spy)
    on_pg = cli("build", "--seeds", bad, "--db", pg_url)
    assert sent, "no rows reached the server before the problem was found"
    assert on_pg.exit_code == on_sqlite.exit_code == 1
    assert on_pg.stderr == on_sqlite.stderr
    assert counts(pg_url) == {}
    with psycopg.connect(pg_url) as conn:  # the fresh schema went with the transaction
        assert not conn.execute("SELECT 1 FROM pg_namespace WHERE nspname LIKE "
                                "'factdb_build%'").fetchone()


def test_bad_seeds_are_said_before_a_server_that_cannot_be_reached(cli, tmp_path):
    bad = FIXTURES / "bad" / "unknown-actor"
    on_sqlite = cli("build", "--seeds", bad, "--db", tmp_path / "x.db")
    on_pg = cli("build", "--seeds", bad, "--db", "postgresql://postgres@127.0.0.1:1/factdb")
    assert on_pg.exit_code == 1 and on_pg.stderr == on_sqlite.stderr


def test_a_database_factdb_did_not_make_is_refused(cli, pg_url):
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE customers (id int)")
    for args in (("build", "--seeds", QUERY_SEEDS), ("query", "timeline"),
                 ("db", "upgrade"), ("db", "current")):
        failed(cli(*args, "--db", pg_url), "factdb did not make", "customers")
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM customers").fetchone() == (0,)


@pytest.mark.parametrize(("url", "words"), [
    ("postgresql://postgres@127.0.0.1:1/factdb", "cannot reach the PostgreSQL server"),
    ("postgresql://nosuchuser:secret@127.0.0.1/postgres", "refused the login"),
    ("postgresql://postgres@127.0.0.1/no_such_database_here", "does not exist on the server"),
])
def test_connection_problems_are_one_clear_message(cli, pg_url, url, words):
    for args in (("build", "--seeds", QUERY_SEEDS), ("query", "timeline"), ("db", "current")):
        message = failed(cli(*args, "--db", url), words)
        assert "secret" not in message


def test_a_schema_newer_than_the_code_is_refused(cli, pg_url):
    assert cli("build", "--seeds", QUERY_SEEDS, "--db", pg_url).exit_code == 0
    with psycopg.connect(pg_url) as conn:
        conn.execute("UPDATE factdb.alembic_version SET version_num = '9999'")
    failed(cli("query", "timeline", "--db", pg_url), "'9999' is unknown to this factdb")
    failed(cli("db", "upgrade", "--db", pg_url), "'9999' is unknown to this factdb")
    assert cli("build", "--seeds", QUERY_SEEDS, "--db", pg_url).exit_code == 0  # rebuilt


def test_a_dropped_connection_mid_build_leaves_the_old_facts(cli, pg_url):
    assert cli("build", "--seeds", QUERY_SEEDS, "--db", pg_url).exit_code == 0
    before = counts(pg_url)
    reader, build = _build_waiting_at_the_swap(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (_swapping(admin),))
    _, stderr = build.communicate(timeout=60)
    reader.close()
    assert build.returncode == 1 and "Traceback" not in stderr
    assert "lost the connection to the server during the build" in stderr
    assert "previous facts are unchanged" in stderr
    assert counts(pg_url) == before
    assert cli("build", "--seeds", SEEDS, "--db", pg_url).exit_code == 0
    assert counts(pg_url) != before


def test_a_second_build_waits_for_the_first_and_says_so(pg_url):
    holder = psycopg.connect(pg_url)  # the "first build" holds the build lock
    holder.execute("SELECT pg_advisory_xact_lock(%s)", (BUILD_LOCK,))
    build = subprocess.Popen([sys.executable, "-m", "factdb", "build", "--seeds", QUERY_SEEDS,
                              "--db", pg_url], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    with psycopg.connect(pg_url, autocommit=True) as admin:
        for _ in range(600):
            if admin.execute("SELECT 1 FROM pg_stat_activity WHERE datname = "
                             "current_database() AND wait_event = 'advisory'").fetchone():
                break
            time.sleep(0.1)
        else:
            pytest.fail("the second build never waited")
    assert counts(pg_url) == {}  # it waits before touching anything
    holder.rollback()
    holder.close()
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 0, stderr
    assert "waited" in stderr and "for another build of this database to finish" in stderr
    assert counts(pg_url)["statements"] > 0


HOSTILE = [
    "DROP TABLE actors", "DELETE FROM actors", "UPDATE actors SET name = 'x'",
    "INSERT INTO facts VALUES ('x', 'event')", "CREATE TABLE x (a int)",
    "TRUNCATE actors", "ALTER TABLE actors ADD COLUMN x int", "GRANT ALL ON actors TO public",
    "SELECT pg_terminate_backend(pg_backend_pid())", "SELECT nextval('actor_aliases_id_seq')",
    "SELECT set_config('default_transaction_read_only', 'off', false)",
    "SELECT lo_import('/etc/passwd')", "SELECT pg_read_file('/etc/passwd')",
    "COPY actors TO PROGRAM 'touch /tmp/factdb-pwned'", "SELECT 1; DROP TABLE actors",
    "WITH gone AS (DELETE FROM actors RETURNING *) SELECT * FROM gone",
    "SELECT * INTO stolen FROM actors", "SELECT * FROM actors FOR UPDATE",
    "SET default_transaction_read_only = off", "DO $$ BEGIN DELETE FROM actors; END $$",
    "CALL nothing()", "VACUUM", "LOCK actors",
    # hidden from a reader of the text, not from the server's plan
    "SELECT E'\\'' , pg_terminate_backend(pg_backend_pid()) --'",
    "SELECT * FROM pg_terminate_backend(pg_backend_pid())",
    'SELECT "pg_terminate_backend"(pg_backend_pid())',
    "SELECT (SELECT pg_catalog.set_config('search_path', 'public', false))",
    "EXPLAIN ANALYZE SELECT pg_terminate_backend(pg_backend_pid())",
]


def test_query_sql_refuses_everything_but_reading(cli, pg_queries_url):
    before = counts(pg_queries_url)
    for sql in HOSTILE:
        result = cli("query", "sql", sql, "--db", pg_queries_url)
        assert result.exit_code == 1, sql
        assert "Traceback" not in result.output
        assert any(w in result.stderr for w in ("refused", "one SQL statement")), \
            (sql, result.stderr)
    assert counts(pg_queries_url) == before
    assert not os.path.exists("/tmp/factdb-pwned")
    ok = cli("query", "sql", "SELECT factdb_date_end('2022-02') AS last", "--db",
             pg_queries_url, "--format", "json")
    assert ok.exit_code == 0 and '"2022-02-28"' in ok.stdout


def test_a_long_statement_is_stopped_at_its_time_limit(pg_queries_url, cli):
    result = cli("query", "sql", "SELECT count(*) FROM generate_series(1, 100000000)",
                 "--timeout", "0.2", "--db", pg_queries_url)
    failed(result, "longer than the time allowed (--timeout)")


def test_the_sqlite_query_path_imports_no_psycopg(seeds_db):
    probe = ("import sys\nfrom factdb.cli import main\n"
             f"sys.argv = ['factdb', 'query', 'said', 'Lavrov', '--db', {str(seeds_db)!r}]\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('psycopg', 'sqlglot') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.splitlines()[-1] == "[]"


def _build_waiting_at_the_swap(url: str):
    """A build (a child process) held just before its swap by a reader of the old tables."""
    reader = psycopg.connect(url)
    reader.execute("SELECT count(*) FROM factdb.statements").fetchone()
    build = subprocess.Popen([sys.executable, "-m", "factdb", "build", "--seeds", SEEDS,
                              "--db", url], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    with psycopg.connect(url, autocommit=True) as admin:
        _swapping(admin)
    return reader, build


def _swapping(admin: psycopg.Connection) -> int:
    """The server process of a build that is trying to swap its facts in."""
    for _ in range(600):
        row = admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = "
                            "current_database() AND query LIKE 'ROLLBACK TO SAVEPOINT "
                            "factdb_swap%'").fetchone()
        if row:
            return row[0]
        time.sleep(0.1)
    pytest.fail("the build never reached the swap")


def test_a_killed_build_leaves_the_old_facts(cli, pg_url):
    assert cli("build", "--seeds", QUERY_SEEDS, "--db", pg_url).exit_code == 0
    before = counts(pg_url)
    reader, build = _build_waiting_at_the_swap(pg_url)
    build.kill()  # SIGKILL: no goodbye to the server; it rolls back the dead session
    build.wait(timeout=30)
    reader.close()
    assert counts(pg_url) == before
    assert cli("build", "--seeds", SEEDS, "--db", pg_url).exit_code == 0


def test_readers_see_the_old_facts_or_the_new_never_a_mix(cli, pg_url):
    assert cli("build", "--seeds", QUERY_SEEDS, "--db", pg_url).exit_code == 0
    sql = ("SELECT (SELECT count(*) FROM factdb.statements), "
           "(SELECT count(*) FROM factdb.documents), (SELECT count(*) FROM factdb.events)")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        old = conn.execute(sql).fetchone()
        reader, build = _build_waiting_at_the_swap(pg_url)
        # the reader's own transaction still reads the old facts, all of them
        seen = {reader.execute(sql).fetchone()}
        reader.close()  # its transaction ends: the swap goes ahead
        seen.add(conn.execute(sql).fetchone())
        while build.poll() is None:
            seen.add(conn.execute(sql).fetchone())
        new = conn.execute(sql).fetchone()
    assert build.returncode == 0, build.stderr.read()
    assert old != new and seen <= {old, new}


def test_the_postgresql_benchmark_runs_at_a_tiny_size(pg_url, tmp_path):
    from tests.conftest import PG_SERVER

    out = subprocess.run([sys.executable, "-m", "bench.pgbench", "--sizes", "40", "--runs",
                          "1", "--server", PG_SERVER, "--out", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1].startswith("| 40 |")
    assert (tmp_path / "pgbench.json").is_file()


@pytest.mark.parametrize("row", [
    (None, True, False, 0, -7, 2.5, ""),
    ("a\\b", "tab\there", "two\nlines", "cr\r\nlf", "\\N", "naïve “quote” …", "\\\t\n"),
    ("x" * 10_000 + "\n" + "y",),
])
def test_rows_are_written_in_copy_s_text_format(row):
    """Each value as COPY's text format reads it back: \\N for none, t/f, every backslash,
    tab, newline and carriage return escaped (checked against the format's own rules)."""
    from factdb.store.pgload import copy_lines

    def field(value: object) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        escapes = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
        return "".join(escapes.get(c, c) for c in str(value))

    assert copy_lines([row, row[::-1]]) == "".join(
        "\t".join(map(field, r)) + "\n" for r in (row, row[::-1]))


def test_verify_finds_words_the_server_holds_wrong_with_parallel_workers(cli, pg_url):
    """The build's last check runs in its own transaction, on rows not yet committed, with
    parallel workers sharing the scans: they must see those rows (and say the bad one)."""
    from factdb.errors import FactdbError
    from factdb.seeds.columns import COLUMNS
    from factdb.store import pgload

    assert cli("build", "--seeds", QUERY_SEEDS, "--db", pg_url).exit_code == 0
    with psycopg.connect(pg_url, options="-c search_path=factdb") as raw:
        expected = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COLUMNS}
        pgload.verify(raw, expected)  # as built: nothing to say
        (sid, lo, hi) = raw.execute(
            "SELECT id, start_offset, end_offset FROM statements WHERE id NOT IN "
            "(SELECT statement_id FROM statement_pieces) ORDER BY id LIMIT 1").fetchone()
        raw.execute("UPDATE statements SET quote = quote || '!' WHERE id = %s", (sid,))
        raw.execute("DELETE FROM actor_aliases WHERE id IN "
                    "(SELECT id FROM actor_aliases ORDER BY id LIMIT 1)")
        # These rows are few: make the workers, not the leader, read them anyway.
        forced = ("debug_parallel_query" if raw.info.server_version >= 160000
                  else "force_parallel_mode")
        raw.execute(f"SET LOCAL {forced} = on")
        raw.execute("SET LOCAL parallel_leader_participation = off")
        plan = "\n".join(r for (r,) in raw.execute("EXPLAIN " + pgload.span_checks()[0][1]))
        assert "Gather" in plan, plan
        with pytest.raises(FactdbError) as found:
            pgload.verify(raw, expected)
        said = str(found.value)
        assert f"statements row {sid}: offsets {lo}-{hi} do not hold its words" in said
        assert (f"actor_aliases: {expected['actor_aliases'] - 1} rows written, "
                f"{expected['actor_aliases']} expected") in said
        raw.rollback()
