"""`factdb add` refusing bad input: the rows of docs/errors.md "Adding records", each run as a
real process on a copy of fixtures/add/seeds.

Every row (five cells: case, class, setup, command, stderr) gives the command (run in a
scratch folder holding ``seeds/``, the fixture's article and the setup's files) and exactly
what it prints on stderr. Each run must exit 1
with no traceback and leave every file of the seeds folder byte-identical (sha256).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from factdb.curate.add.records import add_document
from tests.conftest import FIXTURES, ROOT, sha256
from tests.test_errors import _code_spans

ADD = FIXTURES / "add"
CATALOGUE = ROOT / "docs" / "errors.md"
HEADING = "### Adding records (`factdb add`)"


def rows() -> list[tuple[str, str, list[str]]]:
    """(case, command, stderr lines) of each row in the catalogue's `factdb add` table."""
    text = CATALOGUE.read_text(encoding="utf-8")
    section = text.split(HEADING, 1)[1].split("\n#", 1)[0]
    found = []
    for line in section.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 5 and cells[0].startswith("`"):  # (test_errors.py reads 4 cells)
            spans = [_code_spans(c) for c in cells]
            found.append((spans[0][0], spans[3][0], spans[4]))
    return found


def _with_article(tmp: Path) -> None:
    add_document(tmp / "seeds", tmp / "article.txt", id="ferry-strike", language="en",
                 published="2023-03-03")


def _latin1(tmp: Path) -> None:
    text = (tmp / "article.txt").read_text(encoding="utf-8")
    (tmp / "latin1.txt").write_bytes(text.encode("latin-1", errors="replace"))


def _broken_events(tmp: Path) -> None:
    _with_article(tmp)
    path = tmp / "seeds" / "events.yaml"
    path.write_text(path.read_text().replace("place: Tromsø", "place: [Tromsø"))


def _read_only(tmp: Path) -> None:
    seeds = tmp / "seeds"
    if os.geteuid() != 0:
        for path in [seeds, *seeds.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return
    keep = tmp / "keep"
    shutil.move(seeds, keep)
    seeds.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(seeds)]).returncode:
        pytest.skip("needs mount (root) to make a read-only folder")
    MOUNTS.append(seeds)
    shutil.copytree(keep, seeds, dirs_exist_ok=True)
    subprocess.run(["mount", "-o", "remount,ro", str(seeds)], check=True)


MOUNTS: list[Path] = []
SETUPS: dict[str, Callable[[Path], None]] = {
    "add-not-utf8": _latin1,
    "add-binary-file": lambda tmp: (tmp / "photo.jpg").write_bytes(b"\xff\xd8\xff\0JFIF\0"),
    "add-empty-file": lambda tmp: (tmp / "empty.txt").write_bytes(b"\n"),
    "add-duplicate-text": lambda tmp: shutil.copy(tmp / "seeds/texts/harbour.txt",
                                                  tmp / "copy.txt"),
    "add-words-not-found": _with_article,
    "add-ambiguous-words": _with_article,
    "add-unknown-speaker": _with_article,
    "add-ambiguous-speaker": _with_article,
    "add-date-disagrees": _with_article,
    "add-unparseable-seeds-file": _broken_events,
}


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha256(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


ROWS = rows()


def test_the_catalogue_has_the_add_cases() -> None:
    assert len(ROWS) >= 14


@pytest.mark.parametrize(("case", "command", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_add_refuses(case: str, command: str, expected: list[str], tmp_path: Path) -> None:
    shutil.copytree(ADD / "seeds", tmp_path / "seeds")
    shutil.copy(ADD / "article.txt", tmp_path / "article.txt")
    if case == "add-read-only-seeds":
        _with_article(tmp_path)
    SETUPS.get(case, lambda tmp: None)(tmp_path)
    if case == "add-read-only-seeds":
        _read_only(tmp_path)
    before = _hashes(tmp_path / "seeds")
    args = shlex.split(command)
    assert args[0] == "factdb"
    try:
        result = subprocess.run([sys.executable, "-m", "factdb", *args[1:]], cwd=tmp_path,
                                capture_output=True, text=True)
    finally:
        while MOUNTS:
            after = _hashes(tmp_path / "seeds")
            subprocess.run(["umount", str(MOUNTS.pop())], check=True)
    if case != "add-read-only-seeds":
        after = _hashes(tmp_path / "seeds")
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == expected
    assert result.returncode == 1
    assert after == before
