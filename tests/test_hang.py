"""Never hang: a query has a time limit and Ctrl-C stops it; no input costs super-linear time.

The large-input tests run the real CLI in a subprocess under a generous timeout: before the
fixes each took minutes (or never ended); now each takes about a second.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factdb.errors import FactdbError
from factdb.query.guard import guarded
from factdb.query.run import connect, run
from tests.conftest import FIXTURES, ROOT

FOREVER = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"
# A million rows: a fraction of a second, so it ends unless a limit stops it.
LONG = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 1000000) "
        "SELECT count(*) FROM c")
GENEROUS = 60  # seconds; each case below takes about one


def factdb(*args: str | Path, timeout: float = GENEROUS) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "factdb", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


# -- 9: a time limit, and Ctrl-C ----------------------------------------------------------

def test_a_query_that_never_ends_stops_at_its_time_limit(cli, seeds_db):
    result = cli("query", "sql", FOREVER, "--timeout", "0.5", "--db", seeds_db)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: query stopped after 0.5 s (--timeout); make it cheaper (a WHERE, a LIMIT, a "
        "recursive CTE that ends) or give it longer: --timeout SECONDS, 0 for no limit\n")
    assert result.stdout == ""


def test_timeout_zero_means_no_limit_and_the_default_is_in_the_help(cli, seeds_db):
    assert cli("query", "sql", LONG, "--timeout", "0.001", "--db", seeds_db).exit_code == 1
    result = cli("query", "sql", LONG, "--timeout", "0", "--format", "csv", "--db", seeds_db)
    assert (result.exit_code, result.stdout) == (0, "count(*)\n1000000\n")
    assert "--timeout" in cli("query", "sql", "--help").stdout
    assert "[default: 30.0]" in cli("query", "sql", "--help").stdout


def _wait_until_open(pid: int, path: Path, within: float = 30) -> None:
    """Wait until process ``pid`` has the database open: it is in the command by then."""
    target = str(path.resolve())
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") == target
                   for fd in os.listdir(f"/proc/{pid}/fd")):
                return
        except OSError:
            pass  # a descriptor closed while we looked
        time.sleep(0.02)
    raise AssertionError("the query never opened its database")


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_ctrl_c_stops_a_running_query_with_one_line_and_status_130(seeds_db):
    child = subprocess.Popen(
        [sys.executable, "-m", "factdb", "query", "sql", FOREVER, "--timeout", "0",
         "--db", str(seeds_db)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        _wait_until_open(child.pid, seeds_db)
        time.sleep(0.3)  # well into the query
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=GENEROUS)
    finally:
        child.kill()
    assert child.returncode == 130
    assert stderr == "interrupted\n"
    assert stdout == ""


def test_ctrl_c_or_the_time_limit_stop_a_canned_query_too(seeds_db):
    before = signal.getsignal(signal.SIGINT)  # (ignored when pytest runs in the background)
    conn = connect(seeds_db)
    try:
        with pytest.raises(FactdbError, match=r"^query stopped after 1e-09 s \(--timeout\)"), \
                guarded(conn, timeout=1e-9, steps=100):  # a small query: check often
            run(conn, "said", {"name": "Lavrov"})
        with pytest.raises(KeyboardInterrupt), guarded(conn):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, as the terminal sends it
            run(conn, "said", {"name": "Lavrov"})
        assert signal.getsignal(signal.SIGINT) is before  # the handler put back
        assert run(conn, "said", {"name": "Lavrov"}).rows  # the connection still works
    finally:
        conn.close()


# -- 10: input that used to cost super-linear time ----------------------------------------

def _prose(words: int, seed: int = 17) -> str:
    """Made-up words in paragraphs: no phrase of the fixture's own text recurs in it."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnoprstuvy"
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9)))
                  for _ in range(3000)]
    out = [rng.choice(vocabulary) for _ in range(words)]
    return "\n\n".join(" ".join(out[i : i + 80]) for i in range(0, words, 80))


def _seeds_with_text(tmp: Path, extra: str) -> Path:
    """The valid fixture seeds, with ``extra`` inserted into the document before its
    boilerplate tail (and the document's sha256 updated)."""
    seeds = tmp / "seeds"
    shutil.copytree(FIXTURES / "bad" / "_valid", seeds)
    text_file = seeds / "texts" / "bridge.txt"
    old = text_file.read_bytes()
    text = old.decode().replace("Related:", extra + "\n\nRelated:")
    text_file.write_text(text, encoding="utf-8")
    news = seeds / "news.yaml"
    news.write_text(news.read_text().replace(hashlib.sha256(old).hexdigest(),
                                             hashlib.sha256(text.encode()).hexdigest()))
    return seeds


def test_a_typo_in_1500_words_of_a_130_kb_document_is_found_quickly(tmp_path):
    prose = _prose(22_000)
    assert len(prose) > 130_000
    start = prose.index(" ", len(prose) // 3) + 1
    quoted = " ".join(prose[start:].split()[:1500])
    word = quoted.split()[700]
    typo = quoted.replace(f" {word} ", f" {word}q ", 1)
    seeds = _seeds_with_text(tmp_path, prose)
    news = seeds / "news.yaml"
    news.write_text(news.read_text().replace(
        "words: The bridge will open next spring,", f"words: {typo}"))
    result = factdb("check", "--seeds", seeds)
    assert result.returncode == 1, result.stderr
    assert f"typed '{word}q', document has '{word}'" in result.stderr
    assert "Traceback" not in result.stderr


def test_coverage_of_a_100k_line_of_initials_finishes(tmp_path):
    seeds = _seeds_with_text(tmp_path, "A. " * 33_334 + "Berg said so.")
    result = factdb("coverage", "--seeds", seeds)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^bridge-news +7 ", result.stdout, re.MULTILINE)


def test_a_row_of_2000_text_columns_prints_as_a_record(seeds_db):
    """On a terminal the table is fitted to its width (here 80, as the library's default):
    2,000 columns cannot fit, so each becomes a line of a record. Piped, it is one wide row."""
    columns = ", ".join(f"x AS c{i}" for i in range(2000))
    sql = f"WITH t(x) AS (SELECT replace(hex(zeroblob(150)), '00', 'ab ')) SELECT {columns} FROM t"
    fitted = subprocess.run(
        [sys.executable, "-c",
         "import sqlite3, sys\n"
         "from factdb.query.output import Format, render\n"
         f"cur = sqlite3.connect(':memory:').execute({sql!r})\n"
         "cols = [d[0] for d in cur.description]\n"
         "sys.stdout.write(render(cols, cur.fetchall(), Format.table, width=80))\n"],
        cwd=ROOT, capture_output=True, text=True, timeout=GENEROUS)
    assert fitted.returncode == 0, fitted.stderr
    lines = fitted.stdout.splitlines()
    assert lines[0].startswith("c0     ab ab") and lines[-1].startswith("       ab ab")
    assert sum(line.startswith("c") for line in lines) == 2000

    piped = factdb("query", "sql", sql, "--db", seeds_db)
    assert piped.returncode == 0, piped.stderr
    header, *_ = piped.stdout.splitlines()
    assert header.split() == [f"c{i}" for i in range(2000)]


def _cpu_seconds(*args: str | Path) -> float:
    """CPU time (user + system) of one CLI run, which other processes on the machine do not
    inflate as they do wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = factdb(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert result.returncode == 0, result.stderr
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def test_coverage_costs_about_what_reading_the_seeds_costs(tmp_path):
    """Coverage looked at every fact of the corpus for each document: quadratic. At 4,000
    statements (400 documents) it cost 3.5 times what `check` does; now 1.4 times."""
    from bench.synth import generate  # the benchmark's seeds, ten statements a document

    seeds = tmp_path / "seeds"
    generate(4_000, seeds)
    check = _cpu_seconds("check", "--seeds", seeds)  # both read and check every seed file
    assert _cpu_seconds("coverage", "--seeds", seeds) < 2.5 * check
