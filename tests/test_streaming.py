"""JSON and CSV are written as the rows come: the first row is out (flushed) before SQLite is
asked for the next, and the text is the same as rendering every row at once."""

from __future__ import annotations

import csv
import io
import json

import pytest

from factdb.query import run as querying
from factdb.query.output import Format, render, write
from factdb.query.registry import QUERIES

ROWS = [(1, "a\nb", None), (2.5, "Tromsø “quoted”, comma", b"\x00\xff"), (3, "", "x" * 500)]
COLUMNS = ["n", "text", "other"]


class Watched(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.flushed = ""

    def flush(self) -> None:
        self.flushed = self.getvalue()


@pytest.mark.parametrize("fmt", [Format.json, Format.csv])
def test_the_first_row_is_flushed_before_the_next_is_asked_for(fmt):
    out = Watched()

    def batches():
        yield [ROWS[0]]
        assert "1" in out.flushed and out.flushed == out.getvalue()
        yield ROWS[1:]

    write(COLUMNS, batches(), fmt, out)
    assert out.getvalue() == render(COLUMNS, ROWS, fmt)


@pytest.mark.parametrize("split", [0, 1, 2, 3])
def test_streamed_json_and_csv_are_what_the_whole_answer_renders(split):
    batches = [ROWS[:split], ROWS[split:]]
    out = io.StringIO()
    write(COLUMNS, batches, Format.json, out)
    objects = [dict(zip(COLUMNS, r, strict=True)) for r in ROWS]
    expected = json.dumps(objects, ensure_ascii=False, indent=2,
                          default=lambda b: b.hex()) + "\n"
    assert out.getvalue() == expected
    out = io.StringIO()
    write(COLUMNS, batches, Format.csv, out)
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        COLUMNS, *[["" if v is None else str(v) for v in r] for r in ROWS]]


def test_no_rows_is_an_empty_array_or_a_header():
    assert render(COLUMNS, [], Format.json) == "[]\n"
    assert render(COLUMNS, [], Format.csv) == "n,text,other\n"


@pytest.mark.parametrize("name", ["timeline", "conflicts", "corroborations"])
def test_a_canned_query_hands_over_its_first_row_alone(seeds_db, name):
    conn = querying.connect(seeds_db)
    try:
        result = querying.stream(conn, QUERIES[name])
        batches = list(result.batches)
        whole = querying.run(conn, name)
    finally:
        conn.close()
    assert len(batches[0]) == 1
    assert [row for batch in batches for row in batch] == whole.rows
