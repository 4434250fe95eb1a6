"""The words news uses for time ("yesterday", "last Sunday", "late January"), resolved
against an anchor, normally a document's publication date.

An anchor known only to a range of days is resolved day by day: if every day gives the
same answer that is the date; otherwise the answer is the range they span.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from factdb.dates.values import Span, span_of

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: i
    for i in range(1, 13)
    for name in (calendar.month_name[i].lower(), calendar.month_abbr[i].lower())
}
MONTHS["sept"] = 9
PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
MAX_ANCHOR_DAYS = 62


def _month_span(year: int, month: int, part: str | None = None) -> tuple[date, date]:
    last = calendar.monthrange(year, month)[1]
    lo, hi = PARTS[part] if part else (1, last)
    return date(year, month, lo), date(year, month, min(hi, last))


def _normalise(words: str) -> str:
    text = words.lower().replace(",", " ").replace(".", " ")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(on|in|since|during|from|of) (the )?", "", text)
    return re.sub(r"^the ", "", text)


def _absolute(text: str, anchor: date) -> tuple[date, date] | None:
    """Calendar words: '26 january 2022', 'february 2', 'wednesday february 2', 'november 1999'."""
    tokens = text.split()
    weekday = None
    if tokens and tokens[0] in WEEKDAYS and len(tokens) > 1:
        weekday, tokens = WEEKDAYS.index(tokens[0]), tokens[1:]
    tokens = [re.sub(r"(st|nd|rd|th)$", "", t) if re.match(r"^\d+(st|nd|rd|th)$", t) else t
              for t in tokens]
    part = None
    if tokens and tokens[0] in PARTS:
        part, tokens = tokens[0], tokens[1:]
    nums = [t for t in tokens if t.isdigit()]
    months = [t for t in tokens if t in MONTHS]
    if len(tokens) != len(nums) + len(months) or len(months) > 1 or not tokens:
        return None
    years = [int(n) for n in nums if len(n) == 4]
    days = [int(n) for n in nums if len(n) <= 2]
    if len(years) > 1 or len(days) > 1:
        return None
    if not months:
        if days or not years:
            return None
        year = years[0]
        if part:
            lo, hi = YEAR_PARTS[part]
            return date(year, lo, 1), date(year, hi, calendar.monthrange(year, hi)[1])
        return date(year, 1, 1), date(year, 12, 31)
    month = MONTHS[months[0]]
    if years:
        year = years[0]
    else:  # no year given: the occurrence of that month nearest the anchor
        year = min((anchor.year - 1, anchor.year, anchor.year + 1),
                   key=lambda y: abs((date(y, month, 15) - anchor).days))
    if days:
        if part or days[0] > calendar.monthrange(year, month)[1] or days[0] < 1:
            return None
        d = date(year, month, days[0])
        if weekday is not None and d.weekday() != weekday:
            return None
        return d, d
    return _month_span(year, month, part)


def _relative(text: str, anchor: date) -> tuple[date, date] | None:
    fixed = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0}
    if text in fixed:
        d = anchor + timedelta(days=fixed[text])
        return d, d
    tokens = text.split()
    if len(tokens) == 1 and tokens[0] in WEEKDAYS:  # "on Tuesday": the nearest one, +-3 days
        offset = (WEEKDAYS.index(tokens[0]) - anchor.weekday()) % 7
        d = anchor + timedelta(days=offset if offset <= 3 else offset - 7)
        return d, d
    if len(tokens) == 2 and tokens[0] in ("last", "next", "this"):
        which, unit = tokens
        step = {"last": -1, "next": 1, "this": 0}[which]
        if unit in WEEKDAYS:
            target = WEEKDAYS.index(unit)
            if which == "this":
                d = anchor + timedelta(days=target - anchor.weekday())
            elif which == "last":
                d = anchor - timedelta(days=(anchor.weekday() - target - 1) % 7 + 1)
            else:
                d = anchor + timedelta(days=(target - anchor.weekday() - 1) % 7 + 1)
            return d, d
        if unit == "week":
            monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=step)
            return monday, monday + timedelta(days=6)
        if unit == "month":
            index = anchor.year * 12 + anchor.month - 1 + step
            return _month_span(index // 12, index % 12 + 1)
        if unit == "year":
            return date(anchor.year + step, 1, 1), date(anchor.year + step, 12, 31)
        if unit in MONTHS:
            month = MONTHS[unit]
            year = anchor.year
            if which == "last":
                year -= 1 if month >= anchor.month else 0
            elif which == "next":
                year += 1 if month <= anchor.month else 0
            return _month_span(year, month)
    return None


@functools.lru_cache(maxsize=65536)  # pure; the same words recur all over a corpus
def understood(words: str) -> bool:
    """Whether the build can compute a date from these words."""
    return resolve(words, date(2000, 6, 15), date(2000, 6, 15)) is not None


@functools.lru_cache(maxsize=65536)
def resolve(words: str, anchor_earliest: date, anchor_latest: date) -> Span | None:
    """Resolve date words against an anchor range; None when the words are not understood."""
    text = _normalise(words)
    if (anchor_latest - anchor_earliest).days > MAX_ANCHOR_DAYS:
        return None
    lows, highs = [], []
    day = anchor_earliest
    while day <= anchor_latest:
        got = _relative(text, day) or _absolute(text, day)
        if got is None:
            return None
        lows.append(got[0])
        highs.append(got[1])
        day += timedelta(days=1)
    earliest, latest = min(lows), max(highs)
    if len(set(zip(lows, highs, strict=True))) == 1:
        # every anchor day agrees: keep the unit the words name (a month is a month)
        return _span_named(earliest, latest)
    return span_of(earliest, latest)


def _span_named(earliest: date, latest: date) -> Span:
    if earliest == latest:
        return Span(earliest.isoformat(), "day", earliest, latest)
    if earliest.month == 1 and earliest.day == 1 and latest.month == 12 and latest.day == 31 \
            and earliest.year == latest.year:
        return Span(f"{earliest:%Y}", "year", earliest, latest)
    return span_of(earliest, latest)


@functools.lru_cache(maxsize=65536)
def is_relative(words: str) -> bool:
    """Whether the words' date depends on when they were written ("yesterday", "February 2").

    Calendar words without a year count as relative: the year comes from the anchor.
    """
    return understood(words) and re.search(r"\b\d{4}\b", words) is None


# What resolve() understands, for messages (README "Dates" has the table with meanings).
UNDERSTOOD = ("yesterday, today, tomorrow; Tuesday, on Tuesday; last/next/this Sunday; "
              "last/next/this week, month or year; December, in December; last/next November; "
              "early/mid/late January; early/mid/late 2021; 26 January 2022, February 2, "
              "Wednesday, February 2, November 1999, 1993")


@dataclass(frozen=True)
class Reading:
    """The date some words mean, and how they were read (for ``inferred_from``)."""

    words: str
    span: Span
    relative: bool  # the date depends on the anchor
    note: str


def explain(words: str, anchor: Span | None, anchor_name: str = "the anchor") -> Reading:
    """Compute the date ``words`` mean, read against ``anchor`` (normally a publication date,
    called ``anchor_name`` in the note), and say how; raise ValueError saying why not.

    The note reads, for example, "'on Tuesday' read against the publication date of doc-x
    (2022-02-02): the Tuesday before, 2022-02-01" (a bare weekday says which way it went).
    """
    if not understood(words):
        raise ValueError(f"the build cannot compute a date from {words!r}; give a value "
                         f"(YYYY, YYYY-MM or YYYY-MM-DD), or words it understands: {UNDERSTOOD}")
    if not is_relative(words):  # a year of its own: the anchor does not matter
        span = resolve(words, date(2000, 6, 15), date(2000, 6, 15))
        return Reading(words, span, False, f"{words!r} read as a calendar date: {span.value}")
    if anchor is None:
        raise ValueError(f"{words!r} is relative to when it was written: name the document "
                         "it counts from (anchor: DOCUMENT-ID), or give a value")
    span = resolve(words, anchor.earliest, anchor.latest)
    if span is None:
        raise ValueError(f"{words!r} cannot be read against {anchor_name} ({anchor.value}): "
                         f"it spans more than {MAX_ANCHOR_DAYS} days; give a value")
    return Reading(words, span, True, f"{words!r} read against {anchor_name} ({anchor.value}): "
                                      f"{_direction(words, span, anchor)}{span.value}")


def _direction(words: str, span: Span, anchor: Span) -> str:
    """For a bare weekday (nearest within three days either way): which way it went."""
    tokens = _normalise(words).split()
    if len(tokens) != 1 or tokens[0] not in WEEKDAYS:
        return ""
    day = tokens[0].capitalize()
    if span.latest < anchor.earliest:
        return f"the {day} before, "
    if span.earliest > anchor.latest:
        return f"the {day} after, "
    return "the same day, " if span.earliest == anchor.earliest == anchor.latest else ""
