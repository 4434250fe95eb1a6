"""Seed files parsed in worker processes give the same database, byte for byte, and the same
problems in the same order, as one process does (the parallel path forced with threshold 0)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factdb.errors import SeedErrors
from factdb.seeds import load as loading
from factdb.seeds.read import PARALLEL_ENV
from factdb.store.build import build
from tests.conftest import SEEDS, sha256


def _problems(root: Path) -> str:
    with pytest.raises(SeedErrors) as caught:
        loading.load(root)
    return str(caught.value)


def _break(root: Path) -> None:
    """Mistakes in several files, of kinds found while parsing and while validating."""
    docs = sorted((root / "documents").glob("*.yaml"))
    first = docs[0].read_text(encoding="utf-8")
    docs[0].write_text(first.replace("\n  title:", "\n\ttitle:", 1), encoding="utf-8")
    second = docs[1].read_text(encoding="utf-8")
    docs[1].write_text(second.replace("\n  language:", "\n  language: en\n  language:", 1),
                       encoding="utf-8")
    docs[2].write_bytes(docs[2].read_bytes().replace(b"\n  title: ", b"\n  title: \xff", 1))
    events = (root / "events.yaml").read_text(encoding="utf-8")
    events = events.replace("basis: stated", "basis: statd", 1)
    events = events.replace("    place: Istanbul", "    place: Istanbul\n    colour: blue", 1)
    (root / "events.yaml").write_text(events, encoding="utf-8")


def test_the_parallel_path_reports_the_same_problems_in_the_same_order(tmp_path, monkeypatch):
    root = tmp_path / "seeds"
    shutil.copytree(SEEDS, root)
    _break(root)
    monkeypatch.setenv(PARALLEL_ENV, "100000")
    single = _problems(root)
    monkeypatch.setenv(PARALLEL_ENV, "0")
    parallel = _problems(root)
    assert parallel == single
    for what in ("tab", "duplicate key", "UTF-8", "statd", "colour"):  # every file's mistake
        assert what in single


def test_the_parallel_path_builds_the_same_bytes(tmp_path, monkeypatch):
    dbs = []
    for threshold in ("100000", "0", "0"):  # the last one from the parse cache the second left
        monkeypatch.setenv(PARALLEL_ENV, threshold)
        db = tmp_path / ("cached" if dbs[1:] else threshold) / "factdb.db"
        if len(dbs) == 2:
            shutil.copytree(dbs[1].parent / ".factdb-cache", db.parent / ".factdb-cache")
        db.parent.mkdir(exist_ok=True)
        build(SEEDS, db)
        dbs.append(db)
    assert len({sha256(db) for db in dbs}) == 1


def test_generated_seeds_build_the_same_bytes_in_parallel(tmp_path, monkeypatch):
    """The bench's layout (many files, actors resolved last): the parallel build is the
    single-process build, byte for byte."""
    from bench import synth

    synth.generate(1500, tmp_path / "synth")
    dbs = []
    for threshold in ("1000000000", "0"):
        monkeypatch.setenv(PARALLEL_ENV, threshold)
        db = tmp_path / threshold / "factdb.db"
        db.parent.mkdir()
        build(tmp_path / "synth", db)
        dbs.append(db)
    assert sha256(dbs[0]) == sha256(dbs[1])


def test_the_workers_fill_the_parse_cache(tmp_path, monkeypatch):
    """Each seed file's parse is in the cache after a parallel build from nothing (the
    workers store the entries), and a second build takes every file from it (an entry
    stored again would get a new rowid)."""
    import sqlite3

    from factdb.seeds.read import seed_files
    from factdb.store import cache as caching

    monkeypatch.setenv(PARALLEL_ENV, "0")
    db = tmp_path / "factdb.db"

    def entries() -> set:
        (parsed,) = (tmp_path / caching.CACHE_DIR).glob("parsed-*.sqlite")
        conn = sqlite3.connect(parsed)
        try:
            return set(conn.execute("SELECT rowid, key FROM parsed"))
        finally:
            conn.close()

    build(SEEDS, db)
    first = entries()
    assert {k for _, k in first} == {caching.ParseCache.key(p.read_bytes())
                                     for p in seed_files(SEEDS)}
    db.unlink()
    for reuse in (tmp_path / caching.CACHE_DIR).glob("reuse-*"):
        reuse.unlink()  # (else the database is reused, and nothing parsed)
    build(SEEDS, db)
    assert entries() == first
