"""Find the passages of an article that a curator must account for: quotes and attributions.

Two kinds of passage, with offsets into the text (end exclusive):

``quote``: the words between a pair of quotation marks, spaces trimmed, marks excluded.

1. Double marks are “ ” „ and the straight ". ” always closes. “ and „ open, except a “
   written straight after a word and followed by a space, punctuation or the end of the text
   (``missiles“,``): some pages close with it. A straight " opens after the start of the text,
   a space or an opening bracket, and closes anywhere else.
2. Single marks ‘ ’ only count as a pair: ‘ opens after the start, a space or a bracket; ’
   closes an open ‘ unless it stands between two letters. Any other ’ is an apostrophe
   (Lavrov’s, northernness’), and a straight ' is never taken for a quotation mark. Marks
   inside an open quote belong to it, except closers of its own kind.
3. A quote may run over paragraphs until its closing mark; an opening mark at the start of a
   later paragraph continues it (the convention for long quotes). A quote that never closes,
   or that meets an opening mark anywhere else first, ends at the end of its first paragraph
   (or at that opening mark, if it comes sooner). A closer with nothing open is ignored.

``attribution``: a sentence holding an attribution cue (``CUES``: said, according to,
told, stressed, ...) as whole words in any letter case, outside every quote (a cue inside a
quote is the speaker's own words, and the quote is listed already). Sentences end at a line
break, and at . ! ? or … (with any closing marks after them) followed by spaces and an
upper-case letter, digit or opening mark; not after a lone capital letter (U.S., J. Smith),
a title (Mr., Dr.) or nothing but marks (``“… Norway``). The cue list errs on the side of
listing too much: a curator covers a passage with a fact or skips it with a reason.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

CUES = (
    "according to", "said", "says", "told", "tells", "stressed", "stresses", "added", "adds",
    "adding", "writes", "wrote", "claims", "claimed", "confirmed", "confirms", "informed",
    "informs", "assured", "assures", "underlined", "underlines", "explained", "explains",
    "highlighted", "pointed out", "points to", "indicated", "reads", "stated", "announced",
    "noted", "argued", "insisted", "warned", "reported", "accuses", "accused", "cited",
    "cites", "referred to", "calls for", "called on", "calls on", "requests", "asks", "asked",
    "demanded", "expressed",
)
_CUE = re.compile(
    r"\b(?:" + "|".join(c.replace(" ", r"\s+") for c in sorted(CUES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_DOUBLE_OPEN = "“„"
_DOUBLE_CLOSE = "”"
_STRAIGHT = '"'
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"
_MARKS = _DOUBLE_OPEN + _DOUBLE_CLOSE + _STRAIGHT + _SINGLE_OPEN + _SINGLE_CLOSE
_OPEN_BEFORE = "([{"
_CLOSE_AFTER = ",.;:!?)]}…-–—" + _DOUBLE_CLOSE + _SINGLE_CLOSE
# (?<!...): a match starts only where a run of stops does, so a long run is tried once
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[”’\"“)]*(?=[ \t]+[A-Z0-9“‘\"„(\[])")
_TITLES = {"mr", "mrs", "ms", "dr", "st", "prof", "gen", "col", "lt", "sen", "rep"}
_LONGEST_TITLE = max(map(len, _TITLES))
_LAST_WORD = re.compile(r"\w*\Z")

Kind = Literal["quote", "attribution"]


@dataclass(frozen=True)
class Passage:
    """Words a curated fact should account for."""

    kind: Kind
    start: int
    end: int
    text: str
    cue: str | None = None  # the attribution cue, as written


def find_passages(text: str) -> list[Passage]:
    """Every quote and attribution sentence in ``text``, in document order."""
    quotes = quotes_in(text)
    found = quotes + attributions_in(text, quotes)
    return sorted(found, key=lambda p: (p.start, p.end, p.kind))


def quotes_in(text: str) -> list[Passage]:
    """The quoted passages of ``text`` (rules 1-3 of the module docstring)."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None  # index just after the opening mark
    single = False  # whether the open quote is a single-mark one
    for i, ch in enumerate(text):
        if ch == "\n" and open_at is not None and single:
            open_at = None  # a ‘ unpaired in its paragraph is no quotation mark
            continue
        if ch not in _MARKS:
            continue
        mark_single = ch in _SINGLE_OPEN + _SINGLE_CLOSE
        if open_at is not None and mark_single != single:
            continue  # marks of the other kind inside an open quote belong to it
        role = _role(text, i, ch, open_at is not None)
        if role is None:
            continue
        if open_at is None:
            if role == "open":
                open_at, single = i + 1, mark_single
        elif role == "close":
            spans.append((open_at, i))
            open_at = None
        elif _starts_paragraph(text, i) and text.rfind("\n", open_at, i) != -1:
            continue  # a long quote re-opened at the start of its next paragraph
        else:
            line_break = text.find("\n", open_at, i)  # the quote ends at its paragraph's end
            spans.append((open_at, i if line_break == -1 else line_break))
            open_at = i + 1
    if open_at is not None and not single:
        spans.append((open_at, _paragraph_end(text, open_at)))
    passages = []
    for start, end in spans:
        start, end = _trim(text, start, end)
        if start < end:
            passages.append(Passage("quote", start, end, text[start:end]))
    return passages


def attributions_in(text: str, quotes: list[Passage]) -> list[Passage]:
    """Sentences with an attribution cue outside ``quotes``."""
    ordered = sorted(quotes, key=lambda q: q.start)
    starts = [q.start for q in ordered]
    reach = list(accumulate((q.end for q in ordered), max))  # the furthest end so far
    found = []
    for start, end in sentences(text):
        for match in _CUE.finditer(text, start, end):
            before = bisect_right(starts, match.start())  # the quotes starting at or before
            if not (before and reach[before - 1] >= match.end()):
                found.append(Passage("attribution", start, end, text[start:end], match.group()))
                break
    return found


def sentences(text: str) -> list[tuple[int, int]]:
    """Start and end offsets of each sentence, spaces trimmed (see the module docstring)."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        start = seen = line.start()  # text[start:seen] holds no letter or digit
        for end in _SENTENCE_END.finditer(text, line.start(), line.end()):
            if seen is not None:  # each character is looked at once, however long the line
                letter = any(c.isalnum() for c in text[seen:end.start()])
                seen = None if letter else end.start()
            if seen is not None or _abbreviation(text, start, end.start()):
                continue
            spans.append(_trim(text, start, end.end()))
            start = seen = end.end()
        spans.append(_trim(text, start, line.end()))
    return [(s, e) for s, e in spans if s < e]


def _role(text: str, i: int, ch: str, is_open: bool) -> str | None:
    """Whether the character at ``i`` opens or closes a quote, or is no quotation mark."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch == _DOUBLE_CLOSE:
        return "close"
    if ch in _DOUBLE_OPEN:
        closes = ch == "“" and not before.isspace() and before not in _OPEN_BEFORE and (
            after.isspace() or after in _CLOSE_AFTER)
        return "close" if closes else "open"
    if ch == _STRAIGHT:
        return "open" if before.isspace() or before in _OPEN_BEFORE else "close"
    if ch == _SINGLE_OPEN:
        return "open" if before.isspace() or before in _OPEN_BEFORE + "“\"" else None
    if ch == _SINGLE_CLOSE and is_open and not (before.isalpha() and after.isalpha()):
        return "close"
    return None


def _starts_paragraph(text: str, i: int) -> bool:
    """Whether only spaces stand between the line's start and ``i`` (looked at backwards)."""
    j = i - 1
    while j >= 0 and text[j] != "\n" and text[j].isspace():
        j -= 1
    return j < 0 or text[j] == "\n"


def _paragraph_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end == -1 else end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _abbreviation(text: str, start: int, dot: int) -> bool:
    """Whether the full stop at ``dot`` ends an initial (U.S.) or a title (Mr.)."""
    if text[dot] != ".":
        return False
    # The letters just before the stop; a run longer than every title is no abbreviation,
    # so no more than that is looked at.
    last = _LAST_WORD.search(text, max(start, dot - _LONGEST_TITLE - 1), dot).group()
    return (len(last) == 1 and last.isupper()) or last.lower() in _TITLES
