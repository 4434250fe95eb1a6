"""Date values that keep their precision: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, an ISO week
``YYYY-Www`` or an ISO 8601 interval ``START/END`` of two of the first three.

A value's precision is its shape (year, month, day, week or range); it covers the days between
its earliest and latest bounds: a week runs Monday to Sunday, a range from its start's first
day to its end's last (``2021-12/2022`` is 1 December 2021 to 31 December 2022).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

PRECISIONS = ("year", "month", "week", "day", "range")
FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www (an ISO week) or START/END (a range)"

# [0-9], not \d: \d also matches other scripts' digits, which date() would accept.
_POINT = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")


@dataclass(frozen=True)
class Span:
    """A date value with its precision and the days it covers."""

    value: str
    precision: str
    earliest: date
    latest: date


@functools.lru_cache(maxsize=65536)  # pure; a corpus repeats its dates
def parse_value(text: str) -> Span:
    """Parse a date value (see the module's docstring); raise ValueError saying what is wrong."""
    if text != text.strip():
        raise ValueError(f"{text!r} has spaces around it; write the date alone, e.g. 2022-02-01")
    if any(c.isdigit() and not "0" <= c <= "9" for c in text):
        raise ValueError(f"{text!r} has digits that are not 0-9; write the date in ASCII "
                         "digits, e.g. 2022-02-01")
    if "/" in text:
        return _range(text)
    week = _WEEK.fullmatch(text)
    if week:
        return _week(text, int(week[1]), int(week[2]))
    return _point(text)


def _point(text: str) -> Span:
    m = _POINT.fullmatch(text)
    if not m:
        raise ValueError(f"{text!r} is not a date; write {FORMS}")
    year, month, day = int(m[1]), m[2], m[3]
    if year == 0:
        raise ValueError(f"{text!r} has year 0000; years run from 0001 to 9999")
    if month is None:
        return Span(text, "year", date(year, 1, 1), date(year, 12, 31))
    if not 1 <= int(month) <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    last = calendar.monthrange(year, int(month))[1]
    if day is None:
        return Span(text, "month", date(year, int(month), 1), date(year, int(month), last))
    if not 1 <= int(day) <= last:
        raise ValueError(f"{text!r} is not a real day ({calendar.month_name[int(month)]} {year} "
                         f"has {last} days)")
    d = date(year, int(month), int(day))
    return Span(text, "day", d, d)


def _week(text: str, year: int, week: int) -> Span:
    try:
        monday = date.fromisocalendar(year, week, 1)
        sunday = date.fromisocalendar(year, week, 7)
    except ValueError:
        raise ValueError(f"{text!r} has no week {week:02d}: ISO years have weeks 01 to 52 "
                         "or 53") from None
    return Span(text, "week", monday, sunday)


def _range(text: str) -> Span:
    start_text, _, end_text = text.partition("/")
    if "/" in end_text or not start_text or not end_text:
        raise ValueError(f"{text!r} is not a range; write START/END, e.g. 2022-01-26/2022-02-04")
    try:
        start, end = _point(start_text), _point(end_text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a range: {exc}") from None
    if end.earliest <= start.earliest:
        raise ValueError(f"{text!r} ends before it starts, or where it starts; write the "
                         "earlier date first, or a single value")
    return Span(text, "range", start.earliest, end.latest)


def parse_day(text: str) -> date:
    """Parse a full ``YYYY-MM-DD`` day (used for earliest/latest bounds)."""
    span = parse_value(text)
    if span.precision != "day":
        raise ValueError(f"{text!r} must be a full day, YYYY-MM-DD")
    return span.earliest


def span_of(earliest: date, latest: date) -> Span:
    """The narrowest value that covers a range of days without widening it past a month:
    a day, an exact ISO week, a month (with narrower bounds when they are), an exact year,
    or else a range (``2022-01-26/2022-02-04``, ``2021-12/2022-02``, ``2021/2022``)."""
    if earliest == latest:
        return Span(earliest.isoformat(), "day", earliest, latest)
    if earliest.weekday() == 0 and latest - earliest == timedelta(days=6):
        year, week, _ = earliest.isocalendar()
        return Span(f"{year:04d}-W{week:02d}", "week", earliest, latest)
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        return Span(earliest.isoformat()[:7], "month", earliest, latest)
    if _year_start(earliest) and _year_end(latest) and earliest.year == latest.year:
        return Span(earliest.isoformat()[:4], "year", earliest, latest)
    return Span(interval(earliest, latest), "range", earliest, latest)


def interval(earliest: date, latest: date) -> str:
    """The ISO 8601 interval from ``earliest`` to ``latest``, in whole years or months when
    both ends fall on their edges."""
    if _year_start(earliest) and _year_end(latest):
        return f"{earliest.isoformat()[:4]}/{latest.isoformat()[:4]}"
    if earliest.day == 1 and latest.day == calendar.monthrange(latest.year, latest.month)[1]:
        return f"{earliest.isoformat()[:7]}/{latest.isoformat()[:7]}"
    return f"{earliest.isoformat()}/{latest.isoformat()}"


def _year_start(d: date) -> bool:
    return (d.month, d.day) == (1, 1)


def _year_end(d: date) -> bool:
    return (d.month, d.day) == (12, 31)


def describe(span: Span, bounds: bool = False) -> str:
    """A span for messages: its value, with its bounds when they are narrower than the value's
    own (or always, with ``bounds``): ``2022-01 (2022-01-21 to 2022-01-31)``."""
    own = parse_value(span.value)
    if not bounds and (own.earliest, own.latest) == (span.earliest, span.latest):
        return span.value
    if span.earliest == span.latest:
        return f"{span.value} ({span.earliest})"
    return f"{span.value} ({span.earliest} to {span.latest})"


def contrast(got: Span, want: Span) -> str:
    """``"GOT, not WANT"`` for a message saying two dates differ: when their values are equal
    (``2022-01`` both) the bounds that differ are shown on both sides."""
    same = got.value == want.value
    return f"{describe(got, same)}, not {describe(want, same)}"
