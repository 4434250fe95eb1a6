"""The seeds grown by one article, as a curator would add it, still build and hold every
curation invariant: the fixture article (fixtures/article/) is copied into a copy of seeds/.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factdb.cli import app
from factdb.store.cache import CACHE_DIR
from tests.conftest import FIXTURES, SEEDS
from tests.curation_invariants import INVARIANTS

ARTICLE = FIXTURES / "article"
ARTICLE_DOC = "aldwick-gazette-winter-ferry"


def article_files() -> dict[Path, Path]:
    """The fixture article's files, each with its place relative to a seeds folder."""
    files = {Path("texts") / text.name: text for text in ARTICLE.glob("*.txt")}
    files |= {seed.relative_to(ARTICLE / "seeds"): seed
              for seed in (ARTICLE / "seeds").rglob("*.yaml")}
    return files


def add_article(seeds: Path) -> None:
    """Add the fixture article to a seeds folder: its text to texts/, its seed files in the
    same places below seeds/ as in fixtures/article/seeds/."""
    for place, source in article_files().items():
        target = seeds / place
        assert not target.exists(), f"{target} would overwrite a seed file"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def article_alone(seeds: Path) -> Path:
    """A seeds folder holding only the fixture article (its top speaker is not Lavrov)."""
    seeds.mkdir(parents=True)
    add_article(seeds)
    return seeds


def _build(seeds: Path, db: Path) -> None:
    result = CliRunner().invoke(app, ["build", "--seeds", str(seeds), "--db", str(db)])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory, seeds_db: Path) -> tuple[Path, Path, Path]:
    """(seeds folder, database) of seeds/ plus the fixture article, and the database of
    seeds/ without it (should a curator have added it to seeds/ itself), built by the CLI."""
    root = tmp_path_factory.mktemp("grown")
    plain, seeds = root / "plain", root / "seeds"
    shutil.copytree(SEEDS, plain)
    for place in article_files():
        (plain / place).unlink(missing_ok=True)
    if (seeds_db.parent / CACHE_DIR).is_dir():  # as a curator's rebuild would: only the new
        shutil.copytree(seeds_db.parent / CACHE_DIR, root / CACHE_DIR)  # files are parsed
    _build(plain, root / "plain.db")
    shutil.copytree(plain, seeds)
    add_article(seeds)
    _build(seeds, root / "factdb.db")
    return seeds, root / "factdb.db", root / "plain.db"


@pytest.fixture(scope="module")
def grown_db(grown: tuple[Path, Path, Path]):
    conn = sqlite3.connect(grown[1])
    yield conn
    conn.close()


@pytest.mark.parametrize("name", INVARIANTS)
def test_invariant_holds_on_the_grown_seeds(grown, grown_db, name):
    assert INVARIANTS[name](grown_db, grown[0]) == []


def _ask(path: Path, sql: str, *params: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _count(path: Path, table: str) -> int:
    return _ask(path, f"SELECT count(*) FROM {table}")[0][0]


def test_the_grown_build_has_one_more_document(grown):
    assert _count(grown[1], "documents") == _count(grown[2], "documents") + 1


def test_the_article_adds_its_records_and_takes_none_away(grown):
    # Every record of the plain build is still there, and the article adds its own.
    for table in ("statements", "events", "actors", "relations"):
        plain = set(_ask(grown[2], f"SELECT id FROM {table}"))
        assert plain < set(_ask(grown[1], f"SELECT id FROM {table}")), table
    (in_article,), = _ask(grown[1], "SELECT count(*) FROM statements WHERE document_id = ?",
                          ARTICLE_DOC)
    assert in_article > 0
    assert _count(grown[1], "statements") == _count(grown[2], "statements") + in_article


def test_the_article_alone_is_fully_covered(tmp_path):
    seeds = article_alone(tmp_path / "seeds")
    result = CliRunner().invoke(app, ["coverage", "--strict", "--seeds", str(seeds)])
    assert result.exit_code == 0, result.output
    row = next(line.split() for line in result.stdout.splitlines()
               if line.startswith(ARTICLE_DOC))
    assert row[-2:] == ["0", "100.0%"]
