"""The bad-input catalogue (docs/errors.md), every row run through the real CLI.

The catalogue is this test's table: each row names a case, which is a seeds folder under
fixtures/bad/ or a setup below (for paths and databases), and exactly what the CLI prints on
stderr. Every run starts with a good database at the target and checks afterwards that it is
byte-identical, that the exit status is non-zero and that no temporary file is left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from factdb.store.build import build
from factdb.store.cache import CACHE_DIR
from factdb.store.migrate import head
from tests.conftest import FIXTURES, ROOT, sha256
from tests.test_safety_cases import SAFETY_SETUPS

BAD = FIXTURES / "bad"
VALID = BAD / "_valid"
CATALOGUE = ROOT / "docs" / "errors.md"


@dataclass(frozen=True)
class Row:
    case: str
    lines: list[str]


def _code_spans(cell: str) -> list[str]:
    """The code spans of a table cell, unescaped (`` `a` `` or ``` `` a `b` `` ```)."""
    spans = []
    for ticks, body in re.findall(r"(`+)(.+?)\1(?!`)", cell.replace("\\|", "|")):
        if len(ticks) > 1 and body.startswith(" ") and body.endswith(" "):
            body = body[1:-1]
        spans.append(body)
    return spans


def catalogue() -> list[Row]:
    rows = []
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 4 and cells[0].startswith("`"):
            rows.append(Row(_code_spans(cells[0])[0], _code_spans(cells[3])))
    return rows


ROWS = catalogue()


@pytest.fixture(scope="session")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "factdb.db"
    build(VALID, path)
    return path


# -- setups for the cases that are about paths and databases, not seed files --------------
# Each takes the test's working folder (holding a good factdb.db) and returns the CLI
# arguments and the database file that must come out unchanged.
Setup = Callable[[Path], tuple[list[str], Path]]


def _build(seeds: Path | str, db: str = "factdb.db") -> list[str]:
    return ["build", "--seeds", str(seeds), "--db", db]


def _too_large(tmp: Path) -> tuple[list[str], Path]:
    seeds = tmp / "seeds"
    shutil.copytree(VALID, seeds)
    with open(seeds / "big.yaml", "wb") as f:  # 50 MiB of comment lines, written in 1 MiB steps
        line = b"# " + b"x" * 1021 + b"\n"
        for _ in range(50):
            f.write(line * 1024)
    return _build("seeds"), tmp / "factdb.db"


def _seeds_is_a_file(tmp: Path) -> tuple[list[str], Path]:
    shutil.copy(VALID / "news.yaml", tmp / "news.yaml")
    return _build("news.yaml"), tmp / "factdb.db"


def _blocked_by_file(tmp: Path) -> tuple[list[str], Path]:
    (tmp / "notes.txt").write_text("not a folder\n")
    return _build(VALID, "notes.txt/factdb.db"), tmp / "factdb.db"


def _read_only_folder(tmp: Path) -> tuple[list[str], Path]:
    folder = tmp / "ro"
    folder.mkdir()
    shutil.copy(tmp / "factdb.db", folder / "factdb.db")
    if os.geteuid() != 0:
        folder.chmod(0o555)
    else:  # root writes anywhere: only a read-only file system refuses it
        _mount(folder, "size=4m", copy=[tmp / "factdb.db"])
        _run(["mount", "-o", "remount,ro", str(folder)])
    return _build(VALID, "ro/factdb.db"), folder / "factdb.db"


def _disk_full(tmp: Path) -> tuple[list[str], Path]:
    folder = tmp / "small"
    folder.mkdir()
    room = (tmp / "factdb.db").stat().st_size + 64 * 1024  # the old database, and a bit more
    _mount(folder, f"size={room}", copy=[tmp / "factdb.db"])
    return _build(VALID, "small/factdb.db"), folder / "factdb.db"


def _migrate_disk_full(tmp: Path) -> tuple[list[str], Path]:
    """An upgrade from 0003 (FTS tables rebuilt by 0004) with 16 KiB to spare."""
    from factdb.store import migrate

    migrate.downgrade(tmp / "factdb.db", "0003")
    folder = tmp / "small"
    folder.mkdir()
    room = (tmp / "factdb.db").stat().st_size + 16 * 1024
    _mount(folder, f"size={room}", copy=[tmp / "factdb.db"])
    return ["db", "upgrade", "--db", "small/factdb.db"], folder / "factdb.db"


def _not_sqlite(tmp: Path) -> tuple[list[str], Path]:
    (tmp / "factdb.db").write_text("my notes, not a database\n")
    return _build(VALID), tmp / "factdb.db"


def _foreign_sqlite(tmp: Path) -> tuple[list[str], Path]:
    (tmp / "factdb.db").unlink()
    conn = sqlite3.connect(tmp / "factdb.db")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    return _build(VALID), tmp / "factdb.db"


def _damaged_sqlite(tmp: Path) -> tuple[list[str], Path]:
    data = bytearray((tmp / "factdb.db").read_bytes())
    data[16:100] = b"\xff" * 84  # a valid magic string, then a nonsense header
    (tmp / "factdb.db").write_bytes(bytes(data))
    return _build(VALID), tmp / "factdb.db"


def _newer_revision(command: list[str]) -> Setup:
    def setup(tmp: Path) -> tuple[list[str], Path]:
        conn = sqlite3.connect(tmp / "factdb.db")
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
        conn.close()
        return [*command, "--db", "factdb.db"], tmp / "factdb.db"

    return setup


SETUPS: dict[str, Setup] = {
    "file-too-large": _too_large,
    "seeds-folder-missing": lambda tmp: (_build("no-such-folder"), tmp / "factdb.db"),
    "seeds-path-is-a-file": _seeds_is_a_file,
    "db-folder-missing": lambda tmp: (_build(VALID, "out/factdb.db"), tmp / "factdb.db"),
    "db-folder-is-a-file": _blocked_by_file,
    "db-folder-read-only": _read_only_folder,
    "db-folder-refuses-files": lambda tmp: (_build(VALID, "/proc/factdb.db"), tmp / "factdb.db"),
    "db-is-a-folder": lambda tmp: (_build(VALID, "."), tmp / "factdb.db"),
    "db-not-sqlite": _not_sqlite,
    "db-foreign-sqlite": _foreign_sqlite,
    "db-damaged": _damaged_sqlite,
    "disk-full": _disk_full,
    "migrate-disk-full": _migrate_disk_full,
    "db-missing-query": lambda tmp: (["query", "said", "Berg", "--db", "none.db"],
                                     tmp / "factdb.db"),
    "db-newer-revision-query": _newer_revision(["query", "said", "Berg"]),
    "db-newer-revision-upgrade": _newer_revision(["db", "upgrade"]),
    "unknown-target-revision": lambda tmp: (["db", "downgrade", "0099", "--db", "factdb.db"],
                                            tmp / "factdb.db"),
    **SAFETY_SETUPS,
    "query-timeout": lambda tmp: (["query", "sql", "--timeout", "0.2", "WITH RECURSIVE c(x) AS "
                                   "(SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) "
                                   "FROM c"], tmp / "factdb.db"),
}
USAGE_ERRORS = {"db-is-a-folder"}  # refused by the option parser itself: exit 2, in a box


def _run(args: list[str]) -> None:
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"needs {args[0]} ({result.stderr.strip()})")


_MOUNTS: list[Path] = []


def _mount(folder: Path, options: str, copy: list[Path]) -> None:
    """A small tmpfs at ``folder`` (root only), holding copies of ``copy``."""
    if os.geteuid() != 0:
        pytest.skip("mounting a file system needs root")
    _run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)])
    _MOUNTS.append(folder)
    for path in copy:
        shutil.copy(path, folder / path.name)


@pytest.fixture
def workdir(tmp_path: Path, good_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working folder holding a good factdb.db, as the current directory."""
    shutil.copy(good_db, tmp_path / "factdb.db")
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    while _MOUNTS:
        subprocess.run(["umount", str(_MOUNTS.pop())], check=True)


def _box_lines(text: str) -> list[str]:
    """Lines of output with rich's error box taken off."""
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("│") and line.endswith("│"):
            lines.append(line[1:-1].strip())
    return lines


def test_the_catalogue_has_at_least_30_classes():
    assert len(ROWS) >= 30
    assert len({r.case for r in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.case)
def test_bad_input_is_refused_clearly_and_changes_nothing(row: Row, workdir: Path, cli):
    if row.case in SETUPS:
        args, target = SETUPS[row.case](workdir)
    else:
        assert (BAD / row.case).is_dir(), f"no fixture folder fixtures/bad/{row.case}"
        shutil.copytree(BAD / row.case, workdir / "seeds")
        args, target = _build("seeds"), workdir / "factdb.db"
    before = sha256(target)
    files_before = _listing(target.parent)

    result = cli(*args)

    assert "Traceback" not in result.output
    if row.case in USAGE_ERRORS:
        assert result.exit_code == 2
        assert _box_lines(result.stderr) == row.lines
    else:
        assert result.exit_code == 1
        assert result.stderr.splitlines() == row.lines
    assert result.stdout == ""
    assert sha256(target) == before
    assert _listing(target.parent) == files_before


def _listing(folder: Path) -> list[str]:
    """The folder's files, but for the build cache (parsed files are kept even on failure)."""
    return sorted(p.name for p in folder.iterdir() if p.name != CACHE_DIR)


def test_every_fixture_is_in_the_catalogue():
    cases = {r.case for r in ROWS} | set(ACCEPTED)
    folders = {p.name for p in BAD.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert folders - cases == set()


def test_a_process_given_absurdly_deep_nesting_exits_cleanly(tmp_path: Path):
    """LibYAML's composer recurses in C: 100,000 nested lists used to kill the process."""
    seeds = tmp_path / "seeds"
    shutil.copytree(VALID, seeds)
    (seeds / "deep.yaml").write_text("actors: " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = subprocess.run([sys.executable, "-m", "factdb", "build", "--seeds", str(seeds),
                             "--db", str(tmp_path / "factdb.db")], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "deep.yaml:1:40: nested more than 32 levels deep; seed records need only a few",
        "1 problem found in the seeds",
    ]
    assert not (tmp_path / "factdb.db").exists()


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path: Path, cli):
    """Nine aliases nine levels deep would be 387 million values."""
    seeds = tmp_path / "seeds"
    shutil.copytree(VALID, seeds)
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    (seeds / "bomb.yaml").write_text("\n".join(levels) + "\n")
    result = cli(*_build(seeds, str(tmp_path / "factdb.db")))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "bomb.yaml:2:10: a1: YAML alias *a0 is not allowed in seed files; write the value out")


# -- accepted input: cases that look odd but build --------------------------------------------
ACCEPTED = ("byte-order-mark", "byte-order-mark-text")


def _evidence_holds(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT s.quote, s.start_offset, substr(d.text, s.start_offset + 1, "
        "s.end_offset - s.start_offset) = s.quote FROM statements s "
        "JOIN documents d ON d.id = s.document_id").fetchall()
    conn.close()
    return rows


def test_a_byte_order_mark_on_a_seed_file_is_accepted(tmp_path: Path, cli):
    result = cli(*_build(BAD / "byte-order-mark", str(tmp_path / "factdb.db")))
    assert result.exit_code == 0, result.stderr
    assert _evidence_holds(tmp_path / "factdb.db") == [
        ("The bridge will open next spring,", 182, 1)]


def test_a_byte_order_mark_on_a_document_text_is_kept_and_offsets_count_it(tmp_path, cli):
    result = cli(*_build(BAD / "byte-order-mark-text", str(tmp_path / "factdb.db")))
    assert result.exit_code == 0, result.stderr
    assert _evidence_holds(tmp_path / "factdb.db") == [
        ("The bridge will open next spring,", 183, 1)]


def test_build_replaces_a_database_from_a_newer_factdb(workdir: Path, cli):
    """Decided: the database is rebuilt in full from the seeds, at this factdb's head
    (queries and `db upgrade` refuse it; see the catalogue)."""
    _newer_revision(["build"])(workdir)
    result = cli(*_build(VALID))
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(workdir / "factdb.db")
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head(),)]
    assert conn.execute("SELECT count(*) FROM statements").fetchone() == (2,)
    conn.close()


# -- one mistake, one message -------------------------------------------------------------------
def _valid_with(tmp: Path, file: str, old: str, new: str) -> Path:
    seeds = tmp / "seeds"
    shutil.copytree(VALID, seeds)
    text = (seeds / file).read_text(encoding="utf-8")
    assert old in text
    (seeds / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return seeds


def test_a_broken_record_is_not_reported_again_where_it_is_referred_to(tmp_path, cli):
    seeds = _valid_with(tmp_path, "news.yaml", "    speaker: olli-maki", "    speker: olli-maki")
    result = cli(*_build(seeds, str(tmp_path / "factdb.db")))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "news.yaml:29:13: statements[1].speker: unknown field 'speker' (did you mean 'speaker'?)",
        "1 problem found in the seeds",
    ]  # not also "missing field 'speaker'", nor "unknown fact" for the relation in events.yaml


def test_a_file_that_cannot_be_read_hides_no_problem_behind_others(tmp_path, cli):
    """The document lives in the unreadable file: every reference to it would be "unknown"."""
    seeds = _valid_with(tmp_path, "news.yaml", "words: on Tuesday", "words: [on Tuesday")
    result = cli(*_build(seeds, str(tmp_path / "factdb.db")))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "news.yaml:28:7: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts on line 27)",
        "1 problem found in the seeds",
    ]
