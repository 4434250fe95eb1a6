"""Locate a fact's words in its document: exact offsets, or the closest passages if absent."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from factdb.evidence import align

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
    if not folded_words.strip():
        return []
    found = occurrences(folded_text, folded_words)
    if found:
        spans = [(index[s], index[s + len(folded_words) - 1] + 1) for s in found]
        return [Near(s, e, text[s:e], 1.0, describe(words, text[s:e])) for s, e in spans[:limit]]
    if len(folded_words) > _LONG:
        return _closest_by_words(text, words, folded_text, folded_words, index, limit)
    size = len(folded_words)
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(folded_words)
    candidates = []
    for start in _likely_starts(folded_text, folded_words):
        matcher.set_seq1(folded_text[start : start + size])
        if matcher.real_quick_ratio() < _CLOSE or matcher.quick_ratio() < _CLOSE:
            continue
        ratio = matcher.ratio()
        if ratio >= _CLOSE:
            candidates.append((ratio, start))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    result: list[Near] = []
    taken: list[int] = []
    for ratio, start in candidates:
        if any(abs(start - t) < size // 2 for t in taken):
            continue
        taken.append(start)
        lo, hi, ratio = _best_fit(folded_text, matcher, start, size, ratio)
        s, e = index[lo], index[hi - 1] + 1
        result.append(Near(s, e, text[s:e], round(ratio, 3), describe(words, text[s:e])))
        if len(result) == limit:
            break
    return result


_CLOSE = 0.6  # the least similarity worth showing as a "closest passage"
_SCAN_ALL_BELOW = 60  # words shorter than this are compared at every word start
# Words longer than this are compared word by word (see factdb.evidence.align): comparing
# characters costs the square of their length for every window, and more to fit its ends.
_LONG = 500


def _likely_starts(folded_text: str, folded_words: str) -> list[int]:
    """Word starts worth comparing: all for short words, else those sharing the most words."""
    starts = [0] + [m.end() for m in re.finditer(" ", folded_text)]
    if len(folded_words) < _SCAN_ALL_BELOW:
        return starts
    wanted = Counter(re.findall(r"\w+", folded_words))
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\w+", folded_text)]
    scores = align.window_scores([t for _, t in tokens], wanted, sum(wanted.values()))
    scored = sorted((-score, start) for score, (start, _) in zip(scores, tokens, strict=True))
    return sorted(start for _, start in scored[:40])


def _closest_by_words(text: str, words: str, folded_text: str, folded_words: str,
                      index: list[int], limit: int) -> list[Near]:
    """:func:`closest` for long words: windows ranked by shared words, aligned word by word."""
    spans = align.tokens(folded_text)
    wanted = [t for _, _, t in align.tokens(folded_words)]
    found = [t for _, _, t in spans]
    slack = len(wanted) // 10 + 3
    result = []
    for i in align.best_windows(found, wanted, limit):
        lo = max(0, i - slack)
        fit = align.align(wanted, found[lo : i + len(wanted) + slack])
        if fit is None or fit[2] < _CLOSE:
            continue
        first, end, ratio = fit
        s, e = index[spans[lo + first][0]], index[spans[lo + end - 1][1] - 1] + 1
        result.append(Near(s, e, text[s:e], round(ratio, 3), describe(words, text[s:e])))
    return sorted(result, key=lambda n: (-n.ratio, n.start))


def _best_fit(folded: str, matcher: difflib.SequenceMatcher, start: int, size: int,
              ratio: float) -> tuple[int, int, float]:
    """Move a window's ends to the word boundaries where it best matches (typos change lengths).

    ``matcher`` holds the folded words as its second sequence; offsets are into ``folded``.
    """
    lo, hi, best = start, min(len(folded), start + size), ratio
    slack = max(3, size // 10)
    for new_lo in _boundaries(folded, lo - slack, lo + slack):
        if new_lo < hi:
            matcher.set_seq1(folded[new_lo:hi])
            if matcher.ratio() > best:
                lo, best = new_lo, matcher.ratio()
    for new_hi in _boundaries(folded, hi - slack, hi + slack):
        if new_hi > lo:
            matcher.set_seq1(folded[lo:new_hi])
            if matcher.ratio() > best:
                hi, best = new_hi, matcher.ratio()
    return lo, hi, best


def _boundaries(text: str, first: int, last: int) -> list[int]:
    """Offsets from ``first`` to ``last`` that do not split a word."""
    return [p for p in range(max(0, first), min(len(text), last) + 1)
            if p in (0, len(text)) or not (text[p - 1].isalnum() and text[p].isalnum())]


_KINDS = (
    ("quotes differ", "'\"\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u2033"),
    ("dashes differ", "-\u2010\u2011\u2013\u2014\u2212"),
    ("spacing differs", " \t\n\u00a0\u2009\u202f"),
    ("ellipsis differs", ".\u2026"),
)


def describe(words: str, passage: str) -> list[str]:
    """Name the differences between typed words and a passage, in a curator's terms."""
    notes: list[str] = []
    if words.lower() == passage.lower() and words != passage:
        return ["letter case differs"]
    if words != passage and _nfc(words) == _nfc(passage):
        return [f"Unicode normalisation differs: typed {_form(words)}, document has "
                f"{_form(passage)} (the same letters, encoded differently); copy the "
                "document's words"]
    if max(len(words), len(passage)) > _LONG:  # word by word, then each change by letters
        runs = align.differing(words.split(), passage.split())
        for typed, found in runs:
            notes += [n for n in describe(typed[:_LONG], found[:_LONG]) if n not in notes]
        return notes[:4]
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
        if kind is None:
            # Name typos by whole words: "typed 'precent', document has 'percent'".
            within = not any(c.isspace() for c in typed + found)
            typed = _words_around(words, i1, i2, within)
            found = _words_around(passage, j1, j2, within)
            if typed != found and _nfc(typed) == _nfc(found):
                kind = (f"Unicode normalisation differs in {found!r}: typed {_form(typed)}, "
                        f"document has {_form(found)}")
        note = kind or (
            f"typed {typed!r}, document has {found!r}"
            if typed.strip() and found.strip()
            else f"document has {found!r} here"
            if found
            else f"typed {typed!r} extra"
        )
        if note not in notes:
            notes.append(note)
    return notes[:4]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _form(text: str) -> str:
    """Which Unicode normalisation ``text`` is in: NFC (composed, 'ä' one character), NFD
    (decomposed, 'a' and a combining mark), or a mix."""
    if unicodedata.is_normalized("NFC", text):
        return "NFC (composed letters)"
    if unicodedata.is_normalized("NFD", text):
        return "NFD (letters and combining marks apart)"
    return "a mix of NFC and NFD"


def _words_around(text: str, start: int, end: int, within: bool) -> str:
    """``text[start:end]`` widened to whole words, so that a typo names its word.

    ``within``: the change has no spaces, so it lies inside a word (a letter left out, a
    mark added): widen both ways. Otherwise widen only the ends that cut a word.
    """
    if start == end and not within:
        return ""
    left = within or text[start].isalnum()
    right = within or text[end - 1].isalnum()
    while left and start > 0 and text[start - 1].isalnum():
        start -= 1
    while right and end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


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


@dataclass(frozen=True)
class Context:
    """Some words either side of a span, whitespace flattened (¶ marks a paragraph break)."""

    before: str
    match: str
    after: str


def context(text: str, start: int, end: int, words: int = 6,
            max_match: int | None = None) -> Context:
    """The span ``start:end`` of ``text`` with up to ``words`` words either side.

    A match longer than ``max_match`` characters keeps its two ends around a " […] ".
    """
    before = re.search(rf"(?<!\S)(?:\S+\s+){{0,{words}}}\S*\Z", text[max(0, start - 400):start])
    after = re.match(rf"\S*(?:\s+\S+){{0,{words}}}", text[end : end + 400])
    head = before.group() if before else ""
    tail = after.group() if after else ""
    return Context(
        ("…" if text[: start - len(head)].strip() else "") + flatten(head),
        _shortened(flatten(text[start:end]).strip(" ¶"), max_match),
        flatten(tail) + ("…" if text[end + len(tail) :].strip() else ""),
    )


def _shortened(text: str, most: int | None) -> str:
    if most is None or len(text) <= most:
        return text
    head, tail = text[: most * 2 // 3].rsplit(" ", 1)[0], text[-(most // 3):].split(" ", 1)[-1]
    return f"{head} […] {tail}"


def flatten(text: str) -> str:
    """Text on one line: runs of spaces become one, paragraph breaks become ¶."""
    text = re.sub(r"[ \t]*\n\s*", " ¶ ", text)
    return re.sub(r"[ \t]+", " ", text)


@dataclass(frozen=True)
class Hit:
    """Where some words are (or nearly are) in one document."""

    document: str
    start: int
    end: int
    words: str  # the document's own words there
    context: Context
    boilerplate: str | None = None  # the kind of boilerplate region it falls in
    occurrence: int | None = None  # 1-based, among ``count`` exact occurrences
    count: int | None = None
    ratio: float = 1.0
    differences: tuple[str, ...] = ()


def search(
    texts: dict[str, str],
    words: str,
    boilerplate: dict[str, list[tuple[int, int, str]]] | None = None,
    limit: int = 5,
) -> tuple[list[Hit], list[Hit]]:
    """Exact occurrences of ``words`` in each text, or else the ``limit`` closest passages."""
    regions = boilerplate or {}

    def hit(doc: str, start: int, end: int, **more) -> Hit:
        kind = next((k for a, b, k in regions.get(doc, ()) if start < b and a < end), None)
        text = texts[doc]
        return Hit(doc, start, end, text[start:end], context(text, start, end), kind, **more)

    exact = []
    for doc, text in texts.items():
        starts = occurrences(text, words) if words else []
        exact += [hit(doc, s, s + len(words), occurrence=i, count=len(starts))
                  for i, s in enumerate(starts, 1)]
    if exact or not words:
        return exact, []
    near = [(n, doc) for doc, text in texts.items() for n in closest(text, words)]
    near.sort(key=lambda pair: -pair[0].ratio)
    return [], [hit(doc, n.start, n.end, ratio=n.ratio, differences=tuple(n.differences))
                for n, doc in near[:limit]]
