"""A fixture corpus builds to exactly the database it built before (tests/golden/).

The golden file is the SQL dump (``iterdump``) of ``fixtures/queries/seeds`` built by the
real CLI: every table, row, offset, date column and FTS index. A change to the loader that
moves one byte fails here. When the change is deliberate (a new migration, a new column, a
seed field the fixture now uses), regenerate the dump and review its diff:

    uv run python -m tests.test_golden

"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, ROOT

SEEDS = FIXTURES / "queries" / "seeds"
GOLDEN = ROOT / "tests" / "golden" / "queries-seeds.sql"
REGENERATE = "uv run python -m tests.test_golden"


def dump(seeds: Path, db: Path) -> str:
    """Build ``seeds`` into ``db`` through the CLI and return the database as SQL."""
    result = subprocess.run([sys.executable, "-m", "factdb", "build", "--seeds", str(seeds),
                             "--db", str(db)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump()) + "\n"
    finally:
        conn.close()


def test_the_fixture_corpus_builds_to_the_golden_database(tmp_path: Path):
    got = dump(SEEDS, tmp_path / "factdb.db")
    want = GOLDEN.read_text(encoding="utf-8")
    if got != want:
        (tmp_path / "got.sql").write_text(got, encoding="utf-8")
        diff = subprocess.run(["diff", "-u", str(GOLDEN), str(tmp_path / "got.sql")],
                              capture_output=True, text=True).stdout
        raise AssertionError(
            f"the build of {SEEDS.relative_to(ROOT)} differs from {GOLDEN.relative_to(ROOT)}. "
            f"If the change is deliberate (a migration, a column, a fixture edit), regenerate "
            f"it with `{REGENERATE}` and commit the reviewed diff:\n{diff[:4000]}")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        GOLDEN.write_text(dump(SEEDS, Path(folder) / "factdb.db"), encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
