"""What keeps large builds fast and small still checks everything (see bench/, issue 7)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from factdb.errors import FactdbError, SeedErrors
from factdb.seeds import load as seeds
from factdb.store.build import verify
from tests.conftest import SEEDS


def test_verification_in_sql_names_a_row_whose_offsets_miss_its_words(seeds_db, tmp_path):
    db = tmp_path / "tampered.db"
    shutil.copy(seeds_db, db)
    conn = sqlite3.connect(db, isolation_level=None)
    (rowid, lo, hi) = conn.execute("SELECT rowid, start_offset, end_offset FROM statements "
                                   "ORDER BY rowid LIMIT 1").fetchone()
    conn.execute("UPDATE statements SET start_offset = start_offset + 1, "
                 "end_offset = end_offset + 1 WHERE rowid = ?", (rowid,))
    with pytest.raises(FactdbError) as caught:
        verify(conn, seeds.load(SEEDS).counts())
    assert str(caught.value) == ("the built database failed verification:\n"
                                 f"statements row {rowid}: offsets {lo + 1}-{hi + 1} do not "
                                 "hold its words")


def test_a_problem_found_after_parsing_still_names_its_line_and_column(tmp_path):
    # Node trees are released after each file is read; a later problem reads the file again.
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    doc = sorted((folder / "documents").glob("*.yaml"))[0]
    lines = doc.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("speaker:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = f"{indent}speaker: nobody-known"
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SeedErrors) as caught:
        seeds.load(folder)
    [problem] = [p for p in caught.value.problems if "nobody-known" in p.message]
    assert (problem.file, problem.line, problem.column) == (
        f"documents/{doc.name}", at + 1, len(indent) + len("speaker: ") + 1)
    assert problem.message.startswith("unknown actor 'nobody-known'")
