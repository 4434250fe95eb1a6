"""Date values that keep their precision: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

A value's precision is its shape; it covers the days between its earliest and latest bounds.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PRECISIONS = ("year", "month", "day")

_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Span:
    """A date value with its precision and the days it covers."""

    value: str
    precision: str
    earliest: date
    latest: date


def parse_value(text: str) -> Span:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError saying what is wrong."""
    m = _VALUE.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), m[2], m[3]
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


def parse_day(text: str) -> date:
    """Parse a full ``YYYY-MM-DD`` day (used for earliest/latest bounds)."""
    span = parse_value(text)
    if span.precision != "day":
        raise ValueError(f"{text!r} must be a full day, YYYY-MM-DD")
    return span.earliest


def span_of(earliest: date, latest: date) -> Span:
    """The narrowest year, month or day value that covers a range of days."""
    if earliest == latest:
        return Span(earliest.isoformat(), "day", earliest, latest)
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        return Span(f"{earliest:%Y-%m}", "month", earliest, latest)
    return Span(f"{earliest:%Y}", "year", earliest, latest)
