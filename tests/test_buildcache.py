"""A rebuild reuses what an earlier build cached beside the database, and ends the same."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from factdb.errors import SeedErrors
from factdb.store.build import build
from factdb.store.cache import CACHE_DIR
from tests.conftest import SEEDS


def _dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_rebuild_from_the_cache_makes_the_same_database(tmp_path):
    cold, warm = tmp_path / "cold" / "f.db", tmp_path / "warm" / "f.db"
    cold.parent.mkdir()
    warm.parent.mkdir()
    build(SEEDS, cold)
    build(SEEDS, warm)  # fills the cache
    build(SEEDS, warm)  # reads it
    assert sorted(p.name.split("-")[0] for p in (warm.parent / CACHE_DIR).iterdir()) == [
        "empty", "parsed"]
    assert _dump(warm) == _dump(cold)


def _problems(seeds: Path, db: Path) -> str:
    with pytest.raises(SeedErrors) as caught:
        build(seeds, db)
    return str(caught.value)


def test_problems_in_unchanged_cached_files_name_the_same_place(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (tmp_path / "cold").mkdir()
    (tmp_path / "warm").mkdir()
    build(seeds, tmp_path / "warm" / "f.db")  # every file cached
    actors = seeds / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace(
        "- id: antti-kaikkonen\n", "- id: antti-kaikkonen-renamed\n"), encoding="utf-8")

    warm = _problems(seeds, tmp_path / "warm" / "f.db")
    cold = _problems(seeds, tmp_path / "cold" / "f.db")

    assert warm == cold == (
        "events.yaml:352:16: events[13].participants[1].actor: unknown actor "
        "'antti-kaikkonen' (did you mean 'antti-kaikkonen-renamed'?)\n"
        "1 problem found in the seeds")
