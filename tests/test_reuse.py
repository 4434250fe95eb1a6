"""A rebuild after a change reuses the previous database (factdb.store.reuse) and ends
exactly as a full build of the same seeds: every table's rows with their rowids, and the
full-text indexes term by term; bad input gives a full build's errors, changing nothing."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from factdb.errors import SeedErrors
from factdb.store.build import build
from factdb.store.cache import CACHE_DIR
from tests.conftest import SEEDS

FTS = ("documents_fts", "statements_fts", "events_fts")
DOC = "documents/fi-lavrov-message-finland.yaml"


def dump(db: Path) -> dict[str, list]:
    """Each table's rows in rowid order (rowid included); each full-text index's terms
    with their rows, columns and offsets (its segments may differ: the index is the same)."""
    conn = sqlite3.connect(db)
    try:
        out = {"schema": conn.execute("SELECT type, name, sql FROM sqlite_master "
                                      "ORDER BY name").fetchall()}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT LIKE '%\\_fts%' ESCAPE '\\'"):
            out[table] = conn.execute(f'SELECT rowid, * FROM "{table}" '
                                      "ORDER BY rowid").fetchall()
        for fts in FTS:
            conn.execute(f"CREATE VIRTUAL TABLE temp.v_{fts} USING fts5vocab(main, {fts}, "
                         "instance)")
            out[fts] = conn.execute(f"SELECT * FROM temp.v_{fts} ORDER BY 1, 2, 3, 4").fetchall()
            conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
        return out
    finally:
        conn.close()


@pytest.fixture
def seeds(tmp_path) -> Path:
    copy = tmp_path / "seeds"
    shutil.copytree(SEEDS, copy)
    return copy


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def rename_everywhere(seeds: Path, old: str, new: str) -> None:
    for path in seeds.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        changed = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text)
        if changed != text:
            path.write_text(changed, encoding="utf-8")


def new_text(seeds: Path, doc: Path) -> None:
    """Add a sentence to a document's text and update the sha256 its seed gives."""
    seed = doc.read_text(encoding="utf-8")
    name = re.search(r"\n  file: (\S+)", seed).group(1)
    text = seeds / "texts" / name
    old_sum = hashlib.sha256(text.read_bytes()).hexdigest()
    text.write_bytes(text.read_bytes() + b"\nA sentence added at the end.\n")
    doc.write_text(seed.replace(old_sum, hashlib.sha256(text.read_bytes()).hexdigest()),
                   encoding="utf-8")


ADDED = """statements:
  - id: added-statement
    speaker: tass
    speech: reported
    words: the message has been shown by the Russian Foreign Minister Sergei Lavrov
"""

EDITS = [  # (what, how): each applied to the seeds left by the one before
    ("change a document's title", lambda s: edit(s / DOC, "\n  title: ", "\n  title: (new) ")),
    ("add a statement", lambda s: edit(s / DOC, "statements:\n", ADDED)),
    ("change a statement", lambda s: edit(s / DOC, "venue: news agency report",
                                          "venue: a news agency's report")),
    ("delete a statement", lambda s: edit(s / DOC, ADDED, "statements:\n")),
    ("delete an unreferenced statement", lambda s: edit(
        s / "documents/barents-observer-clear-answer.yaml",
        "  - id: lavrov-letter-serious-concerns-barents", "  - id: x-serious-concerns")),
    ("rename an actor everywhere", lambda s: rename_everywhere(s, "tass", "tass-agency")),
    ("change a text", lambda s: new_text(s, s / DOC)),
    ("change an actor entry", lambda s: edit(s / "actors.yaml", "description: Russia's "
                                             "foreign minister", "description: the foreign "
                                             "minister of Russia")),
    ("change a relation", lambda s: edit(s / "relations.yaml", "kind: contradicts",
                                         "kind: corroborates")),
    ("add a document file first", lambda s: (s / "documents/aaa-new.yaml").write_text(
        (s / DOC).read_text(encoding="utf-8").split("\nstatements:")[0].replace(
            "id: fi-lavrov-message-finland", "id: aaa-new-document"), encoding="utf-8")),
    ("remove it", lambda s: (s / "documents/aaa-new.yaml").unlink()),
    ("change an event", lambda s: edit(s / "events.yaml", "kind: charter signed",
                                       "kind: a charter signed")),
    # what actor_summaries counts with deprecated facts left out changes
    ("deprecate a statement", lambda s: edit(s / DOC, "venue: a news agency's report\n",
                                             "venue: a news agency's report\n    status: "
                                             "deprecated\n    status_reason: a test\n")),
    # what actor_summaries counts changes for some actors: theirs are summed up again
    ("change an event's date", lambda s: edit(s / "events.yaml", 'value: "1992"',
                                              'value: "1991"')),
    ("change a statement's speaker", lambda s: edit(s / DOC, "speaker: tass-agency\n",
                                                    "speaker: pekka-haavisto\n")),
]


def test_rebuilds_after_each_edit_equal_a_full_build(seeds, tmp_path):
    db = tmp_path / "out" / "f.db"
    db.parent.mkdir()
    assert not build(seeds, db).reused
    for i, (what, apply) in enumerate(EDITS):
        apply(seeds)
        result = build(seeds, db)
        assert result.reused, what
        fresh = tmp_path / f"full-{i}" / "f.db"
        fresh.parent.mkdir()
        full = build(seeds, fresh)
        assert not full.reused
        assert result.counts == full.counts, what
        assert dump(db) == dump(fresh), what
        assert dump(db)["actor_summaries"], what  # derived by the build: compared too
        assert_cache_matches_manifest(db), what


def assert_cache_matches_manifest(db: Path) -> None:
    """The reuse cache's summaries are those the database's last build used, no more."""
    from factdb.store.reusestore import Store, key_of

    store = Store(db.parent / CACHE_DIR)
    try:
        wanted = {key_of(e) for e in store.manifest(db)["files"].values()}
        used = {k for (k,) in store.conn.execute("SELECT key FROM used WHERE db = ?",
                                                 (str(db.resolve()),))}
        held = {k for (k,) in store.conn.execute("SELECT key FROM summaries")}
    finally:
        store.close()
    assert used == wanted
    assert held == wanted


def test_an_unchanged_rebuild_keeps_the_file_as_it_was(seeds, tmp_path, monkeypatch):
    from factdb.store import reuse

    monkeypatch.setattr(reuse, "RECENT_NS", 0)  # else the texts just copied are read again
    db = tmp_path / "f.db"
    build(seeds, db)
    before = db.read_bytes()
    assert build(seeds, db).reused
    assert db.read_bytes() == before


@pytest.mark.parametrize("mistake", [
    lambda s: edit(s / DOC, "speaker: tass", "speaker: tas"),  # an unknown actor
    lambda s: edit(s / "actors.yaml", "  - id: sergey-lavrov", "  - id: sergei-lavrov"),
    lambda s: edit(s / "relations.yaml", "fact: grushko-russia-has-not-answered",
                   "fact: grushko-russia-has-not-answerd"),
    lambda s: (s / "texts" / re.search(r"\n  file: (\S+)", (s / DOC).read_text()).group(1)
               ).write_text("changed", encoding="utf-8"),
    lambda s: shutil.copy(s / DOC, s / "documents/copy.yaml"),  # every id twice
])
def test_bad_input_gives_a_full_builds_errors_and_changes_nothing(seeds, tmp_path, mistake):
    db = tmp_path / "f.db"
    build(seeds, db)
    before = db.read_bytes()
    mistake(seeds)
    with pytest.raises(SeedErrors) as rebuilt:
        build(seeds, db)
    assert db.read_bytes() == before
    shutil.rmtree(tmp_path / CACHE_DIR)
    with pytest.raises(SeedErrors) as full:
        build(seeds, tmp_path / "other.db")
    assert str(rebuilt.value) == str(full.value)


def test_databases_built_in_one_folder_each_keep_their_rebuild(seeds, tmp_path):
    """Two seed folders built in turn into two databases beside each other (as the bench
    does at several sizes): building one must not cost the other its rebuild."""
    other = tmp_path / "other-seeds"
    shutil.copytree(seeds, other)
    edit(other / DOC, "\n  title: ", "\n  title: (other) ")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert not build(seeds, one).reused
    assert not build(other, two).reused
    for i in range(2):
        edit(seeds / DOC, "\n  title: ", f"\n  title: ({i}) ")
        assert build(seeds, one).reused
        edit(other / DOC, "\n  title: ", f"\n  title: ({i}) ")
        assert build(other, two).reused
    fresh = tmp_path / "fresh" / "two.db"
    fresh.parent.mkdir()
    build(other, fresh)
    assert dump(two) == dump(fresh)


def test_the_cache_forgets_all_but_the_latest_databases(seeds, tmp_path, monkeypatch):
    from factdb.store import reusestore

    monkeypatch.setattr(reusestore, "KEEP_BUILDS", 1)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    build(seeds, one)
    (cache,) = (tmp_path / CACHE_DIR).glob("reuse-*.sqlite")
    conn = sqlite3.connect(cache)
    kept = conn.execute("SELECT count(*) FROM summaries").fetchone()
    edit(seeds / DOC, "\n  title: ", "\n  title: (changed) ")
    build(seeds, two)
    assert conn.execute("SELECT db FROM builds").fetchall() == [(str(two.resolve()),)]
    assert conn.execute("SELECT count(*) FROM summaries").fetchone() == kept  # one replaced
    conn.close()
    assert not build(seeds, one).reused


def test_a_database_changed_since_its_build_is_built_afresh(seeds, tmp_path):
    db = tmp_path / "f.db"
    build(seeds, db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE documents SET title = 'altered by hand'")
    conn.commit()
    conn.close()
    edit(seeds / DOC, "\n  title: ", "\n  title: (new) ")
    assert not build(seeds, db).reused
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM documents WHERE title = 'altered by hand'"
                        ).fetchone() == (0,)
    conn.close()


def test_a_damaged_reuse_cache_means_a_full_build(seeds, tmp_path):
    db = tmp_path / "f.db"
    build(seeds, db)
    for path in (tmp_path / CACHE_DIR).glob("reuse-*.sqlite"):
        path.write_bytes(b"not a database" * 100)
    edit(seeds / DOC, "\n  title: ", "\n  title: (new) ")
    assert not build(seeds, db).reused
    edit(seeds / DOC, "\n  title: ", "\n  title: (newer) ")
    assert build(seeds, db).reused  # the cache was written again


def test_the_order_worked_out_from_summaries_is_the_loaders(tmp_path):
    """factdb.seeds.summary.order says where rows fall without resolving anything: it
    must agree with the order the loader resolves records in (rows follow it)."""
    from bench import synth
    from factdb.seeds import load
    from factdb.seeds.summary import order
    from factdb.store.reuse import Recorder, key_of

    synth.generate(2000, tmp_path / "synth")  # the bench's layout: actors resolved last
    for root in (SEEDS, tmp_path / "synth",
                 *(p.parent for p in (SEEDS.parent / "fixtures").glob("*/*/actors.yaml"))):
        recorder = Recorder(root)
        try:
            corpus = load.load(root, observe=recorder)
        except SeedErrors:
            continue
        files = [recorder.new[key_of(e)] for e in recorder.files.values()]
        assert order(files) == corpus.order, root


def test_summaries_are_the_same_however_a_file_was_parsed(tmp_path, monkeypatch):
    """The records' digests come from the parse (a worker's, or the parse cache's entry)
    where there is one, else from the records: the summaries must not tell the two apart,
    or a rebuild after a build of the other kind would see changes that are not there."""
    from bench import synth
    from factdb.seeds import load
    from factdb.seeds.read import PARALLEL_ENV
    from factdb.store.cache import ParseCache
    from factdb.store.reuse import Recorder

    root = tmp_path / "synth"
    synth.generate(300, root)
    shutil.copytree(SEEDS, root / "corpus", ignore=shutil.ignore_patterns("texts"))
    for text in (SEEDS / "texts").iterdir():
        shutil.copy(text, root / "texts" / text.name)
    (root / "corpus" / "loose.yaml").write_text(  # a statement that names no document
        "statements:\n- id: loose\n  document: null\n  speaker: x\n", encoding="utf-8")
    plain = Recorder(root)
    with pytest.raises(SeedErrors):
        load.load(root, observe=plain)
    monkeypatch.setenv(PARALLEL_ENV, "0")
    for _ in ("parsed by the workers", "from the cache they filled"):
        parsed = Recorder(root)
        cache = ParseCache(tmp_path / "cache")
        with pytest.raises(SeedErrors):
            load.load(root, cache=cache, observe=parsed)
        cache.close()
        assert parsed.new == plain.new and len(plain.new) > 30


def test_only_the_changed_record_and_what_it_needs_are_resolved_again(seeds, tmp_path,
                                                                      monkeypatch):
    """One actor's description changes in a file of many: that actor is resolved again,
    with the documents it was seen in (for their texts), and nothing else."""
    from factdb.seeds.read import find_seed_names
    from factdb.store import reuse, reusestore

    monkeypatch.setattr(reuse, "RECENT_NS", 0)  # the texts were all just copied: trust them
    db = tmp_path / "f.db"
    build(seeds, db)
    edit(seeds / "actors.yaml", "description: Russia's foreign minister",
         "description: the foreign minister of Russia")
    store = reusestore.Store(tmp_path / CACHE_DIR)
    manifest = store.manifest(db)
    recorder = reuse.Recorder(seeds, manifest["files"])
    plan = reuse._plan(seeds, manifest, store, recorder, find_seed_names(seeds), None)
    store.close()
    documents = {k for k in plan.redone if k[0] == "document"}
    assert plan.redone - documents == {("actors", "sergey-lavrov")}
    assert {d for _, d in documents} == set(plan.records[("actors", "sergey-lavrov")][4])


def test_the_references_of_the_rows_a_rebuild_wrote_are_checked(seeds, tmp_path):
    """A rebuild that took no record away checks the references of the rows it wrote
    only (every row a row may refer to is a record's own): a written row that refers to
    no actor is found, as the full check finds it."""
    from factdb.errors import FactdbError
    from factdb.seeds.columns import COLUMNS
    from factdb.store.build import verify

    db = tmp_path / "f.db"
    build(seeds, db)
    conn = sqlite3.connect(db)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COLUMNS}
    cols = COLUMNS["statements"]
    row = conn.execute(f"SELECT {', '.join(cols)} FROM statements ORDER BY id").fetchone()
    verify(conn, counts, set(), {"statements": [row]})  # as built: nothing to say
    at = cols.index("speaker_id")
    conn.execute("UPDATE statements SET speaker_id = 'no-such-actor' WHERE id = ?",
                 (row[cols.index("id")],))
    written = {"statements": [(*row[:at], "no-such-actor", *row[at + 1:])]}
    for checked in (written, None):
        with pytest.raises(FactdbError, match="statements: a row refers to a missing actors"):
            verify(conn, counts, set(), checked)
    conn.close()


def test_a_full_build_keeps_the_parsed_files_of_the_other_databases(seeds, tmp_path):
    """A full build prunes the parse cache, but not of what the other databases of the
    folder last read: their rebuilds read unchanged files again from it."""
    from factdb.store.cache import ParseCache

    other = tmp_path / "other-seeds"
    shutil.copytree(seeds, other)
    edit(other / DOC, "\n  title: ", "\n  title: (other) ")
    build(seeds, tmp_path / "one.db")
    build(other, tmp_path / "two.db")
    (parsed,) = (tmp_path / CACHE_DIR).glob("parsed-*.sqlite")
    conn = sqlite3.connect(parsed)
    held = {k for (k,) in conn.execute("SELECT key FROM parsed")}
    conn.close()
    for folder in (seeds, other):
        keys = {ParseCache.key(p.read_bytes()) for p in folder.rglob("*.yaml")}
        assert keys <= held, folder


def test_the_previous_database_is_copied_whole_unless_the_rebuild_gives_up(tmp_path,
                                                                             monkeypatch):
    from factdb.store.reuse import _Copy

    monkeypatch.setattr(_Copy, "CHUNK", 1 << 16)
    db, tmp = tmp_path / "factdb.db", tmp_path / "copy.db"
    db.write_bytes(os.urandom(5 << 16) + b"end")  # chunks, and a piece of one
    copy = _Copy(db, tmp)
    copy.start()
    copy.wait()
    assert tmp.read_bytes() == db.read_bytes()
    given_up = _Copy(db, tmp_path / "given-up.db")
    given_up.stopped.set()  # as stop() does, here before the first chunk
    given_up.start()
    given_up.stop()
    assert (tmp_path / "given-up.db").stat().st_size == 0 and given_up.error is None
