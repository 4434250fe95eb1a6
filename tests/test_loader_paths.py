"""Seed files reach only inside the seeds folder, and nothing under it is skipped in silence.

A document's text path that leads outside ``texts/`` (``..``, an absolute path, a symbolic
link) is refused. A seed file, sub-folder or text the build may not read is an error naming
it. Tests run as root, who may read anything, so those cases run the real CLI in a process
that gives up root (effective user ``nobody``) once Python has imported what a build needs:
the kernel then refuses to read the files, as it would for a curator.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, sha256

VALID = FIXTURES / "bad" / "_valid"
CATALOGUE = ROOT / "docs" / "errors.md"
NOBODY = 65534
# Import everything a build needs while the interpreter's files (under /root) are readable,
# then drop to nobody for the run itself.
AS_NOBODY = f"""
import os, sys
import factdb.cli.build, factdb.store.build, factdb.seeds.load, factdb.store.cache
from factdb.cli import app
os.setegid({NOBODY}); os.seteuid({NOBODY})
sys.argv[0] = "factdb"
app()
"""


def _build(seeds: Path, db: Path, cli) -> tuple[int, list[str]]:
    result = cli("build", "--seeds", seeds, "--db", db)
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines()


def _with_text_file(tmp: Path, file: str) -> Path:
    seeds = tmp / "seeds"
    shutil.copytree(VALID, seeds)
    news = seeds / "news.yaml"
    text = news.read_text(encoding="utf-8")
    assert "  file: bridge.txt\n" in text
    news.write_text(text.replace("  file: bridge.txt\n", f"  file: {file}\n"), encoding="utf-8")
    return seeds


def test_an_absolute_text_path_is_refused(tmp_path: Path, cli):
    seeds = _with_text_file(tmp_path, "/etc/passwd")
    code, lines = _build(seeds, tmp_path / "factdb.db", cli)
    assert code == 1
    assert lines[0] == ("news.yaml:3:9: document.file: '/etc/passwd' is outside the seeds "
                        "folder's texts/ folder (it leads to /etc/passwd); a document's text "
                        "must be a file in texts/")
    assert not (tmp_path / "factdb.db").exists()


def test_a_symbolic_link_out_of_texts_is_refused(tmp_path: Path, cli):
    seeds = _with_text_file(tmp_path, "leak.txt")
    (seeds / "texts" / "leak.txt").symlink_to("/etc/passwd")
    code, lines = _build(seeds, tmp_path / "factdb.db", cli)
    assert code == 1
    assert lines[0] == ("news.yaml:3:9: document.file: 'leak.txt' is outside the seeds "
                        "folder's texts/ folder (it leads to /etc/passwd); a document's text "
                        "must be a file in texts/")


def test_a_link_or_a_subfolder_inside_texts_is_followed(tmp_path: Path, cli):
    seeds = _with_text_file(tmp_path, "2022/bridge.txt")
    (seeds / "texts" / "2022").mkdir()
    (seeds / "texts" / "2022" / "bridge.txt").symlink_to("../bridge.txt")
    code, lines = _build(seeds, tmp_path / "factdb.db", cli)
    assert code == 0, lines


def test_a_seed_file_named_in_capitals_is_read(tmp_path: Path, cli):
    seeds = tmp_path / "seeds"
    shutil.copytree(VALID, seeds)
    (seeds / "actors.yaml").rename(seeds / "Actors.YAML")
    code, lines = _build(seeds, tmp_path / "factdb.db", cli)
    assert code == 0, lines
    conn = sqlite3.connect(tmp_path / "factdb.db")
    try:
        assert conn.execute("SELECT count(*) FROM actors").fetchone()[0] > 0
    finally:
        conn.close()


# -- what the build may not read ---------------------------------------------------------------
def catalogue_lines(case: str) -> list[str]:
    """The stderr lines docs/errors.md promises for ``case`` (a row of its own table)."""
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) == 4 and cells[0] == case:
            return [body.strip() for _, body in re.findall(r"(`+)(.+?)\1(?!`)", cells[3])]
    raise AssertionError(f"no row {case!r} in {CATALOGUE}")


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder user nobody may write in, holding a good database built by root (and the
    build cache beside it, whose empty database spares the unprivileged run Alembic)."""
    if os.geteuid() != 0:
        pytest.skip("needs root, to give it up")
    folder = Path(tempfile.mkdtemp(prefix="factdb-nobody-"))
    try:
        shutil.copytree(VALID, folder / "seeds")
        result = subprocess.run([sys.executable, "-m", "factdb", "build", "--seeds",
                                 str(folder / "seeds"), "--db", str(folder / "factdb.db")],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o777 if path.is_dir() else 0o666)
        yield folder
    finally:
        for path in folder.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o700)
        shutil.rmtree(folder)


def _as_nobody(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", AS_NOBODY, "build", "--seeds", "seeds",
                           "--db", "factdb.db"], capture_output=True, text=True, cwd=folder)


def _refused(folder: Path, case: str) -> None:
    before = sha256(folder / "factdb.db")
    result = _as_nobody(folder)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == catalogue_lines(case)
    assert sha256(folder / "factdb.db") == before
    assert not [p for p in folder.iterdir() if p.name.startswith(".factdb-tmp-")]


def test_nobody_builds_the_good_seeds(shared: Path):
    """The check that the cases below fail for the file they name, not for the setup."""
    result = _as_nobody(shared)
    assert result.returncode == 0, result.stderr


def test_an_unreadable_seed_file_is_named(shared: Path):
    (shared / "seeds" / "actors.yaml").chmod(0)
    _refused(shared, "unreadable-seed-file")


def test_an_unreadable_seed_folder_is_named_not_skipped(shared: Path):
    (shared / "seeds" / "more").mkdir()
    (shared / "seeds" / "actors.yaml").rename(shared / "seeds" / "more" / "actors.yaml")
    (shared / "seeds" / "more").chmod(0)
    _refused(shared, "unreadable-seed-folder")


def test_an_unreadable_document_text_is_named(shared: Path):
    (shared / "seeds" / "texts" / "bridge.txt").chmod(0)
    _refused(shared, "unreadable-document-text")
