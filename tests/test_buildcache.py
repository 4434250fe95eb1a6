"""A rebuild reuses what an earlier build cached beside the database, and ends the same."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from factdb.errors import SeedErrors
from factdb.seeds.read import PARALLEL_ENV
from factdb.store.build import build
from factdb.store.cache import CACHE_DIR
from tests.conftest import FIXTURES, SEEDS


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
        "empty", "parsed", "reuse"]
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

    assert warm == cold
    assert "events.yaml:" in warm
    assert "unknown actor 'antti-kaikkonen' (did you mean 'antti-kaikkonen-renamed'?)" in warm


# -- a damaged cache is a miss: rebuilt, said once, never a crash --------------------------

VALID = FIXTURES / "bad" / "_valid"


def _garble_file(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[100:4000] = b"x" * len(data[100:4000])
    path.write_bytes(bytes(data))


def _garble_entries(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE parsed SET value = x'00ff11'")
    conn.commit()
    conn.close()


def _overwrite_empty(path: Path) -> None:
    path.write_bytes(b"not a database at all" * 200)


@pytest.mark.parametrize("parallel", ["100000", "0"], ids=["in-process", "in-workers"])
@pytest.mark.parametrize(("pattern", "damage"), [
    ("empty-*.db", _overwrite_empty),
    ("empty-*.db", _garble_file),
    ("parsed-*.sqlite", _garble_file),
    ("parsed-*.sqlite", _garble_entries),
])
def test_a_damaged_cache_entry_is_rebuilt_and_said_once(tmp_path, cli, monkeypatch, pattern,
                                                        damage, parallel):
    """Parsed files come from the cache in the loader or, past PARALLEL_FILES, in the
    parsing workers (each checks an entry's checksum)."""
    monkeypatch.setenv(PARALLEL_ENV, parallel)
    cold = tmp_path / "cold" / "f.db"
    cold.parent.mkdir()
    build(VALID, cold)
    db = tmp_path / "f.db"
    assert cli("build", "--seeds", VALID, "--db", db).exit_code == 0
    (entry,) = (tmp_path / CACHE_DIR).glob(pattern)
    damage(entry)
    for reuse in (tmp_path / CACHE_DIR).glob("reuse-*"):  # else the database is reused
        reuse.unlink()  # and neither cache is read

    first = cli("build", "--seeds", VALID, "--db", db)
    again = cli("build", "--seeds", VALID, "--db", db)

    assert first.exit_code == 0, first.output
    notes = [line for line in first.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "was damaged" in notes[0], first.stderr
    assert again.exit_code == 0 and "note:" not in again.stderr
    assert _dump(db) == _dump(cold)


def test_a_worker_finds_entries_in_a_cache_folder_with_any_name(tmp_path):
    """The parsing workers open the cache by a file: URI; a folder name holding '#', '?'
    or '%' must still name that file (else every lookup misses, or reads another file)."""
    from factdb.store.cache import ParseCache, lookup

    folder = tmp_path / "odd #?% name" / CACHE_DIR
    folder.parent.mkdir()
    cache = ParseCache(folder)
    key = ParseCache.key(b"some seed file")
    cache.put(key, ({"document": {"id": "x"}}, {}, {}))
    cache.used.append(key)
    cache.close()
    found, damaged = lookup(str(cache.path), key)
    assert found is not None and not damaged
    assert lookup(str(cache.path), ParseCache.key(b"another")) == (None, False)
