"""The table of date words written for the project (fixtures/dates/cases.tsv): every case
resolves to its value, precision and bounds, and every value is one the database and the
date filters read back with the same bounds."""

from __future__ import annotations

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
