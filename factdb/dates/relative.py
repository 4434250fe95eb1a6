"""Relative words ("yesterday", "last Sunday", "three weeks ago", "earlier this month"), each
computed from an anchor day by one rule (the README's "Dates" table lists them)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from factdb.dates.calendar_words import (
    MONTHS,
    SEASONS,
    WEEKDAYS,
    Got,
    month_span,
    months_span,
)

FIXED = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "last night": -1,
         "this morning": 0, "this afternoon": 0, "this evening": 0}
TIMES_OF_DAY = ("morning", "afternoon", "evening", "night")
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
STEP = {"last": -1, "this": 0, "next": 1}


def _day(d: date) -> Got:
    return d, d, None


def _week(anchor: date, weeks: int = 0) -> tuple[date, date]:
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=weeks)
    return monday, monday + timedelta(days=6)


def _month(anchor: date, months: int = 0) -> tuple[date, date]:
    index = anchor.year * 12 + anchor.month - 1 + months
    return month_span(index // 12, index % 12 + 1)


def _year(anchor: date, years: int = 0) -> tuple[date, date]:
    return date(anchor.year + years, 1, 1), date(anchor.year + years, 12, 31)


def _quarter(anchor: date, quarters: int = 0) -> tuple[date, date]:
    index = anchor.year * 4 + (anchor.month - 1) // 3 + quarters
    return months_span(index // 4, index % 4 * 3 + 1, 3)


UNITS = {"week": _week, "month": _month, "year": _year, "quarter": _quarter}


def relative(text: str, anchor: date) -> Got | None:
    """The relative reading of normalised ``text`` against ``anchor``, or None."""
    tokens = text.split()
    # "tuesday night", "yesterday morning", "last friday evening": the day is the date
    if len(tokens) > 1 and tokens[-1] in TIMES_OF_DAY and tokens[-2] in (*WEEKDAYS, *FIXED):
        tokens = tokens[:-1]
    text = " ".join(tokens)
    if text in FIXED:
        return _day(anchor + timedelta(days=FIXED[text]))
    if len(tokens) == 1 and tokens[0] in WEEKDAYS:  # "on Tuesday": the nearest one, +-3 days
        offset = (WEEKDAYS.index(tokens[0]) - anchor.weekday()) % 7
        return _day(anchor + timedelta(days=offset if offset <= 3 else offset - 7))
    m = re.fullmatch(r"([0-9]+|[a-z]+) (day|week|month|year)s? ago", text)
    if m and (m[1].isdigit() or m[1] in NUMBERS):
        return _ago(int(m[1]) if m[1].isdigit() else NUMBERS[m[1]], m[2], anchor)
    m = re.fullmatch(r"(earlier|later) this (week|month|year)", text)
    if m:
        lo, hi = UNITS[m[2]](anchor)
        named = _value_of(m[2], lo)
        if m[1] == "earlier":
            return lo, max(lo, anchor - timedelta(days=1)), named
        return min(hi, anchor + timedelta(days=1)), hi, named
    if len(tokens) == 2 and tokens[0] in STEP:
        return _step(tokens[0], tokens[1], anchor)
    return None


def _value_of(unit: str, first: date) -> str:
    if unit == "week":
        year, week, _ = first.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return first.isoformat()[:7] if unit == "month" else first.isoformat()[:4]


def _ago(n: int, unit: str, anchor: date) -> Got:
    """N days ago: that day; N weeks/months/years ago: the calendar week, month or year N
    before the anchor's."""
    if unit == "day":
        return _day(anchor - timedelta(days=n))
    return (*UNITS[unit](anchor, -n), None)


def _step(which: str, unit: str, anchor: date) -> Got | None:
    """last/this/next + weekday, week, weekend, month, quarter, year, month name, season."""
    step = STEP[which]
    if unit in WEEKDAYS:
        target = WEEKDAYS.index(unit)
        if which == "this":
            d = anchor + timedelta(days=target - anchor.weekday())
        elif which == "last":
            d = anchor - timedelta(days=(anchor.weekday() - target - 1) % 7 + 1)
        else:
            d = anchor + timedelta(days=(target - anchor.weekday() - 1) % 7 + 1)
        return _day(d)
    if unit in UNITS:
        return (*UNITS[unit](anchor, step), None)
    if unit == "weekend":
        saturday = _week(anchor)[0] + timedelta(days=5)  # this week's
        if which == "last":
            saturday -= timedelta(days=7)
        elif which == "next" and anchor >= saturday:
            saturday += timedelta(days=7)
        return saturday, saturday + timedelta(days=1), None
    if unit in MONTHS:
        month, year = MONTHS[unit], anchor.year
        if which == "last":
            year -= 1 if month >= anchor.month else 0
        elif which == "next":
            year += 1 if month <= anchor.month else 0
        return (*month_span(year, month), None)
    if unit in SEASONS:
        return (*_season(which, SEASONS[unit], anchor), None)
    return None


def _season(which: str, start: int, anchor: date) -> tuple[date, date]:
    """this: the one the anchor is in, else the one starting in the anchor's year; last: the
    latest that ended before the anchor; next: the first that starts after it."""
    seasons = [months_span(y, start, 3) for y in range(anchor.year - 2, anchor.year + 2)]
    if which == "last":
        return max(s for s in seasons if s[1] < anchor)
    if which == "next":
        return min(s for s in seasons if s[0] > anchor)
    inside = [s for s in seasons if s[0] <= anchor <= s[1]]
    return inside[0] if inside else months_span(anchor.year, start, 3)
