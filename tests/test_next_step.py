"""The query `factdb build` suggests works when pasted into a shell, whether factdb was run
through `uv run` or directly, and asks about the top speaker of the database just built."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factdb.cli import app
from factdb.store.cache import CACHE_DIR
from tests.conftest import ROOT
from tests.test_grown_seeds import article_alone

HINT = re.compile(r"next, try: (?P<command>.+)")


@pytest.fixture
def build(tmp_path: Path, seeds_db: Path, monkeypatch: pytest.MonkeyPatch):
    """Build the fixture article alone with the CLI in a folder; return the hint's command."""

    def run(folder: Path, *args: str, uv: str | None) -> str:
        folder.mkdir(exist_ok=True)
        seeds = article_alone(folder / "seeds")
        if (seeds_db.parent / CACHE_DIR).is_dir():  # the empty migrated database: no Alembic
            shutil.copytree(seeds_db.parent / CACHE_DIR, folder / CACHE_DIR)
        monkeypatch.chdir(folder)
        if uv:
            monkeypatch.setenv("UV", uv)
        else:
            monkeypatch.delenv("UV", raising=False)
        result = CliRunner().invoke(app, ["build", "--seeds", str(seeds), *args])
        assert result.exit_code == 0, result.output
        match = HINT.fullmatch(result.stderr.strip())
        assert match, result.stderr
        return match["command"]

    return run


def _top_speakers(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT a.name, count(*) FROM statements s JOIN actors a "
                            "ON a.id = s.speaker_id GROUP BY a.id").fetchall()
    finally:
        conn.close()
    most = max(n for _, n in rows)
    return {name for name, n in rows if n == most}


def _paste(command: str, cwd: Path, bin_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run the hint as typed into bash, with ``bin_dir`` (default: this virtualenv's, which
    holds `factdb`) first on the PATH."""
    path = f"{bin_dir or Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PATH": path})


def test_the_hint_run_directly_names_the_top_speaker_and_works_when_pasted(build, tmp_path):
    command = build(tmp_path, "--db", "out.db", uv=None)
    prefix, _, rest = command.partition(" query said ")
    assert prefix == "factdb"
    name, db = shlex.split(rest)[0], shlex.split(rest)[1:]
    assert db == ["--db", "out.db"]
    assert "Lavrov" not in name
    done = _paste(command, tmp_path)
    assert done.returncode == 0, done.stderr
    # Through a pipe the table is a grid of whole cells, one line a row.
    header, _, *rows = done.stdout.splitlines()
    column = slice(header.index(" speaker ") + 1, header.index(" speech "))
    speakers = {row[column].strip() for row in rows}
    assert len(speakers) == 1 and speakers <= _top_speakers(tmp_path / "out.db")
    # the shortest of the top speaker's names that means only them
    assert len(name.split()) == 1 and name in next(iter(speakers)).split()


def test_the_hint_under_uv_run_says_uv_run_and_leaves_out_the_default_db(build, tmp_path):
    under_uv = build(tmp_path / "uv", uv="/opt/uv/bin/uv")
    direct = build(tmp_path / "direct", uv=None)
    assert under_uv == f"uv run {direct}"
    assert direct.startswith("factdb query said ") and "--db" not in direct


@pytest.mark.skipif(not os.environ.get("UV"), reason="the suite was not run through uv run")
def test_the_uv_run_hint_works_when_pasted_in_the_project(build, tmp_path):
    command = build(tmp_path, "--db", str(tmp_path / "facts.db"), uv=os.environ["UV"])
    assert command.startswith("uv run ")
    done = _paste(command, ROOT, Path(os.environ["UV"]).parent)
    assert done.returncode == 0, done.stderr
    assert "statement_id" in done.stdout
