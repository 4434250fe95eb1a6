"""Never a traceback, never a wrong answer: the rows of docs/errors.md "Never a traceback
(reliability)", each run as a real process, plus the checks that are not errors.

Each row (five cells: case, class, setup, command, stderr) runs in a scratch folder holding
``factdb.db`` (built from fixtures/bad/_valid) and ``seeds/`` (a copy of it), changed as the
setup below says. It must exit 1 (2 for a usage error), print exactly the row's stderr (a
usage error's box taken off), no traceback, and leave the database and seeds unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from factdb.store.build import TMP_PREFIX, build, temporary_name
from tests.conftest import FIXTURES, ROOT, sha256
from tests.test_errors import _code_spans

VALID = FIXTURES / "bad" / "_valid"
CATALOGUE = ROOT / "docs" / "errors.md"
HEADING = "### Never a traceback (reliability)"
USAGE = {"argument-not-utf8", "port-out-of-range", "all-takes-no-value"}  # exit 2


def rows() -> list[tuple[str, list[str]]]:
    text = CATALOGUE.read_text(encoding="utf-8")
    section = text.split(HEADING, 1)[1].split("\n#", 1)[0]
    found = []
    for line in section.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 5 and cells[0].startswith("`"):  # (test_errors.py reads 4 cells)
            found.append((_code_spans(cells[0])[0], _code_spans(cells[4])))
    return found


@pytest.fixture(scope="session")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reliab") / "factdb.db"
    build(VALID, path)
    return path


def _edit(tmp: Path, file: str, old: str, new: str) -> None:
    path = tmp / "seeds" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _occurrence(value: str) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        _edit(tmp, "news.yaml", "    speech: direct\n", f"    speech: direct\n    occurrence: "
              f"{value}\n")
    return setup


def _add_source(tmp: Path) -> None:
    src = ("      - document: bridge-news\n        words: The city council approved the "
           "budget yesterday, council chair Olli Mäki said.\n")
    _edit(tmp, "events.yaml", src, src + "      - document: bridge-news\n"
          "        words: The city council approved the budget\n")


def _damage_inside(tmp: Path) -> None:
    """A page past the header overwritten with a pattern: the file opens, a write fails."""
    data = bytearray((tmp / "factdb.db").read_bytes())
    data[8192:12288] = bytes((i * 7 + 3) % 256 for i in range(4096))
    (tmp / "factdb.db").write_bytes(bytes(data))


def _damage(tmp: Path) -> None:
    data = bytearray((tmp / "factdb.db").read_bytes())
    data[16:100] = b"\xff" * 84
    (tmp / "factdb.db").write_bytes(bytes(data))


def _deprecate_event(tmp: Path) -> None:
    """The event deprecated in the seeds, and the database rebuilt from them."""
    _edit(tmp, "events.yaml", "    participants:\n", "    status: deprecated\n    status_reason: "
          "the minutes show the vote was on the day before\n    participants:\n")
    build(tmp / "seeds", tmp / "factdb.db")


# case -> (setup, arguments after `factdb`, environment, write stdout to /dev/full)
Case = tuple[Callable[[Path], None] | None, list, dict[str, str], bool]
CASES: dict[str, Case] = {
    "yaml-tag-bad-value": (_occurrence("!!int abc"), ["check", "--seeds", "seeds"], {}, False),
    "yaml-tag-empty": (_occurrence("!!float"), ["check", "--seeds", "seeds"], {}, False),
    "yaml-tag-unused": (_occurrence("!!binary aGVsbG8="), ["check", "--seeds", "seeds"], {},
                        False),
    "yaml-number-too-long": (_occurrence("9" * 5000), ["check", "--seeds", "seeds"], {},
                             False),
    "yaml-1.1-boolean": (lambda tmp: _edit(tmp, "news.yaml", "language: en", "language: no"),
                         ["check", "--seeds", "seeds"], {}, False),
    "seen-in-twice": (lambda tmp: _edit(tmp, "actors.yaml", "seen_in: [bridge-news]",
                                        "seen_in: [bridge-news, bridge-news]"),
                      ["check", "--seeds", "seeds"], {}, False),
    "event-sources-same-start": (_add_source, ["check", "--seeds", "seeds"], {}, False),
    "argument-not-utf8": (None, ["query", "said", b"Berg\xff"], {}, False),
    "limit-unusual-digit": (None, ["query", "said", "Berg", "--limit", "²"], {}, False),
    "limit-too-large": (None, ["query", "said", "Berg", "--limit", "99999999999999999999"],
                        {}, False),
    "port-out-of-range": (None, ["serve", "--port", "99999"], {}, False),
    "config-output-folder-missing": (None, ["datasette-config", "--output",
                                            "no-such-folder/metadata.json"], {}, False),
    "name-too-long": (None, ["build", "--seeds", "seeds", "--db", "a" * 300 + ".db"], {},
                      False),
    "upgrade-damaged": (_damage, ["db", "upgrade"], {}, False),
    "downgrade-damaged-inside": (_damage_inside, ["db", "downgrade", "-1"], {}, False),
    "output-device-full": (None, ["query", "said", "Berg"], {}, True),
    "output-encoding": (None, ["query", "said", "Mäki"], {"PYTHONIOENCODING": "ascii"}, False),
    "all-takes-no-value": (None, ["query", "said", "Berg", "--all=yes"], {}, False),
    "sources-of-deprecated-event": (_deprecate_event, ["query", "sources",
                                                       "council-approves-bridge-budget"], {},
                                    False),
}


def run(tmp: Path, args: list, env: dict[str, str] | None = None, full: bool = False,
        ) -> subprocess.CompletedProcess:
    out = open("/dev/full", "wb") if full else subprocess.PIPE  # noqa: SIM115
    try:
        return subprocess.run([sys.executable, "-m", "factdb", *args], cwd=tmp, stdout=out,
                              stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    finally:
        if full:
            out.close()


def _box_off(text: str) -> list[str]:
    """Lines of a usage error (rich's box taken off, the Usage lines left out)."""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("│") and line.endswith("│"):
            lines.append(line[1:-1].strip())
    return lines or text.splitlines()


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and ".factdb-cache" not in p.parts}


ROWS = rows()


def test_every_case_has_a_row_and_every_row_a_case():
    assert sorted(c for c, _ in ROWS) == sorted(CASES)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r[0])
def test_refused_in_one_line_and_nothing_changed(row, tmp_path: Path, good_db: Path):
    case, lines = row
    setup, args, env, full = CASES[case]
    shutil.copy(good_db, tmp_path / "factdb.db")
    shutil.copytree(VALID, tmp_path / "seeds")
    if setup:
        setup(tmp_path)
    before = _tree(tmp_path)
    result = run(tmp_path, args, env, full)
    stderr = result.stderr.decode("utf-8", "backslashreplace")
    assert "Traceback" not in stderr
    assert result.returncode == (2 if case in USAGE else 1), stderr
    assert (_box_off(stderr) if case in USAGE else stderr.splitlines()) == lines
    if not full:
        assert result.stdout == b""
    assert _tree(tmp_path) == before


# -- not errors: what comes out right ------------------------------------------------------
def _cli_json(cli, db: Path, sql: str) -> list:
    import json

    result = cli("query", "sql", sql, "--format", "json", "--db", db)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"JSON has {c}"))


def test_json_is_strict_json_and_keeps_every_column(cli, good_db):
    assert _cli_json(cli, good_db, "select 1e999 as big, -1e999 as small") == [
        {"big": "Infinity", "small": "-Infinity"}]
    assert _cli_json(cli, good_db, "select 1 as a, 2 as a, 3 as a_2") == [
        {"a": 1, "a_3": 2, "a_2": 3}]


@pytest.mark.parametrize("fmt, expected", [("csv", "a,a\n1,2\n"),
                                           ("table", "a  a\n-  -\n1  2\n")])
def test_csv_and_table_keep_both_columns_of_one_name(cli, good_db, fmt, expected):
    result = cli("query", "sql", "select 1 as a, 2 as a", "--format", fmt, "--db", good_db)
    assert result.stdout == expected


def test_a_valid_long_name_builds_though_its_temporary_name_would_be_too_long(tmp_path, cli):
    name = "d" * 250
    assert len(f"{TMP_PREFIX}{os.getpid()}-{name}") > 255
    result = cli("build", "--seeds", VALID, "--db", tmp_path / name)
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name != ".factdb-cache"] == [name]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_build_s_journal_and_wal_are_swept(tmp_path, cli):
    dead, alive = _dead_pid(), os.getppid()  # (this process would be the build itself)
    left = [f"{temporary_name(dead, 'factdb.db')}{side}" for side in
            ("", "-journal", "-wal", "-shm", "-fts")]
    left.append(f"{TMP_PREFIX}99999999999999999999-factdb.db-journal")  # no such process
    kept = [f"{temporary_name(alive, 'factdb.db')}-journal",  # a build still running
            f"{temporary_name(dead, 'other.db')}-wal"]  # another database's
    for name in left + kept:
        (tmp_path / name).write_bytes(b"x")
    result = cli("build", "--seeds", VALID, "--db", tmp_path / "factdb.db")
    assert result.exit_code == 0, result.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert names & set(left) == set()
    assert set(kept) <= names


def _full_build_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, owner: object,
                      name: str, error: BaseException) -> str:
    """Build, then make ``owner.name`` raise ``error`` in a full build from nothing: the
    build's message; the database is as it was and nothing else is left."""
    import threading

    from factdb.errors import FactdbError
    from factdb.store.cache import CACHE_DIR

    db = tmp_path / "factdb.db"
    build(VALID, db)
    before = sha256(db)
    shutil.rmtree(tmp_path / CACHE_DIR)  # no reuse: a full build

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(owner, name, fail)
    with pytest.raises(FactdbError) as raised:
        build(VALID, db)
    assert sha256(db) == before
    assert {p.name for p in tmp_path.iterdir()} == {"factdb.db", CACHE_DIR}
    assert not [t for t in threading.enumerate() if t.name.startswith("factdb-")]
    return str(raised.value)


def test_the_index_made_beside_the_build_fails_it_when_it_fails(tmp_path, monkeypatch):
    """The documents' full-text index is made in a thread (factdb.store.ftsaside): a full
    disk there is the build's failure, said as the build's own would be."""
    from factdb.store import ftsaside

    message = _full_build_fails(tmp_path, monkeypatch, ftsaside.Aside, "_rebuild",
                                sqlite3.OperationalError("database or disk is full"))
    assert message.endswith("could not write the new database (database or disk is full); "
                            "the previous one is unchanged")


def test_a_build_that_fails_stops_the_index_made_beside_it(tmp_path, monkeypatch):
    from factdb.store import build as builder

    message = _full_build_fails(tmp_path, monkeypatch, builder.summaries, "fill_sql",
                                sqlite3.OperationalError("disk I/O error"))
    assert "could not write the new database (disk I/O error)" in message


def test_builds_killed_at_random_moments_leave_nothing_behind(tmp_path):
    """SIGKILL at moments spread over a build (the cache cleared every other time, so that
    Alembic migrates, with its journal), then one build: only the database and the cache."""
    (tmp_path / "seeds").symlink_to(VALID)
    for i in range(6):
        if i % 2 == 0:
            shutil.rmtree(tmp_path / ".factdb-cache", ignore_errors=True)
        proc = subprocess.Popen([sys.executable, "-m", "factdb", "build"], cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while proc.poll() is None and time.monotonic() < deadline and not any(
                p.name.startswith(TMP_PREFIX) for p in tmp_path.iterdir()):
            time.sleep(0.002)
        time.sleep(0.05 * i)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert run(tmp_path, ["build"]).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".factdb-cache", "factdb.db",
                                                          "seeds"]
    assert not [p for p in (tmp_path / ".factdb-cache").iterdir() if p.name.startswith(".")]


def test_a_huge_occurrence_is_a_problem_with_a_place(tmp_path, cli):
    shutil.copytree(VALID, tmp_path / "seeds")
    _occurrence("99999999999999999999999")(tmp_path)
    result = cli("build", "--seeds", tmp_path / "seeds", "--db", tmp_path / "x.db")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "news.yaml:24:12: statements[0].words: in document 'bridge-news': occurrence "
        "99999999999999999999999 asked for, but the words occur 1 time")


def test_a_database_downgraded_below_head_is_called_older_not_newer(tmp_path, good_db, cli):
    db = tmp_path / "factdb.db"
    shutil.copy(good_db, db)
    assert cli("db", "downgrade", "-1", "--db", db).exit_code == 0
    result = cli("query", "said", "Berg", "--db", db)
    assert result.exit_code == 1
    assert "is older than this factdb's" in result.stderr
    assert "newer" not in result.stderr


def test_words_in_another_normalisation_say_which(tmp_path, cli):
    typed = unicodedata.normalize("NFD", "council chair Olli Mäki said")
    result = cli("locate", typed, "--seeds", VALID)
    assert result.exit_code == 1
    assert ("Unicode normalisation differs: typed NFD (letters and combining marks apart), "
            "document has NFC (composed letters)") in result.stdout


HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("CREATE TABLE held (x)")
print("holding", flush=True)
sys.stdin.read()
conn.execute("ROLLBACK")
"""


def test_downgrade_while_another_process_writes_migrates_nothing(tmp_path, good_db):
    """The lock is held by another process: reading the file here would drop a lock this
    process held (POSIX locks are per process)."""
    db = tmp_path / "factdb.db"
    shutil.copy(good_db, db)
    before = sha256(db)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "holding\n"
        result = run(tmp_path, ["db", "downgrade", "-1"])
    finally:
        holder.communicate("")
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "error: factdb.db: another process is writing to the database (database is locked); "
        "nothing was migrated: try again when it has finished"]
    assert sha256(db) == before


def test_a_stated_publication_weekday_must_match_its_date(tmp_path, cli):
    seeds = tmp_path / "seeds"
    shutil.copytree(VALID, seeds)
    text = (seeds / "texts" / "bridge.txt").read_text(encoding="utf-8")
    text = text.replace("Example Gazette, 3 March 2022", "Example Gazette, Wednesday, March 3",
                        1)
    (seeds / "texts" / "bridge.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    news = (seeds / "news.yaml").read_text(encoding="utf-8")
    news = re.sub(r"sha256: \w+", f"sha256: {digest}", news)
    news = news.replace("words: 3 March 2022", "words: Wednesday, March 3")  # a Thursday
    (seeds / "news.yaml").write_text(news, encoding="utf-8")
    result = cli("check", "--seeds", seeds)
    assert result.exit_code == 1
    assert "document.published.words: 'Wednesday, March 3' read as the stated date " \
        "2022-03-03 name no day of it (check the weekday)" in result.stderr, result.stderr


AS_NOBODY = """
import os, pwd, sys
import factdb.curate.check, factdb.curate.coverage, factdb.curate.explain, factdb.curate.locate
from factdb.cli import app
nobody = pwd.getpwnam("nobody")
os.setegid(nobody.pw_gid); os.seteuid(nobody.pw_uid)
sys.argv[0] = "factdb"
app()
"""


@pytest.mark.parametrize("args, first", [
    (["check"], "news.yaml:3:9: document.file: cannot read document text texts/bridge.txt: "
                "Permission denied"),
    (["locate", "the bridge"], "warning: the seeds have 1 problem (see `factdb check`)"),
    (["explain", "berg-bridge-opens-next-spring"], "warning: the seeds have 1 problem (see "
                                                    "`factdb check`); records with problems "
                                                    "show no evidence"),
    (["coverage"], "warning: the seeds have 1 problem (see `factdb check`); records with "
                   "problems cover nothing"),
])
def test_an_unreadable_text_is_said_not_a_traceback(tmp_path: Path, args, first: str):
    if os.geteuid() != 0:
        pytest.skip("needs root, to give it up")
    shutil.copytree(VALID, tmp_path / "seeds")
    for path in [tmp_path, *tmp_path.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (tmp_path / "seeds" / "texts" / "bridge.txt").chmod(0)
    result = subprocess.run([sys.executable, "-c", AS_NOBODY, *args, "--seeds", "seeds"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1)
    assert result.stderr.splitlines()[0] == first


def test_help_to_a_full_device_is_one_line(tmp_path: Path):
    result = run(tmp_path, ["--help"], full=True)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "error: could not write the output (No space left on device)"]
