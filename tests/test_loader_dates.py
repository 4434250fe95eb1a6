"""Dates the build can compute need no typed value: `words` it understands, read against the
anchor's publication date, give the value (stored as inferred, with a note saying how)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from factdb.errors import FactdbError
from factdb.seeds.dating import compute
from factdb.seeds.load import load_partial
from tests.conftest import FIXTURES

BASE = FIXTURES / "bad" / "date-words-disagree"  # one document (3 March 2022), one statement
SAID = """    said:
      value: 2022-03-02
      basis: inferred
      words: on Tuesday"""
PUBLISHED = """  published:
    value: 2022-03-03
    basis: stated
    words: 3 March 2022"""
DATE_COLUMNS = ("said_on, said_on_precision, said_on_basis, said_on_words, "
                "said_on_inferred_from, said_on_earliest, said_on_latest")


def seeds_with(tmp: Path, *changes: tuple[str, str]) -> Path:
    seeds = tmp / "seeds"
    shutil.copytree(BASE, seeds)
    text = (seeds / "seeds.yaml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    (seeds / "seeds.yaml").write_text(text, encoding="utf-8")
    return seeds


def build(cli, seeds: Path) -> tuple[int, list[str], Path]:
    db = seeds.parent / "factdb.db"
    result = cli("build", "--seeds", seeds, "--db", db)
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines(), db


def said(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT {DATE_COLUMNS} FROM statements").fetchone()
    finally:
        conn.close()


def test_a_weekday_without_value_is_computed_and_stored_as_inferred(tmp_path, cli):
    seeds = seeds_with(tmp_path, (SAID, "    said:\n      words: on Tuesday"))
    code, lines, db = build(cli, seeds)
    assert code == 0, lines
    assert said(db) == (
        "2022-03-01", "day", "inferred", "on Tuesday",
        "'on Tuesday' read against the publication date of bridge-news (2022-03-03): "
        "the Tuesday before, 2022-03-01", "2022-03-01", "2022-03-01")


def test_a_computed_date_keeps_the_curators_note_after_its_own(tmp_path, cli):
    seeds = seeds_with(tmp_path, (SAID, "    said:\n      words: on Tuesday\n"
                                        "      inferred_from: the minister's diary"))
    code, lines, db = build(cli, seeds)
    assert code == 0, lines
    assert said(db)[4].endswith("the Tuesday before, 2022-03-01; the minister's diary")


def test_a_relative_computed_date_marked_stated_is_still_refused(tmp_path, cli):
    seeds = seeds_with(tmp_path, (SAID, "    said:\n      words: on Tuesday\n"
                                        "      basis: stated"))
    code, lines, _ = build(cli, seeds)
    assert code == 1
    assert lines == ["seeds.yaml:24:14: statements[0].said.basis: 'on Tuesday' is relative to "
                     "when it was written, so the date is inferred: set basis: inferred",
                     "1 problem found in the seeds"]


def test_a_publication_date_is_computed_from_calendar_words_without_an_anchor(tmp_path, cli):
    seeds = seeds_with(tmp_path, (PUBLISHED, "  published:\n    words: 3 March 2022"),
                       (SAID, "    said:\n      words: on Tuesday"))
    code, lines, db = build(cli, seeds)
    assert code == 0, lines
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT published_on, published_on_basis, published_on_inferred_from "
                       "FROM documents").fetchone()
    conn.close()
    assert row == ("2022-03-03", "inferred", "'3 March 2022' read as a calendar date: 2022-03-03")
    assert said(db)[0] == "2022-03-01"  # anchored on the computed publication date


def test_calendar_words_may_be_kept_stated(tmp_path, cli):
    seeds = seeds_with(tmp_path, (PUBLISHED, "  published:\n    words: 3 March 2022\n"
                                             "    basis: stated"),
                       (SAID, "    said:\n      words: on Tuesday"))
    code, lines, db = build(cli, seeds)
    assert code == 0, lines
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT published_on, published_on_basis, published_on_inferred_from "
                       "FROM documents").fetchone()
    conn.close()
    assert row == ("2022-03-03", "stated", None)


def test_an_event_date_counts_from_its_first_source(tmp_path, cli):
    seeds = seeds_with(tmp_path, ("statements:", """events:
  - id: bridge-announced
    description: The minister announces the bridge's opening
    date: {words: on Tuesday}
    sources:
      - document: bridge-news
        words: said on Tuesday that the new bridge will open next spring

statements:"""), (SAID, "    said:\n      words: on Tuesday"))
    code, lines, db = build(cli, seeds)
    assert code == 0, lines
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT date, date_basis, date_inferred_from FROM events").fetchone()
    conn.close()
    assert row == ("2022-03-01", "inferred", "'on Tuesday' read against the publication date "
                   "of bridge-news (2022-03-03): the Tuesday before, 2022-03-01")


@pytest.mark.parametrize(("said_yaml", "message"), [
    ("    said:\n      basis: inferred",
     "seeds.yaml:23:7: statements[0].said.value: missing required field 'value'"),
    ("    said:\n      value: 2022-03-01",
     "seeds.yaml:23:7: statements[0].said.basis: missing required field 'basis'"),
    ("    said:\n      valeu: 2022-03-01\n      basis: inferred",
     "seeds.yaml:23:14: statements[0].said.valeu: unknown field 'valeu' (did you mean 'value'?)"),
])
def test_a_date_without_words_still_needs_its_value_and_basis(tmp_path, cli, said_yaml,
                                                               message):
    code, lines, _ = build(cli, seeds_with(tmp_path, (SAID, said_yaml)))
    assert code == 1
    assert lines == [message, "1 problem found in the seeds"]


# -- the library function `factdb add` calls ----------------------------------------------------
@pytest.fixture(scope="module")
def corpus():
    return load_partial(BASE)[0]


def test_compute_gives_the_date_and_the_note_a_build_would_store(corpus):
    reading = compute("yesterday", "bridge-news", corpus)
    assert (reading.span.value, reading.span.precision, reading.relative) == (
        "2022-03-02", "day", True)
    assert reading.note == ("'yesterday' read against the publication date of bridge-news "
                            "(2022-03-03): 2022-03-02")
    assert compute("on Saturday", "bridge-news", corpus).note.endswith(
        "the Saturday after, 2022-03-05")
    assert compute("November 1999", None, corpus).span.value == "1999-11"


def test_compute_refuses_what_it_cannot_compute(corpus):
    with pytest.raises(FactdbError, match=r"unknown document 'brige-news' \(did you mean "
                                          r"'bridge-news'\?\)"):
        compute("yesterday", "brige-news", corpus)
    with pytest.raises(FactdbError, match=r"cannot compute a date from 'the day before'; .*"
                                          r"words it understands: yesterday, today"):
        compute("the day before", "bridge-news", corpus)
    with pytest.raises(FactdbError, match="relative to when it was written"):
        compute("yesterday", None, corpus)
