"""`factdb check`: validate the seeds without a database; every problem listed, or a count."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = "fixtures/curation/seeds"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in the output are as given: relative to the project


def test_valid_seeds_get_a_one_line_summary(cli):
    result = cli("check", "--seeds", SEEDS)
    assert result.exit_code == 0
    assert result.stdout == (
        "fixtures/curation/seeds: ok, 2 files: 1 document, 4 actors, 6 aliases, 2 roles, "
        "6 statements, 1 event, 1 event source, 1 relation, 2 boilerplate regions, 1 skip\n"
    )
    assert result.stderr == ""


def test_every_problem_is_listed_with_its_place_and_nothing_is_written(cli, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / SEEDS, seeds)
    doc = seeds / "documents" / "harbour-talks.yaml"
    text = doc.read_text(encoding="utf-8")
    text = text.replace("speaker: piet-vos", "speaker: piet-voss", 1)
    text = text.replace("words: This is a good day", 'words: "This is a good day"\n    speach: x')
    doc.write_text(text, encoding="utf-8")
    before = sorted(p.name for p in tmp_path.rglob("*"))

    result = cli("check", "--seeds", seeds)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "documents/harbour-talks.yaml:40:14: statements[3].speaker: unknown actor 'piet-voss' "
        "(did you mean 'piet-vos'?)\n"
        "documents/harbour-talks.yaml:47:13: statements[4].speach: unknown field 'speach' "
        "(did you mean 'speech'?)\n"
        "2 problems found in the seeds\n"
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_missing_folder_is_one_clear_error(cli, tmp_path):
    result = cli("check", "--seeds", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {tmp_path / 'nowhere'}: seeds folder not found (pass --seeds DIR)\n")


def test_check_loads_no_database_machinery():
    code = (
        "import sys\n"
        "from factdb.cli import app\n"
        "try:\n"
        "    app(['check', '--seeds', sys.argv[1]], prog_name='factdb')\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'datasette') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, SEEDS], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert out.splitlines()[-2:] == ["exit 0", "[]"]
