"""Calendar words: dates, months, years, quarters, seasons and weeks of a month, read against an
anchor only for what they leave out (a year, a month).

Each reader takes normalised text (see words.normalise) and an anchor day and gives a
:data:`Got` or None when the words are not its kind.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

# (earliest, latest, the value the words name when it is wider than the bounds, e.g. the
# month "2022-01" for "late January"; None: the narrowest value covering the bounds).
Got = tuple[date, date, str | None]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: i
    for i in range(1, 13)
    for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())
}
MONTHS["sept"] = 9
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
QUARTER_WORDS = {"q1": 1, "q2": 2, "q3": 3, "q4": 4}
# Meteorological seasons, northern hemisphere: the month each starts (three months long);
# winter YEAR starts in December of YEAR and ends in February of YEAR + 1.
SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_YEAR = re.compile(r"[0-9]{4}")
DAY = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?")


def month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def months_span(year: int, month: int, count: int) -> tuple[date, date]:
    """``count`` months from ``month`` of ``year`` (running into the next year if need be)."""
    end = year * 12 + month - 1 + count - 1
    return date(year, month, 1), month_span(end // 12, end % 12 + 1)[1]


def nearest_year(month: int, anchor: date) -> int:
    """The year whose ``month`` is nearest the anchor (for a month named without a year)."""
    return min((anchor.year - 1, anchor.year, anchor.year + 1),
               key=lambda y: abs((date(y, month, 15) - anchor).days))


def is_year(token: str) -> bool:
    return _YEAR.fullmatch(token) is not None


def calendar_date(text: str, anchor: date) -> Got | None:
    """'26 january 2022', 'february 2', 'wednesday february 2', '14th of february',
    'november 1999', '1993'."""
    tokens = [t for t in text.split() if t != "of"]
    weekday = None
    if len(tokens) > 1 and tokens[0] in WEEKDAYS:
        weekday, tokens = WEEKDAYS.index(tokens[0]), tokens[1:]
    years = [int(t) for t in tokens if is_year(t)]
    months = [MONTHS[t] for t in tokens if t in MONTHS]
    days = [int(m[1]) for t in tokens if not is_year(t) and (m := DAY.fullmatch(t))]
    if not tokens or len(tokens) != len(years) + len(months) + len(days) \
            or len(years) > 1 or len(months) > 1 or len(days) > 1:
        return None
    if not months:
        if days or not years or weekday is not None:
            return None
        return date(years[0], 1, 1), date(years[0], 12, 31), None
    month = months[0]
    year = years[0] if years else nearest_year(month, anchor)
    if not days:
        return (*month_span(year, month), None) if weekday is None else None
    if not 1 <= days[0] <= calendar.monthrange(year, month)[1]:
        return None
    d = date(year, month, days[0])
    if weekday is not None and d.weekday() != weekday:
        return None
    return d, d, None


def nth_day(text: str, anchor: date) -> Got | None:
    """'14th' (from 'on the 14th'): the 14th nearest the anchor, this month's, last month's or
    next month's (the earlier on a tie)."""
    m = re.fullmatch(r"([0-9]{1,2})(?:st|nd|rd|th)", text)
    if not m:
        return None
    day = int(m[1])
    index = anchor.year * 12 + anchor.month - 1
    options = []
    for i in (index - 1, index, index + 1):
        year, month = i // 12, i % 12 + 1
        if 1 <= day <= calendar.monthrange(year, month)[1]:
            options.append(date(year, month, day))
    if not options:
        return None
    d = min(options, key=lambda o: (abs((o - anchor).days), o))
    return d, d, None


def week_of_month(text: str, anchor: date) -> Got | None:
    """'first week of march [2022]': days 1-7 of that month (second: 8-14 ... last: the last
    seven days); the value is the month."""
    m = re.fullmatch(r"(first|second|third|fourth|last) week of (.+)", text)
    if not m:
        return None
    got = calendar_date(m[2], anchor)
    if got is None or got[0].day != 1 or got[0].month != got[1].month:
        return None  # a whole month only
    first, last = got[0], got[1]
    if m[1] == "last":
        lo = last.replace(day=last.day - 6)
        return lo, last, first.isoformat()[:7]
    n = ORDINALS[m[1]]
    return first.replace(day=7 * n - 6), first.replace(day=7 * n), first.isoformat()[:7]


def week_of(text: str, anchor: date) -> Got | None:
    """'week of 24 january [2022]': the ISO week (Monday to Sunday) of that day."""
    m = re.fullmatch(r"week of (.+)", text)
    got = calendar_date(m[1], anchor) if m else None
    if got is None or got[0] != got[1]:
        return None
    monday = got[0] - timedelta(days=got[0].weekday())
    return monday, monday + timedelta(days=6), None


def quarter(text: str, anchor: date) -> Got | None:
    """'q1 2022', 'first quarter of 2022', 'first quarter' (of the anchor's year)."""
    m = re.fullmatch(r"(?:(q[1-4])|(first|second|third|fourth) quarter)(?: of)?(?: ([0-9]{4}))?",
                     text)
    if not m:
        return None
    n = QUARTER_WORDS[m[1]] if m[1] else ORDINALS[m[2]]
    year = int(m[3]) if m[3] else anchor.year
    return (*months_span(year, 3 * n - 2, 3), None)


def season(text: str, anchor: date) -> Got | None:
    """'spring of 2021', 'spring 2021', 'winter 2021' (December 2021 to February 2022)."""
    m = re.fullmatch(r"(spring|summer|autumn|fall|winter)(?: of)? ([0-9]{4})", text)
    if not m:
        return None
    return (*months_span(int(m[2]), SEASONS[m[1]], 3), None)


READERS = (week_of_month, week_of, quarter, season, nth_day, calendar_date)


def absolute(text: str, anchor: date) -> Got | None:
    """The first calendar reading of ``text``, or None."""
    for reader in READERS:
        got = reader(text, anchor)
        if got is not None:
            return got
    return None
