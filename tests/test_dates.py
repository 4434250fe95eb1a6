"""Relative date words resolved against an anchor, keeping precision and ranges."""

from __future__ import annotations

import re
from datetime import date

import pytest

from factdb.dates.values import Span, contrast, describe, parse_value, span_of
from factdb.dates.words import explain, is_relative, resolve, understood

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
    ("last week", "2022-W04", "2022-01-24", "2022-01-30"),  # the week, not January
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
    assert resolve("around the time of the summit", TUESDAY, TUESDAY) is None
    assert resolve("Wednesday, February 3", TUESDAY, TUESDAY) is None  # wrong weekday


def test_an_anchor_known_to_a_range_gives_a_day_only_when_every_day_agrees():
    assert resolve("on Monday", date(2022, 2, 14), date(2022, 2, 15)).value == "2022-02-14"
    span = resolve("yesterday", date(2022, 2, 1), date(2022, 2, 2))
    # 31 January or 1 February: a range, not the year that contains both
    assert (span.value, span.precision, str(span.earliest), str(span.latest)) == (
        "2022-01-31/2022-02-01", "range", "2022-01-31", "2022-02-01")


def test_relative_and_absolute_words():
    assert is_relative("yesterday") and is_relative("February 2")
    assert is_relative("Wednesday, February 2") and is_relative("last November")
    assert not is_relative("26 January 2022") and not is_relative("November 1999")
    assert not is_relative("late 2021") and not is_relative("around the 16th")


@pytest.mark.parametrize(("text", "message"), [
    ("2022-02-30", "'2022-02-30' is not a real day (February 2022 has 28 days)"),
    ("2022-13", "'2022-13' has no month 13"),
    ("1 Feb 2022", "'1 Feb 2022' is not a date; write YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www "
                   "(an ISO week) or START/END (a range)"),
    ("0000-01", "'0000-01' has year 0000; years run from 0001 to 9999"),
    ("2022-W53", "'2022-W53' has no week 53: ISO years have weeks 01 to 52 or 53"),
    ("2022-02-04/2022-01-26", "'2022-02-04/2022-01-26' ends before it starts"),
    ("2022/2022", "'2022/2022' ends before it starts, or where it starts"),
    ("2022-01/", "'2022-01/' is not a range; write START/END"),
    ("2022-01-26/2022-02-30", "'2022-01-26/2022-02-30' is not a range: '2022-02-30' is not a "
                              "real day"),
    ("\uff12\uff10\uff12\uff12-02-01",
     "'\uff12\uff10\uff12\uff12-02-01' has digits that are not 0-9"),
    ("\u0662\u0660\u0662\u0662", "'\u0662\u0660\u0662\u0662' has digits that are not 0-9"),
    ("2022-02-01 ", "'2022-02-01 ' has spaces around it"),
    ("2022-02-01\n", "'2022-02-01\\n' has spaces around it"),
])
def test_impossible_values_are_refused(text, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        parse_value(text)


def test_precision_is_the_shape_of_the_value():
    assert [parse_value(v).precision for v in ("1999", "1999-11", "1999-11-19")] == [
        "year", "month", "day"]


@pytest.mark.parametrize(("text", "precision", "earliest", "latest"), [
    ("2022-W04", "week", "2022-01-24", "2022-01-30"),
    ("2021-W52", "week", "2021-12-27", "2022-01-02"),  # an ISO week can cross a year
    ("2020-W53", "week", "2020-12-28", "2021-01-03"),
    ("2022-01-26/2022-02-04", "range", "2022-01-26", "2022-02-04"),
    ("1991-12/1992", "range", "1991-12-01", "1992-12-31"),
    ("2021/2022", "range", "2021-01-01", "2022-12-31"),
])
def test_weeks_and_ranges_have_their_bounds(text, precision, earliest, latest):
    span = parse_value(text)
    assert (span.precision, str(span.earliest), str(span.latest)) == (precision, earliest, latest)


@pytest.mark.parametrize(("earliest", "latest", "value"), [
    ("2022-01-24", "2022-01-30", "2022-W04"),
    ("2022-01-21", "2022-01-31", "2022-01"),  # inside a month: the month, narrower bounds
    ("2022-01-01", "2022-12-31", "2022"),
    ("2022-01-26", "2022-02-04", "2022-01-26/2022-02-04"),  # not widened to 2022
    ("2021-12-01", "2022-02-28", "2021-12/2022-02"),
    ("2021-01-01", "2022-12-31", "2021/2022"),
])
def test_span_of_is_honest_about_what_it_covers(earliest, latest, value):
    span = span_of(date.fromisoformat(earliest), date.fromisoformat(latest))
    assert span.value == value
    assert (parse_value(value).earliest, parse_value(value).latest)[0] <= span.earliest


def test_describe_and_contrast_show_the_bounds_that_differ():
    month = parse_value("2022-01")
    late = Span("2022-01", "month", date(2022, 1, 21), date(2022, 1, 31))
    assert describe(month) == "2022-01" and describe(late) == "2022-01 (2022-01-21 to 2022-01-31)"
    assert contrast(late, month) == ("2022-01 (2022-01-21 to 2022-01-31), not "
                                     "2022-01 (2022-01-01 to 2022-01-31)")
    assert contrast(parse_value("2022-02-01"), month) == "2022-02-01, not 2022-01"


@pytest.mark.parametrize(("words", "anchor"), [
    ("tomorrow", "9999-12-31"), ("yesterday", "0001-01-01"), ("next year", "9999-06-01"),
    ("January 0000", "2022-02-01"), ("3 years ago", "0002-01-01"), ("next winter", "9999-01-01"),
])
def test_words_outside_the_years_1_to_9999_give_none_and_a_clean_error(words, anchor):
    day = date.fromisoformat(anchor)
    assert resolve(words, day, day) is None
    assert understood(words)
    with pytest.raises(ValueError, match="gives a day outside the years 0001-9999; give a value"):
        explain(words, parse_value(anchor), "x")


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
    assert reading.note == "'on Tuesday' read against x (2022-02): 2022-02-01/2022-03-01"


def test_words_with_a_year_need_no_anchor():
    reading = explain("26 January 2022", None)
    assert (reading.span.value, reading.relative, reading.note) == (
        "2022-01-26", False, "'26 January 2022' read as a calendar date: 2022-01-26")


def test_what_cannot_be_computed_is_said():
    with pytest.raises(ValueError, match=r"cannot compute a date from 'around the 16th'; give "
                                         r"a value \(YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www \(an ISO "
                                         r"week\) or START/END \(a range\)\), or words it "
                                         r"understands: yesterday, today, tomorrow"):
        explain("around the 16th", WEDNESDAY)
    with pytest.raises(ValueError, match="'yesterday' is relative to when it was written"):
        explain("yesterday", None)
    with pytest.raises(ValueError, match="spans more than 62 days"):
        explain("yesterday", parse_value("2022"), "x")


def test_new_expressions_are_relative_only_without_a_year_of_their_own():
    assert is_relative("the first quarter") and is_relative("last weekend")
    assert is_relative("between 6 and 20 February") and is_relative("on the 14th")
    assert not is_relative("Q1 2022") and not is_relative("in the spring of 2021")
    assert not is_relative("December 1991 or 1992")
    assert explain("Q1 2022", None).span.value == "2022-01/2022-03"
