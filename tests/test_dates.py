"""Relative date words resolved against an anchor, keeping precision and ranges."""

from __future__ import annotations

from datetime import date

import pytest

from factdb.dates.values import parse_value
from factdb.dates.words import explain, is_relative, resolve

TUESDAY = date(2022, 2, 1)


@pytest.mark.parametrize(("words", "value", "earliest", "latest"), [
    ("yesterday", "2022-01-31", "2022-01-31", "2022-01-31"),
    ("today", "2022-02-01", "2022-02-01", "2022-02-01"),
    ("tomorrow", "2022-02-02", "2022-02-02", "2022-02-02"),
    ("last Sunday", "2022-01-30", "2022-01-30", "2022-01-30"),
    ("next Monday", "2022-02-07", "2022-02-07", "2022-02-07"),
    ("on Tuesday", "2022-02-01", "2022-02-01", "2022-02-01"),
    ("on Wednesday", "2022-02-02", "2022-02-02", "2022-02-02"),
    ("on Saturday", "2022-01-29", "2022-01-29", "2022-01-29"),
    ("last week", "2022-01", "2022-01-24", "2022-01-30"),
    ("last month", "2022-01", "2022-01-01", "2022-01-31"),
    ("last year", "2021", "2021-01-01", "2021-12-31"),
    ("In December", "2021-12", "2021-12-01", "2021-12-31"),
    ("last November", "2021-11", "2021-11-01", "2021-11-30"),
    ("late January", "2022-01", "2022-01-21", "2022-01-31"),
    ("late 2021", "2021", "2021-09-01", "2021-12-31"),
    ("26 January 2022", "2022-01-26", "2022-01-26", "2022-01-26"),
    ("On Wednesday, February 2", "2022-02-02", "2022-02-02", "2022-02-02"),
    ("November 1999", "1999-11", "1999-11-01", "1999-11-30"),
    ("1993", "1993", "1993-01-01", "1993-12-31"),
])
def test_words_resolve_against_the_anchor(words, value, earliest, latest):
    span = resolve(words, TUESDAY, TUESDAY)
    assert (span.value, span.earliest.isoformat(), span.latest.isoformat()) == (
        value, earliest, latest)


def test_words_that_are_not_understood_give_none():
    assert resolve("the 16th or 17th of February", TUESDAY, TUESDAY) is None
    assert resolve("Wednesday, February 3", TUESDAY, TUESDAY) is None  # wrong weekday


def test_an_anchor_known_to_a_range_gives_a_day_only_when_every_day_agrees():
    assert resolve("on Monday", date(2022, 2, 14), date(2022, 2, 15)).value == "2022-02-14"
    span = resolve("yesterday", date(2022, 2, 1), date(2022, 2, 2))
    # 31 January or 1 February: the narrowest value covering both is the year
    assert (span.value, span.precision, str(span.earliest), str(span.latest)) == (
        "2022", "year", "2022-01-31", "2022-02-01")


def test_relative_and_absolute_words():
    assert is_relative("yesterday") and is_relative("February 2")
    assert is_relative("Wednesday, February 2") and is_relative("last November")
    assert not is_relative("26 January 2022") and not is_relative("November 1999")
    assert not is_relative("late 2021") and not is_relative("the 16th or 17th")


@pytest.mark.parametrize(("text", "message"), [
    ("2022-02-30", "'2022-02-30' is not a real day (February 2022 has 28 days)"),
    ("2022-13", "'2022-13' has no month 13"),
    ("1 Feb 2022", "'1 Feb 2022' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"),
])
def test_impossible_values_are_refused(text, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_value(text)


def test_precision_is_the_shape_of_the_value():
    assert [parse_value(v).precision for v in ("1999", "1999-11", "1999-11-19")] == [
        "year", "month", "day"]


# -- explain(): the date words give, and how they were read ------------------------------------
WEDNESDAY = parse_value("2022-02-02")


@pytest.mark.parametrize(("words", "value", "way"), [
    ("on Tuesday", "2022-02-01", "the Tuesday before, "),
    ("Sunday", "2022-01-30", "the Sunday before, "),  # three days back
    ("on Saturday", "2022-02-05", "the Saturday after, "),  # three days on
    ("Wednesday", "2022-02-02", "the same day, "),
    ("yesterday", "2022-02-01", ""),
    ("last Sunday", "2022-01-30", ""),
])
def test_a_weekday_says_which_way_it_went(words, value, way):
    reading = explain(words, WEDNESDAY, "the publication date of doc-x")
    assert reading.span.value == value and reading.relative
    assert reading.note == (f"{words!r} read against the publication date of doc-x "
                            f"(2022-02-02): {way}{value}")


def test_a_weekday_read_against_a_range_says_no_way_when_the_days_disagree():
    anchor = parse_value("2022-02")  # the whole month: Tuesdays both sides
    reading = explain("on Tuesday", anchor, "x")
    assert reading.note == "'on Tuesday' read against x (2022-02): 2022"


def test_words_with_a_year_need_no_anchor():
    reading = explain("26 January 2022", None)
    assert (reading.span.value, reading.relative, reading.note) == (
        "2022-01-26", False, "'26 January 2022' read as a calendar date: 2022-01-26")


def test_what_cannot_be_computed_is_said():
    with pytest.raises(ValueError, match=r"cannot compute a date from 'the 16th or 17th'; give "
                                         r"a value \(YYYY, YYYY-MM or YYYY-MM-DD\), or words it "
                                         r"understands: yesterday, today, tomorrow; "):
        explain("the 16th or 17th", WEDNESDAY)
    with pytest.raises(ValueError, match="'yesterday' is relative to when it was written"):
        explain("yesterday", None)
    with pytest.raises(ValueError, match="spans more than 62 days"):
        explain("yesterday", parse_value("2022"), "x")
