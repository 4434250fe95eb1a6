"""`factdb suggest --write`: the drafts written through `factdb add`'s checked path (new actors
first), each written or refused with its reason; nothing written when the seeds have
problems; every other byte of the files kept."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from factdb.curate.check import check
from factdb.curate.coverage import coverage
from factdb.store.build import build
from tests.conftest import FIXTURES

SUGGEST = FIXTURES / "suggest" / "seeds"
DOC_FILE = "documents/quay-fees.yaml"


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SUGGEST, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "seeds"


def snapshot(seeds: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in seeds.rglob("*") if p.is_file()}


def test_every_draft_is_written_new_actors_first_and_the_seeds_build(cli, seeds, tmp_path):
    before = snapshot(seeds)
    drafts = cli("suggest", "--format", "json").stdout.count('"document":')
    result = cli("suggest", "--write")
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert out[-1] == f"{drafts} of {drafts} drafts written"
    # a new actor's line comes before the first statement that names it
    holm = out.index("wrote actor lena-holm to seeds/actors.yaml:15")
    assert out[holm + 1].startswith("wrote statement lena-holm-")
    for rel in ("actors.yaml", DOC_FILE):  # appended: every byte before is kept
        assert (seeds / rel).read_bytes().startswith(before[seeds / rel])
    assert {p for p, data in snapshot(seeds).items() if before.get(p) != data} == {
        seeds / "actors.yaml", seeds / DOC_FILE}
    assert check(seeds).counts["statements"] == drafts
    report = coverage(seeds)
    assert all(i.status != "unaccounted" for d in report.documents for i in d.items)
    build(seeds, tmp_path / "factdb.db")
    conn = sqlite3.connect(tmp_path / "factdb.db")
    assert conn.execute("SELECT count(*) FROM statements WHERE speaker_id = 'lena-holm'"
                        ).fetchone() == (1,)
    # and a second run finds nothing left to write
    again = cli("suggest", "--write")
    assert again.exit_code == 0 and "nothing to write" in again.stderr


def test_min_confidence_leaves_out_the_rest_and_their_new_actors(cli, seeds: Path) -> None:
    actors = (seeds / "actors.yaml").read_bytes()
    result = cli("suggest", "--write", "--min-confidence", "0.8")
    assert result.exit_code == 0, result.output
    written = [ln for ln in result.stdout.splitlines() if ln.startswith("wrote ")]
    left = [ln for ln in result.stdout.splitlines() if ln.startswith("not written: ")]
    assert written and left
    assert all("is below 0.8" in ln for ln in left)
    assert all(float(ln.split("(confidence ")[1][:4]) >= 0.8 for ln in written)
    # Lena Holm's and Piet de Vries's drafts are below 0.8: they are not added as actors
    assert (seeds / "actors.yaml").read_bytes() == actors
    assert check(seeds).counts["statements"] == len(written)


def test_a_draft_that_cannot_be_written_is_refused_with_its_reason(cli, seeds: Path) -> None:
    path = seeds / DOC_FILE
    path.write_text(path.read_text() + "statements: []\n")
    before = snapshot(seeds)
    result = cli("suggest", "--write")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("0 of ")
    refused = [ln for ln in lines if ln.startswith("not written: statement ")]
    assert refused and all("statements: is not a block list" in ln for ln in refused)
    assert snapshot(seeds) == before  # the new speakers went with their drafts


def test_nothing_is_written_when_the_seeds_have_problems(cli, seeds: Path) -> None:
    path = seeds / "actors.yaml"
    path.write_text(path.read_text().replace("kind: government-body", "kind: ministry"))
    before = snapshot(seeds)
    result = cli("suggest", "--write")
    assert result.exit_code == 1
    assert "the seeds have problems; fix them first" in result.stderr
    assert "actors.yaml:" in result.stderr
    assert snapshot(seeds) == before


@pytest.mark.parametrize("args", [["--all"], ["--format", "table"],
                                  ["--min-confidence", "1.5"]])
def test_options_that_do_not_go_with_write_are_usage_errors(cli, seeds: Path, args) -> None:
    before = snapshot(seeds)
    result = cli("suggest", "--write", *args)
    assert result.exit_code == 2
    assert snapshot(seeds) == before


def test_an_unknown_document_is_refused(cli, seeds: Path) -> None:
    before = snapshot(seeds)
    result = cli("suggest", "--write", "--doc", "quay-feez")
    assert result.exit_code == 1
    assert "no document 'quay-feez' in the seeds (did you mean 'quay-fees'?)" in result.stderr
    assert snapshot(seeds) == before
