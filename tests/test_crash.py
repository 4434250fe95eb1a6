"""Crashes and concurrency: a killed build, or readers during a build, never see harm.

- Real `factdb build` processes are killed with SIGKILL at seeded random moments, some while
  they load (their temporary file exists). Each time the target is exactly the previous
  database or exactly the complete new one, passes `PRAGMA integrity_check`, and the next
  build succeeds and sweeps the killed builds' temporaries away.
- Readers query in a loop (plain read-only sqlite3, and the canned queries) while builds
  replace the database; every answer is the complete answer of the old or the new seeds.

Two generated seed sets, A and B, tell the old database from the new one.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from factdb.query import run as querying
from factdb.store.build import TMP_PREFIX, build
from tests.conftest import sha256

KILLS = 8
READER_THREADS = 2
BUILDS_UNDER_READERS = 2

WORDS = ("bridge", "council", "budget", "harbour", "railway", "school", "clinic", "ferry",
         "road", "tunnel", "library", "museum")


def generate_seeds(folder: Path, documents: int, statements: int) -> Path:
    """A seeds folder of ``documents`` texts, each with ``statements`` quoted sentences, one
    actor per document and one event per document."""
    texts = folder / "texts"
    texts.mkdir(parents=True)
    actors, docs = [], []
    for d in range(documents):
        sentences = [f"Speaker {d} said the {WORDS[(d + s) % len(WORDS)]} plan {d}-{s} "
                     f"will cost {d * 100 + s} euros." for s in range(statements)]
        text = f"Report {d}\n\n" + "\n".join(sentences) + f"\nThe vote {d} took place today.\n"
        name = f"doc-{d}.txt"
        (texts / name).write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()
        records = [
            "document:", f"  id: doc-{d}", f"  file: {name}", f"  sha256: {digest}",
            f"  title: Report {d}", "  language: en", "  published:",
            f"    value: 2022-03-{1 + d % 28:02d}", "    basis: stated", "",
            "statements:",
        ]
        for s, sentence in enumerate(sentences):
            records += [f"  - id: speaker-{d}-on-plan-{s}", f"    speaker: speaker-{d}",
                        "    speech: reported", f"    words: {sentence[len(f'Speaker {d} '):]}"]
        records += ["", "events:", f"  - id: vote-{d}", f"    description: Vote {d}",
                    "    date:", f"      value: 2022-03-{1 + d % 28:02d}",
                    "      basis: inferred", "      words: today",
                    "    participants:", f"      - actor: speaker-{d}",
                    "    sources:", f"      - document: doc-{d}",
                    f"        words: The vote {d} took place today."]
        docs.append("\n".join(records) + "\n")
        actors += [f"  - id: speaker-{d}", f"    name: Speaker {d}", "    kind: person"]
    for d, body in enumerate(docs):
        (folder / f"doc-{d}.yaml").write_text(body, encoding="utf-8")
    (folder / "actors.yaml").write_text("actors:\n" + "\n".join(actors) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def seed_sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Seeds A and B (B has one more statement per document), each with its built database."""
    root = tmp_path_factory.mktemp("crash")
    sets = {}
    for name, statements in (("A", 10), ("B", 11)):
        seeds = generate_seeds(root / f"seeds-{name}", documents=50, statements=statements)
        db = root / f"{name}.db"
        build(seeds, db)
        sets[name] = (seeds, db)
    return sets


def _start_build(seeds: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "factdb", "build", "--seeds", str(seeds),
                             "--db", str(db)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def _temporaries(db: Path, pid: int | str = "*") -> list[Path]:
    """Temporary databases of builds of ``db`` (of one process, given its pid)."""
    return sorted(db.parent.glob(f"{TMP_PREFIX}{pid}-{db.name}"))


def test_build_is_deterministic_so_a_hash_tells_old_from_new(seed_sets, tmp_path):
    seeds, db = seed_sets["A"]
    build(seeds, tmp_path / "again.db")
    assert sha256(tmp_path / "again.db") == sha256(db)


def test_a_killed_build_leaves_the_old_or_the_new_database_whole(seed_sets, tmp_path):
    rng = random.Random(8)  # seeded: the same kill moments on every run
    known = {sha256(db): name for name, (_, db) in seed_sets.items()}
    target = tmp_path / "factdb.db"
    shutil.copy(seed_sets["A"][1], target)
    outcomes = {"killed while starting": 0, "killed while loading": 0, "finished first": 0}
    for run in range(KILLS):
        before = known[sha256(target)]
        after = "B" if before == "A" else "A"
        proc = _start_build(seed_sets[after][0], target)
        if run % 2:  # any moment from the start
            time.sleep(rng.uniform(0.0, 1.2))
        else:  # a moment after the temporary database appears: the load phase
            while proc.poll() is None and not _temporaries(target, proc.pid):
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.05))
        loading = bool(_temporaries(target, proc.pid))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = known.get(sha256(target))
        if proc.returncode == 0:
            outcomes["finished first"] += 1
            assert now == after
        else:
            assert proc.returncode == -signal.SIGKILL
            outcomes["killed while loading" if loading else "killed while starting"] += 1
            assert now in (before, after)  # killed after os.replace: the new one, complete
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()
    print(f"\n{KILLS} kill runs: {outcomes}")
    assert outcomes["killed while loading"] >= 1  # the load phase was hit

    # The next build, with no clean-up by hand, succeeds and sweeps the temporaries away.
    proc = _start_build(seed_sets["A"][0], target)
    assert proc.wait() == 0, proc.stderr.read()
    assert sha256(target) == sha256(seed_sets["A"][1])
    assert _temporaries(target) == []


def _answers(db: Path) -> tuple:
    """One reader's look at a database, through one read-only connection: a plain count, and
    two canned queries."""
    conn = querying.connect(db)
    try:
        counts = conn.execute("SELECT (SELECT count(*) FROM statements), "
                              "(SELECT count(*) FROM events)").fetchone()
        timeline = querying.run(conn, "timeline").rows
        said = querying.run(conn, "said", {"name": "Speaker 7"}).rows
    finally:
        conn.close()
    return counts, tuple(timeline), tuple(said)


def test_readers_see_whole_answers_while_builds_replace_the_database(seed_sets, tmp_path):
    target = tmp_path / "factdb.db"
    shutil.copy(seed_sets["A"][1], target)
    expected = {name: _answers(db) for name, (_, db) in seed_sets.items()}
    assert expected["A"] != expected["B"]
    seen = {"A": 0, "B": 0}
    errors: list[BaseException] = []
    done = threading.Event()
    lock = threading.Lock()

    def reader() -> None:
        while not done.is_set():
            try:
                got = _answers(target)
            except BaseException as exc:  # any error at all is a failure: keep it for the assert
                errors.append(exc)
                return
            name = next((n for n, answer in expected.items() if answer == got), None)
            if name is None:
                errors.append(AssertionError(f"a partial or mixed answer: {got[0]}"))
                return
            with lock:
                seen[name] += 1

    threads = [threading.Thread(target=reader) for _ in range(READER_THREADS)]
    for t in threads:
        t.start()
    try:
        for i in range(BUILDS_UNDER_READERS):
            proc = _start_build(seed_sets["B" if i % 2 == 0 else "A"][0], target)
            assert proc.wait() == 0, proc.stderr.read()
    finally:
        done.set()
        for t in threads:
            t.join()
    print(f"\n{sum(seen.values())} reads during {BUILDS_UNDER_READERS} builds: {seen}")
    assert errors == []
    assert seen["A"] > 0 and seen["B"] > 0


if os.name != "posix":  # pragma: no cover
    pytestmark = pytest.mark.skip("SIGKILL and atomic rename semantics are POSIX")


def test_two_builds_at_once_leave_one_whole_database(seed_sets, tmp_path):
    """Two people building the same target at the same moment: each builds its own
    temporary file, neither sweeps the other's away, and the last rename wins, whole."""
    target = tmp_path / "factdb.db"
    procs = [_start_build(seed_sets[name][0], target) for name in ("A", "B")]
    for proc in procs:
        assert proc.wait() == 0, proc.stderr.read()
    assert sha256(target) in {sha256(db) for _, db in seed_sets.values()}
    assert _temporaries(target) == []
