"""`factdb export --db postgresql://...`: the same seeds built into SQLite and into PostgreSQL
export to the same files in every format, read in one snapshot; PostgreSQL's problems are
said as `factdb query` says them."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pyarrow.parquet as pq
import pytest

from factdb.export.pgsource import pg_relations, snapshot
from factdb.export.relations import sqlite_relations
from factdb.store.build import build
from factdb.store.db import SCHEMA_HEAD
from tests.conftest import FIXTURES, ROOT, SEEDS, _pg_database

FORMATS = ("parquet", "csv", "jsonl", "web-annotation")
QUERY_SEEDS = FIXTURES / "queries" / "seeds"
ODD_TEXT = ('Odd values: a tab\there, a backslash \\ and \\N, "quotes", commas, a; b\n'
            "Emoji 🦊 and e\u0301 combining, zero\u200bwidth, CJK 北京, Ünïcödé.\n"
            'Sergey Lavrov said \t"🦊 foxes, \\N and commas" at last.\n')


def _odd_seeds(dest: Path) -> Path:
    """fixtures/queries/seeds and a document of odd values: tabs, backslashes, ``\\N`` (COPY's
    NULL), quotes, commas, newlines, a character outside the BMP, a combining accent."""
    shutil.copytree(QUERY_SEEDS, dest)
    (dest / "texts" / "odd-values.txt").write_text(ODD_TEXT, encoding="utf-8")
    digest = hashlib.sha256(ODD_TEXT.encode()).hexdigest()
    (dest / "documents" / "odd-values.yaml").write_text(
        "document:\n  id: odd-values\n  file: odd-values.txt\n"
        f"  sha256: {digest}\n"
        '  title: "Odd \\"values\\", tabs\\tand \\\\N"\n'
        '  url: https://example.org/odd?q=a,b&r="1"\n'
        "  publisher: tass\n  language: en\n"
        '  published: {value: 2022-02, basis: stated, words: "Ünïcödé"}\n\n'
        "statements:\n  - id: lavrov-odd-foxes\n    speaker: sergey-lavrov\n"
        '    speech: direct\n    words: "\\"🦊 foxes, \\\\N and commas\\""\n'
        '    note: "a note with a newline\\nand a tab\\t, \\"quoted\\""\n', encoding="utf-8")
    return dest


@pytest.fixture(scope="module", params=["seeds", "odd"])
def both(request, tmp_path_factory: pytest.TempPathFactory):
    """(SQLite file, PostgreSQL URL), both built from the same seeds."""
    folder = tmp_path_factory.mktemp(request.param)
    seeds = SEEDS if request.param == "seeds" else _odd_seeds(folder / "seeds")
    for url in _pg_database():
        build(seeds, folder / "factdb.db")
        build(seeds, url)
        yield folder / "factdb.db", url


def _export(cli, db: object, fmt: str, output: Path) -> Path:
    result = cli("export", "--format", fmt, "--output", output, "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"exported {db} (schema {SCHEMA_HEAD}) as {fmt} to ")
    return output


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "factdb-export.json").read_text(encoding="utf-8"))


def test_both_engines_list_the_same_relations_and_columns(both):
    path, url = both
    conn = sqlite3.connect(path)
    on_sqlite = [(r.name, r.kind, [(c.name, c.type) for c in r.columns])
                 for r in sqlite_relations(conn)]
    conn.close()
    with psycopg.connect(url) as raw:
        on_pg = [(r.name, r.kind, [(c.name, c.type) for c in r.columns])
                 for r in pg_relations(raw)]
    assert on_pg == on_sqlite
    names = [name for name, _, _ in on_pg]
    assert "alembic_version" not in names and "factdb_marker" not in names
    assert all(c != "words_fts" for _, _, columns in on_pg for c, _ in columns)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_same_files_from_either_engine(both, fmt, cli, tmp_path):
    path, url = both
    lite = _export(cli, path, fmt, tmp_path / "sqlite")
    pg = _export(cli, url, fmt, tmp_path / "pg")
    from_lite, from_pg = _manifest(lite), _manifest(pg)
    assert from_pg.pop("database") == {"path": url, "schema_revision": SCHEMA_HEAD}
    assert from_lite.pop("database")["schema_revision"] == SCHEMA_HEAD
    assert from_pg == from_lite
    assert sorted(p.name for p in pg.iterdir()) == sorted(p.name for p in lite.iterdir())
    for entry in from_pg["files"]:
        name = entry["file"]
        if fmt == "parquet":
            a, b = pq.read_table(lite / name), pq.read_table(pg / name)
            assert (b.schema, b.to_pylist()) == (a.schema, a.to_pylist()), name
        else:
            assert (pg / name).read_bytes() == (lite / name).read_bytes(), name


def test_the_parquet_files_hold_the_servers_rows(both, cli, tmp_path):
    _, url = both
    out = _export(cli, url, "parquet", tmp_path / "out")
    with psycopg.connect(url) as conn:
        for entry in _manifest(out)["files"]:
            table = pq.read_table(out / entry["file"])
            names = ", ".join(f'"{c}"' for c in entry["columns"])
            rows = conn.execute(f'SELECT {names} FROM factdb."{entry["relation"]}"').fetchall()
            expected = [dict(zip(entry["columns"], (int(v) if isinstance(v, bool) else v
                                                   for v in row), strict=True)) for row in rows]
            assert table.num_rows == entry["rows"] == len(rows)
            assert sorted(map(repr, table.to_pylist())) == sorted(map(repr, expected))


@pytest.mark.parametrize("both", ["odd"], indirect=True)
def test_the_odd_values_survive(both, cli, tmp_path):
    _, url = both
    out = _export(cli, url, "jsonl", tmp_path / "out")
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    odd = next(json.loads(line) for line in lines if '"odd-values"' in line)
    assert odd["text"] == ODD_TEXT and odd["title"] == 'Odd "values", tabs\tand \\N'
    assert odd["is_machine_translation"] == 0
    statements = [json.loads(line) for line in
                  (out / "statements.jsonl").read_text(encoding="utf-8").splitlines()]
    fox = next(s for s in statements if s["id"] == "lavrov-odd-foxes")
    assert fox["quote"] == '"🦊 foxes, \\N and commas"'
    assert ODD_TEXT[fox["start_offset"]:fox["end_offset"]] == fox["quote"]  # code points


def test_the_annotations_id_is_the_digest_of_their_items(both, cli, tmp_path):
    _, url = both
    text = (_export(cli, url, "web-annotation", tmp_path / "out") / "annotations.jsonld"
            ).read_text(encoding="utf-8")
    collection = json.loads(text)
    items = text[text.index('"items": [') + len('"items": ['):text.rindex("]}")]
    digest = hashlib.sha256(items.encode()).hexdigest()
    assert collection["id"] == f"urn:factdb:export:{digest}"
    assert collection["first"]["id"] == f"urn:factdb:export:{digest}:page-1"


def test_every_file_comes_from_one_read_only_snapshot(cli, tmp_path):
    for url in _pg_database():
        build(QUERY_SEEDS, url)
        with snapshot(url, tmp_path / "out") as snap:
            raw = snap.conn.raw
            assert raw.execute("SHOW transaction_isolation").fetchone() == ("repeatable read",)
            assert raw.execute("SHOW transaction_read_only").fetchone() == ("on",)
            with psycopg.connect(url, autocommit=True) as other:  # a change after it began
                other.execute("DELETE FROM factdb.skipped_passages")
            cursor = snap.conn.cursor()
            cursor.execute("SELECT count(*) FROM skipped_passages")
            assert cursor.fetchone()[0] > 0  # unseen: the snapshot is the one it began with
            cursor.close()


def _stderr(result) -> str:
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    return result.stderr


def test_problems_are_said_as_factdb_query_says_them(cli, tmp_path):
    out = tmp_path / "out"
    urls = ["postgresql://postgres@127.0.0.1:1/factdb",
            "postgresql://nosuchuser:secret@127.0.0.1/postgres"]
    for url in _pg_database():
        urls.append(url + "_missing")
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE customers (id int)")
        urls.append(url)
        for other in _pg_database():
            build(QUERY_SEEDS, other)
            with psycopg.connect(other) as conn:
                conn.execute("UPDATE factdb.alembic_version SET version_num = '9999'")
            urls.append(other)
            said = {u: _stderr(cli("export", "--format", "csv", "--output", out, "--db", u))
                    for u in urls}
            for u, message in said.items():
                assert message == _stderr(cli("query", "timeline", "--db", u)), u
                assert "secret" not in message
            assert "did not make" in said[url] and "'9999' is unknown" in said[other]
    assert not out.exists()


def test_no_psycopg_on_the_sqlite_path_and_no_sqlalchemy_on_either(both, tmp_path):
    path, url = both
    for db, absent in ((path, ("psycopg", "sqlalchemy", "alembic")),
                       (url, ("sqlalchemy", "alembic"))):
        probe = ("import sys\nfrom pathlib import Path\nfrom factdb.export.run import "
                 "export_database\nfrom factdb.export import ExportFormat\n"
                 f"export_database({str(db)!r}, ExportFormat.csv, Path({str(tmp_path)!r}) / "
                 f"'out', force=True)\nprint(sorted(m for m in {absent!r} if m in sys.modules))")
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                cwd=ROOT, check=True)
        assert result.stdout == "[]\n", db


@pytest.mark.parametrize("fault", ["lost", "timeout"])
def test_a_read_that_fails_midway_is_one_message_and_leaves_the_folder(fault, tmp_path):
    from factdb.errors import FactdbError
    from factdb.export import ExportFormat
    from factdb.export.run import export_connection

    out = tmp_path / "out"
    for url in _pg_database():
        build(QUERY_SEEDS, url)
        if fault == "timeout":  # a view slower than the statement timeout (made short here)
            with psycopg.connect(url) as conn:
                conn.execute("CREATE VIEW factdb.slow AS SELECT pg_sleep(1)::text AS x")
        with pytest.raises(FactdbError) as caught, snapshot(url, out) as snap:
            raw = snap.conn.raw
            if fault == "lost":  # the server ends the session (a restart, an administrator)
                with psycopg.connect(url, autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", (raw.info.backend_pid,))
            else:
                raw.execute("SET LOCAL statement_timeout = 200")
            export_connection(snap.conn, snap.relations, ExportFormat.csv, out, snap.source)
    message = str(caught.value)
    assert message.startswith(f"{url}: ") and message.endswith(f"; {out} is unchanged")
    assert ("lost the connection to the server (terminating connection due to administrator "
            "command)" if fault == "lost" else "a read ran longer than the 30 s") in message
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_the_url_may_come_from_factdb_db(both, tmp_path):
    _, url = both
    done = subprocess.run([sys.executable, "-m", "factdb", "export", "--format", "jsonl",
                           "--output", str(tmp_path / "out")], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "FACTDB_DB": url}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _manifest(tmp_path / "out")["database"]["path"] == url
