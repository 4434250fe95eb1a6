"""The words news uses for time ("yesterday", "last Sunday", "late January"), resolved
against an anchor, normally a document's publication date.

An anchor known only to a range of days is resolved day by day: if every day gives the
same answer that is the date; otherwise the answer is the range they span.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from factdb.dates.calendar_words import WEEKDAYS, Got, absolute
from factdb.dates.ranges import part, two_ends
from factdb.dates.relative import relative
from factdb.dates.values import FORMS, Span, parse_value, span_of

MAX_ANCHOR_DAYS = 62
NEUTRAL = date(2000, 6, 15)  # the anchor for words with a year of their own
_LEADING = re.compile(r"^(on|in|since|during|from|of|at) (the )?")


class OutOfRange(ValueError):
    """The words give a day outside the years 1-9999."""


def normalise(words: str) -> str:
    """Lower case, no commas or full stops, single spaces, "mid-February" as "mid february",
    without a leading preposition or "the"."""
    text = words.lower().replace(",", " ").replace(".", " ")
    text = re.sub(r"(?<=[a-z])-(?=[a-z0-9])", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _LEADING.sub("", text)
    return re.sub(r"^the ", "", text)


def read(text: str, anchor: date) -> Got | None:
    """What normalised ``text`` means on ``anchor``: a part of something, two ends, relative
    words, calendar words (the first reading that fits), or None."""
    text = normalise(text)
    return (part(text, anchor, read) or two_ends(text, anchor, read) or relative(text, anchor)
            or absolute(text, anchor))


def _read_days(text: str, anchor_earliest: date, anchor_latest: date) -> list[Got] | None:
    """The reading for each anchor day, None when the words are not understood; raises
    OutOfRange when they give a day outside the years 1-9999."""
    got = []
    day = anchor_earliest
    while day <= anchor_latest:
        try:
            one = read(text, day)
        except (OverflowError, ValueError):  # datetime's limits: year 1 to 9999
            raise OutOfRange(text) from None
        if one is None:
            return None
        got.append(one)
        day += timedelta(days=1)
    return got


@functools.lru_cache(maxsize=65536)  # pure; the same words recur all over a corpus
def understood(words: str) -> bool:
    """Whether the build can compute a date from these words (it may still fall outside the
    years 1-9999: explain() says so)."""
    try:
        return _resolve(words, NEUTRAL, NEUTRAL) is not None
    except OutOfRange:
        return True


@functools.lru_cache(maxsize=65536)
def resolve(words: str, anchor_earliest: date, anchor_latest: date) -> Span | None:
    """Resolve date words against an anchor range; None when the words are not understood or
    give a day outside the years 1-9999."""
    try:
        return _resolve(words, anchor_earliest, anchor_latest)
    except OutOfRange:
        return None


def _resolve(words: str, anchor_earliest: date, anchor_latest: date) -> Span | None:
    if (anchor_latest - anchor_earliest).days > MAX_ANCHOR_DAYS:
        return None
    got = _read_days(normalise(words), anchor_earliest, anchor_latest)
    if got is None:
        return None
    if len(set(got)) == 1:  # every anchor day agrees: keep the unit the words name
        earliest, latest, named = got[0]
        if named is not None:
            return Span(named, parse_value(named).precision, earliest, latest)
        return span_of(earliest, latest)
    return span_of(min(g[0] for g in got), max(g[1] for g in got))


@functools.lru_cache(maxsize=65536)
def is_relative(words: str) -> bool:
    """Whether the words' date depends on when they were written ("yesterday", "February 2").

    Calendar words without a year count as relative: the year comes from the anchor.
    """
    return understood(words) and re.search(r"\b[0-9]{4}\b", words) is None


# What resolve() understands, for messages (README "Dates" has the table with meanings).
UNDERSTOOD = ("yesterday, today, tomorrow, last night; Tuesday, on Tuesday (night); "
              "last/next/this Sunday; last/next/this week, weekend, month, quarter, year, "
              "November or spring; 3 days/weeks/months/years ago; earlier/later this week, "
              "month or year; December, in December; early/mid/late January or 2021 (or the "
              "beginning/middle/end of); the first week of March; on the 14th; Q1 2022, the "
              "first quarter; the spring of 2021; between 6 and 20 February, from A to B, "
              "A or B; 26 January 2022, February 2, Wednesday, February 2, November 1999, 1993")


@dataclass(frozen=True)
class Reading:
    """The date some words mean, and how they were read (for ``inferred_from``)."""

    words: str
    span: Span
    relative: bool  # the date depends on the anchor
    note: str


@functools.lru_cache(maxsize=65536)  # pure; the same words recur against the same dates
def explain(words: str, anchor: Span | None, anchor_name: str = "the anchor") -> Reading:
    """Compute the date ``words`` mean, read against ``anchor`` (normally a publication date,
    called ``anchor_name`` in the note), and say how; raise ValueError saying why not.

    The note reads, for example, "'on Tuesday' read against the publication date of doc-x
    (2022-02-02): the Tuesday before, 2022-02-01" (a bare weekday says which way it went).
    """
    if not understood(words):
        raise ValueError(f"the build cannot compute a date from {words!r}; give a value "
                         f"({FORMS}), or words it understands: {UNDERSTOOD}")
    relative = is_relative(words)
    if relative and anchor is None:
        raise ValueError(f"{words!r} is relative to when it was written: name the document "
                         "it counts from (anchor: DOCUMENT-ID), or give a value")
    lo, hi = (anchor.earliest, anchor.latest) if relative else (NEUTRAL, NEUTRAL)
    try:
        span = _resolve(words, lo, hi)
    except OutOfRange:
        against = f"read against {anchor_name} ({anchor.value}) " if relative else ""
        raise ValueError(f"{words!r} {against}gives a day outside the years 0001-9999; give "
                         "a value") from None
    if not relative:  # a year of its own: the anchor does not matter
        return Reading(words, span, False, f"{words!r} read as a calendar date: {span.value}")
    if span is None:
        raise ValueError(f"{words!r} cannot be read against {anchor_name} ({anchor.value}): "
                         f"it spans more than {MAX_ANCHOR_DAYS} days; give a value")
    return Reading(words, span, True, f"{words!r} read against {anchor_name} ({anchor.value}): "
                                      f"{_direction(words, span, anchor)}{span.value}")


def _direction(words: str, span: Span, anchor: Span) -> str:
    """For a bare weekday (nearest within three days either way): which way it went."""
    tokens = normalise(words).split()
    if len(tokens) != 1 or tokens[0] not in WEEKDAYS:
        return ""
    day = tokens[0].capitalize()
    if span.latest < anchor.earliest:
        return f"the {day} before, "
    if span.earliest > anchor.latest:
        return f"the {day} after, "
    return "the same day, " if span.earliest == anchor.earliest == anchor.latest else ""
