"""`factdb build`: a fresh migrated file, loaded in one go, verified, swapped in atomically."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from factdb.store.build import TMP_PREFIX
from factdb.store.cache import CACHE_DIR
from tests.conftest import FIXTURES, ROOT, sha256

SEEDS = FIXTURES / "build" / "seeds"
EXPECTED_COUNTS = {
    "documents": 1, "boilerplate_regions": 1, "skipped_passages": 1, "actors": 3,
    "actor_aliases": 4, "actor_roles": 1, "facts": 5, "statements": 3, "statement_pieces": 0,
    "events": 2,
    "event_participants": 2, "event_sources": 2, "relations": 1,
}


@pytest.fixture
def built(cli, tmp_path) -> Path:
    db = tmp_path / "facts.db"
    result = cli("build", "--seeds", SEEDS, "--db", db)
    assert result.exit_code == 0, result.output
    return db


def test_build_prints_counts_time_and_path(cli, tmp_path):
    db = tmp_path / "facts.db"
    result = cli("build", "--seeds", SEEDS, "--db", db)
    assert result.exit_code == 0
    first, *rest = result.stdout.splitlines()
    assert first.startswith(f"built {db.resolve()} (schema ")
    assert first.endswith("s")
    counts = {line.split()[0]: int(line.split()[1].replace(",", "")) for line in rest}
    assert counts == EXPECTED_COUNTS
    assert "factdb query said \"Berg\"" in result.stderr  # its top speaker


def test_database_holds_the_facts_at_their_offsets(built):
    conn = sqlite3.connect(built)
    rows = conn.execute("SELECT id, speaker_id, quote, said_on, said_on_precision, said_on_basis,"
                        " said_on_words FROM statements ORDER BY start_offset").fetchall()
    assert rows == [
        ("berg-talks-went-well", "anna-berg", 'talks with Sweden "went well"', "2022-03-07",
         "day", "inferred", "on Monday"),
        ("berg-agreed-main-points", "anna-berg", "We agreed on the main points,", "2022-03-07",
         "day", "inferred", "yesterday"),
        ("lund-talks-went-well", "per-lund", "went well", None, None, None, None),
    ]
    # every evidence row: the document's text between the offsets is the stored words
    mismatches = conn.execute("""
        SELECT s.id FROM statements s JOIN documents d ON d.id = s.document_id
        WHERE substr(d.text, s.start_offset + 1, s.end_offset - s.start_offset) != s.quote
        UNION ALL
        SELECT e.id FROM event_sources e JOIN documents d ON d.id = e.document_id
        WHERE substr(d.text, e.start_offset + 1, e.end_offset - e.start_offset) != e.words
        UNION ALL
        SELECT a.id FROM actor_aliases a JOIN documents d ON d.id = a.document_id
        WHERE substr(d.text, a.start_offset + 1, a.end_offset - a.start_offset) != a.alias
    """).fetchall()
    assert mismatches == []
    assert conn.execute("SELECT count(*) FROM statements WHERE start_offset IS NULL").fetchone() \
        == (0,)


def test_dates_keep_precision_and_basis(built):
    conn = sqlite3.connect(built)
    rows = conn.execute("SELECT id, date, date_precision, date_earliest, date_latest, "
                        "date_inferred_from FROM events ORDER BY date_earliest").fetchall()
    assert rows == [
        ("oslo-talks-held", "2022-03-07", "day", "2022-03-07", "2022-03-07",
         "oslo-talks publication date (2022-03-08)"),
        ("treaty-to-be-signed", "2022-04", "month", "2022-04-01", "2022-04-30",
         "oslo-talks publication date (2022-03-08)"),
    ]


def test_alembic_version_is_head(built):
    from factdb.store import migrate

    conn = sqlite3.connect(built)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
        (migrate.head(),)]


def test_rebuilding_unchanged_seeds_gives_identical_content(cli, built, tmp_path):
    again = tmp_path / "again.db"
    assert cli("build", "--seeds", SEEDS, "--db", again).exit_code == 0
    dump = [list(sqlite3.connect(p).iterdump()) for p in (built, again)]
    assert dump[0] == dump[1]
    assert sha256(built) == sha256(again)


def test_failed_build_leaves_database_and_folder_untouched(cli, built, tmp_path):
    bad = tmp_path / "bad-seeds"
    bad.mkdir()
    (bad / "broken.yaml").write_text("actors:\n  - id: x\n    name: [unclosed\n")
    before, listing = sha256(built), sorted(os.listdir(tmp_path))
    result = cli("build", "--seeds", bad, "--db", built)
    assert result.exit_code == 1
    assert result.stderr.startswith("broken.yaml:")
    assert sha256(built) == before
    assert sorted(os.listdir(tmp_path)) == listing


def test_build_removes_temporaries_left_by_a_killed_build(cli, tmp_path):
    db = tmp_path / "facts.db"
    dead_pid = 2 ** 22 + 12345  # above Linux's pid_max default: never a live process
    stale = tmp_path / f"{TMP_PREFIX}{dead_pid}-facts.db"
    stale.write_bytes(b"half a database")
    assert cli("build", "--seeds", SEEDS, "--db", db).exit_code == 0
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [CACHE_DIR, "facts.db"]


def test_python_dash_m_runs_the_same_cli_and_stays_quiet_in_scripts(tmp_path):
    db = tmp_path / "facts.db"
    not_uv = {k: v for k, v in os.environ.items() if k != "UV"}  # uv run would say "uv run"
    done = subprocess.run([sys.executable, "-m", "factdb", "build", "--seeds", str(SEEDS),
                           "--db", str(db)], capture_output=True, text=True, cwd=ROOT,
                          env=not_uv)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built ")
    # no progress bar when not on a terminal: stderr holds only the hint
    assert done.stderr.strip() == f'next, try: factdb query said "Berg" --db {db}'


def test_db_commands_drive_alembic(cli, built):
    from factdb.store import migrate

    head = migrate.head()
    assert cli("db", "current", "--db", built).stdout == f"{head}\n"
    history = cli("db", "history", "--db", built).stdout
    assert f"-> {head} (head, current):" in history
    assert cli("db", "downgrade", "base", "--db", built).exit_code == 0
    assert cli("db", "current", "--db", built).stdout == "base (no revision)\n"
    assert cli("db", "upgrade", "--db", built).exit_code == 0
    assert cli("db", "current", "--db", built).stdout == f"{head}\n"


def test_plain_alembic_command_works_from_the_repository_root(tmp_path):
    db = tmp_path / "plain.db"
    args = [sys.executable, "-m", "alembic", "-x", f"db={db}"]
    up = subprocess.run([*args, "upgrade", "head"], capture_output=True, text=True, cwd=ROOT)
    assert up.returncode == 0, up.stderr
    current = subprocess.run([*args, "current"], capture_output=True, text=True, cwd=ROOT)
    from factdb.store import migrate

    assert f"{migrate.head()} (head)" in current.stdout
