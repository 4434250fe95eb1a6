"""render(): one dispatcher for table, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

from factdb.query.output import MAX_CELL, Format, render

COLUMNS = ["id", "n", "quote"]
ROWS = [("a-1", 3, "short"), ("b-22", None, 'with "quotes", commas\nand a newline')]


def test_a_table_that_fits_is_a_grid():
    assert render(COLUMNS, ROWS, Format.table) == (
        "id    n  quote\n"
        "----  -  -----------------------------------\n"
        "a-1   3  short\n"
        'b-22     with "quotes", commas and a newline\n')


def test_long_text_wraps_inside_its_column_and_ids_stay_whole():
    rows = [("event-with-a-long-id", "word " * 30)]
    assert render(["event_id", "description"], rows, Format.table, width=60) == (
        "event_id              description\n"
        "--------------------  --------------------------------------\n"
        "event-with-a-long-id  word word word word word word word\n"
        "                      word word word word word word word\n"
        "                      word word word word word word word\n"
        "                      word word word word word word word\n"
        "                      word word\n")


def test_too_many_columns_become_one_block_per_row():
    columns = [f"column_{i}" for i in range(8)]
    rows = [tuple(f"value-{i}-{j}" for i in range(8)) for j in range(2)]
    text = render(columns, rows, Format.table)
    assert text.split("\n\n")[0].splitlines() == [
        f"column_{i}  value-{i}-0" for i in range(8)]
    assert len(text.split("\n\n")) == 2
    assert max(len(line) for line in text.splitlines()) <= 80


def test_a_very_long_value_is_cut_in_a_table_but_kept_in_json_and_csv():
    text = "x" * (MAX_CELL + 50)
    table = render(["text"], [(text,)], Format.table, width=1000)
    assert table.splitlines()[2] == "x" * (MAX_CELL - 1) + "…"
    assert json.loads(render(["text"], [(text,)], Format.json)) == [{"text": text}]
    assert render(["text"], [(text,)], Format.csv) == f"text\n{text}\n"


def test_json_is_an_array_of_objects_and_empty_is_an_empty_array():
    assert json.loads(render(COLUMNS, ROWS, Format.json)) == [
        {"id": "a-1", "n": 3, "quote": "short"},
        {"id": "b-22", "n": None, "quote": 'with "quotes", commas\nand a newline'}]
    assert render(COLUMNS, [], Format.json) == "[]\n"


def test_csv_has_a_header_and_quotes_what_needs_it():
    text = render(COLUMNS, ROWS, Format.csv)
    assert list(csv.reader(io.StringIO(text))) == [
        COLUMNS, ["a-1", "3", "short"], ["b-22", "", 'with "quotes", commas\nand a newline']]
    assert render(COLUMNS, [], Format.csv) == "id,n,quote\n"


def test_an_empty_table_is_empty_text():
    assert render(COLUMNS, [], Format.table) == ""
