"""Words for a stretch of time made of two others: "between 6 and 20 February", "from 26
January to 4 February", "December 1991 or 1992"; and a part of one: "late January", "early
next year", "the end of March".

The first end may leave out what the second says ("6" and "20 February"; "December" and
"February 2022", which is December 2021).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date

from factdb.dates.calendar_words import DAY, MONTHS, Got, is_year

Reader = Callable[[str, date], "Got | None"]

PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}
PART_WORDS = {"early": "early", "mid": "mid", "late": "late", "beginning of": "early",
              "start of": "early", "middle of": "mid", "end of": "late"}
_PART = re.compile(r"(early|mid|late|beginning of|start of|middle of|end of) (?:the )?(.+)")
_BETWEEN = re.compile(r"between (.+?) and (.+)")
_TO = re.compile(r"(.+?) (?:to|until|till|through) (.+)")
_OR = re.compile(r"(.+?) or (.+)")


def part(text: str, anchor: date, read: Reader) -> Got | None:
    """early/mid/late (or the beginning/middle/end of) a month: days 1-10, 11-20, 21-end; of
    a year: January-April, May-August, September-December. The value is the month or year."""
    m = _PART.fullmatch(text)
    if not m:
        return None
    got = read(m[2], anchor)
    if got is None:
        return None
    lo, hi, _ = got
    which = PART_WORDS[m[1]]
    if lo.day == 1 and (lo.year, lo.month) == (hi.year, hi.month) and hi.day == \
            calendar.monthrange(hi.year, hi.month)[1]:
        first, last = PARTS[which]
        return lo.replace(day=first), hi.replace(day=min(last, hi.day)), lo.isoformat()[:7]
    if (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31) and lo.year == hi.year:
        first, last = YEAR_PARTS[which]
        end = calendar.monthrange(lo.year, last)[1]
        return date(lo.year, first, 1), date(lo.year, last, end), lo.isoformat()[:4]
    return None


def two_ends(text: str, anchor: date, read: Reader) -> Got | None:
    """'between A and B', 'A to/until/till/through B' (a leading 'from' is already gone):
    from A's first day to B's last; 'A or B': the days either may be."""
    for pattern, either in ((_BETWEEN, False), (_TO, False), (_OR, True)):
        m = pattern.fullmatch(text)
        if not m:
            continue
        second = read(m[2], anchor)
        if second is None:
            continue
        for first_words in _completions(m[1], m[2]):
            first = read(first_words, anchor)
            if first is None:
                continue
            if either:
                return min(first[0], second[0]), max(first[1], second[1]), None
            if first[0] < second[0] and first[1] <= second[1]:
                return first[0], second[1], None
    return None


def _completions(first: str, second: str) -> list[str]:
    """The first end as written, then borrowing the second's month and year (the same year,
    then the one before: 'December and February 2022' is December 2021)."""
    words = [w for w in re.sub(r"^the ", "", first).split() if w != "of"]
    later = second.split()
    months = [w for w in later if w in MONTHS]
    years = [w for w in later if is_year(w)]
    out = []
    if words and all(DAY.fullmatch(w) and not is_year(w) for w in words) and months:
        for year in years or [""]:
            out.append(" ".join([*words, months[0], year]).strip())
            if year:
                out.append(" ".join([*words, months[0], str(int(year) - 1)]))
    elif not any(is_year(w) for w in words) and any(w in MONTHS for w in words) and years:
        out += [" ".join([*words, years[0]]), " ".join([*words, str(int(years[0]) - 1)])]
    return [*out, " ".join(words)]
