"""Locate a fact's words in its document: exact offsets, or the closest passages if absent."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# Characters that differ between what a curator types and what a page holds.
_LOOKALIKES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2026": "...",
    }
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class LocateError(ValueError):
    """The words cannot be pinned to one place in the document."""


def occurrences(text: str, words: str) -> list[int]:
    """Start offsets of every occurrence of ``words`` (overlapping ones included)."""
    starts, at = [], text.find(words)
    while at != -1:
        starts.append(at)
        at = text.find(words, at + 1)
    return starts


def locate(text: str, words: str, occurrence: int | None = None) -> Span:
    """Offsets of ``words`` in ``text`` (end exclusive); ``occurrence`` is 1-based."""
    if not words:
        raise LocateError("words are empty")
    first = text.find(words)
    if first == -1:
        raise LocateError(not_found_message(text, words))
    if occurrence is None:
        if text.find(words, first + 1) != -1:
            count = len(occurrences(text, words))
            raise LocateError(
                f"words occur {count} times in the document; add `occurrence: N` (1 to {count}) "
                "or quote more of the sentence"
            )
        return Span(first, first + len(words))
    starts = occurrences(text, words)
    if not 1 <= occurrence <= len(starts):
        raise LocateError(
            f"occurrence {occurrence} asked for, but the words occur "
            f"{len(starts)} time{'s' if len(starts) != 1 else ''}"
        )
    if len(starts) == 1:
        raise LocateError("words occur only once; remove `occurrence`")
    start = starts[occurrence - 1]
    return Span(start, start + len(words))


@dataclass(frozen=True)
class Near:
    """A passage close to some words, and how it differs from them."""

    start: int
    end: int
    passage: str
    ratio: float
    differences: list[str]


def _folded(text: str) -> tuple[str, list[int]]:
    """Text with look-alike characters and runs of spaces folded, plus an index map back."""
    out, index, prev_space = [], [], False
    for i, ch in enumerate(text):
        mapped = ch.translate(_LOOKALIKES)
        if mapped.isspace():
            if prev_space:
                continue
            mapped, prev_space = " ", True
        else:
            prev_space = False
        for c in mapped:
            out.append(c.lower())
            index.append(i)
    index.append(len(text))
    return "".join(out), index


def closest(text: str, words: str, limit: int = 3) -> list[Near]:
    """The passages of ``text`` most like ``words``, best first."""
    folded_text, index = _folded(text)
    folded_words, _ = _folded(words)
    found = occurrences(folded_text, folded_words)
    if found:
        spans = [(index[s], index[s + len(folded_words) - 1] + 1) for s in found]
        return [Near(s, e, text[s:e], 1.0, describe(words, text[s:e])) for s, e in spans[:limit]]
    size = len(words)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(folded_words)
    candidates = []
    starts = [0] + [m.end() for m in re.finditer(r"\s+", text)]
    for start in starts:
        window = text[start : start + size]
        matcher.set_seq1(_folded(window)[0])
        if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
            continue
        candidates.append((matcher.ratio(), start))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    result: list[Near] = []
    for ratio, start in candidates:
        if ratio < 0.6 or any(abs(start - n.start) < size // 2 for n in result):
            continue
        start, end, ratio = _best_fit(text, folded_words, start, size, ratio)
        passage = text[start:end]
        result.append(Near(start, end, passage, round(ratio, 3), describe(words, passage)))
        if len(result) == limit:
            break
    return result


def _best_fit(text: str, folded_words: str, start: int, size: int, ratio: float):
    """Nudge a window's ends so the passage lines up with the words (typos change lengths)."""
    best = (start, start + size, ratio)
    slack = max(3, size // 10)
    for lo in range(max(0, start - slack), start + slack + 1):
        for hi in range(lo + size - slack, lo + size + slack + 1):
            r = difflib.SequenceMatcher(
                None, _folded(text[lo:hi])[0], folded_words, autojunk=False
            ).ratio()
            if r > best[2]:
                best = (lo, hi, r)
    return best


_KINDS = (
    ("quotes differ", "'\"\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033"),
    ("dashes differ", "-\u2010\u2011\u2013\u2014\u2212"),
    ("spacing differs", " \t\n\u00a0\u2009\u202f"),
)


def describe(words: str, passage: str) -> list[str]:
    """Name the differences between typed words and a passage, in a curator's terms."""
    notes: list[str] = []
    if words.lower() == passage.lower() and words != passage:
        return ["letter case differs"]
    ops = difflib.SequenceMatcher(None, words, passage, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        typed, found = words[i1:i2], passage[j1:j2]
        kind = next(
            (
                name
                for name, chars in _KINDS
                if typed and found and all(c in chars for c in typed + found)
            ),
            None,
        )
        if kind is None and (typed + found).strip() == "":
            kind = "spacing differs"
        note = kind or (
            f"typed {typed!r}, document has {found!r}"
            if typed and found
            else f"document has {found!r} here"
            if found
            else f"typed {typed!r} extra"
        )
        if note not in notes:
            notes.append(note)
    return notes[:4]


def not_found_message(text: str, words: str) -> str:
    near = closest(text, words, limit=1)
    if not near:
        return "words not found in the document, and no passage is close"
    n = near[0]
    what = "; ".join(n.differences) if n.differences else "small differences"
    return (
        f"words not found in the document; closest passage at {n.start}-{n.end} "
        f"({what}): {n.passage!r}"
    )
