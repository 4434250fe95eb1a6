"""The table of date words written for the project (fixtures/dates/cases.tsv): every case
resolves to its value, precision and bounds, and every value is one the database and the
date filters read back with the same bounds."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from factdb.dates.cases import load_cases
from factdb.dates.values import parse_value
from factdb.dates.words import resolve, understood
from factdb.query.sqlfunctions import register
from tests.conftest import FIXTURES

CASES = load_cases(FIXTURES / "dates" / "cases.tsv")


def test_the_table_is_large_and_covers_every_precision():
    assert len(CASES) >= 60
    assert {c.precision for c in CASES} == {"year", "month", "week", "day", "range"}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.words}@{c.anchor}" for c in CASES])
def test_each_case_resolves_to_its_value_and_bounds(case):
    span = resolve(case.words, case.anchor, case.anchor)
    assert span is not None and understood(case.words), case.words
    assert (span.value, span.precision, span.earliest, span.latest) == (
        case.value, case.precision, case.earliest, case.latest)
    own = parse_value(case.value)  # the value itself holds its bounds
    assert own.precision == case.precision
    assert own.earliest <= case.earliest <= case.latest <= own.latest


def test_the_sql_date_functions_read_every_value_with_its_bounds():
    conn = sqlite3.connect(":memory:")
    register(conn)
    for case in CASES:
        got = conn.execute("SELECT factdb_date_start(?), factdb_date_end(?)",
                           (case.value, case.value)).fetchone()
        own = parse_value(case.value)
        assert got == (own.earliest.isoformat(), own.latest.isoformat()), case.value


# -- weeks and ranges in a real database -------------------------------------------------------
def test_weeks_and_ranges_are_stored_and_filtered_by_their_bounds(cli, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "queries" / "seeds", seeds)
    events = seeds / "events.yaml"
    text = events.read_text(encoding="utf-8")
    text = text.replace('date: {value: "2022", basis: inferred, inferred_from: the article says '
                        'only that it has arrived}',
                        'date: {value: 2022-01-26/2022-02-04, basis: inferred, inferred_from: x}')
    text = text.replace("date: {value: 2022-02, basis: inferred, words: in February}",
                        "date: {value: 2022-W05, precision: week, basis: inferred, "
                        "inferred_from: x}")
    events.write_text(text, encoding="utf-8")
    db = tmp_path / "factdb.db"
    built = cli("build", "--seeds", seeds, "--db", db)
    assert built.exit_code == 0, built.stderr
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT id, date, date_precision, date_earliest, date_latest "
                          "FROM events ORDER BY date_earliest, id").fetchall()
    conn.close()
    assert stored == [
        ("finland-receives-letter", "2022-01-26/2022-02-04", "range", "2022-01-26", "2022-02-04"),
        ("lavrov-sends-letter", "2022-01-28", "day", "2022-01-28", "2022-01-28"),
        ("geneva-talks", "2022-W05", "week", "2022-01-31", "2022-02-06"),
        ("geneva-talks-in-january", "2022-02", "month", "2022-02-01", "2022-02-28")]

    def timeline(*bounds: str) -> list[str]:
        got = cli("query", "timeline", *bounds, "--format", "csv", "--db", db)
        assert got.exit_code == 0, got.stderr
        return [line.split(",")[0] for line in got.stdout.splitlines()[1:]]

    assert timeline("--from", "2022-W04", "--to", "2022-W04") == [
        "finland-receives-letter", "lavrov-sends-letter"]
    assert timeline("--from", "2022-02-05") == ["geneva-talks"]
    assert timeline("--from", "2022-02-01/2022-02-03") == [
        "finland-receives-letter", "geneva-talks"]
