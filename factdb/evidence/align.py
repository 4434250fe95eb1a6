"""Compare long words with a text word by word, in time linear in the text.

Comparing characters (difflib) costs the product of the two lengths for every window tried,
which for a 1,500-word quote in a 130 KB article is minutes. Here the text's windows are
ranked by the words they share with the quote (one pass, a sliding count), and only the best
are aligned, by whole words, which are few and mostly distinct.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence

_TOKEN = re.compile(r"\S+")


def tokens(text: str) -> list[tuple[int, int, str]]:
    """The whitespace-separated tokens of ``text``: start, end (exclusive) and the token."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def window_scores(words: Sequence[str], wanted: Counter[str], n: int) -> list[int]:
    """For each i, how many of ``wanted`` (a multiset) ``words[i:i + n]`` holds."""
    have: Counter[str] = Counter()
    score = 0
    for word in words[:n]:
        have[word] += 1
        score += have[word] <= wanted[word]
    scores = []
    for i, word in enumerate(words):
        scores.append(score)
        score -= have[word] <= wanted[word]
        have[word] -= 1
        if i + n < len(words):
            added = words[i + n]
            have[added] += 1
            score += have[added] <= wanted[added]
    return scores


def best_windows(words: Sequence[str], wanted: Sequence[str], limit: int) -> list[int]:
    """Starts of up to ``limit`` windows of ``words`` sharing the most with ``wanted``, apart
    by at least half its length, best first."""
    n = len(wanted)
    scores = window_scores(words, Counter(wanted), n)
    chosen: list[int] = []
    for i in sorted(range(len(scores)), key=lambda i: (-scores[i], i)):
        if scores[i] == 0 or len(chosen) == limit:
            break
        if all(abs(i - c) >= max(1, n // 2) for c in chosen):
            chosen.append(i)
    return chosen


def align(wanted: Sequence[str], words: Sequence[str]) -> tuple[int, int, float] | None:
    """Where in ``words`` the sequence ``wanted`` best fits: first and end index (end
    exclusive) and the share of words that match (difflib's ratio over words)."""
    blocks = difflib.SequenceMatcher(None, wanted, words, autojunk=False).get_matching_blocks()
    matched = sum(b.size for b in blocks)
    if not matched:
        return None
    first, last = blocks[0], blocks[-2]
    start = max(0, first.b - first.a)  # words missed at the start count as typed wrong
    end = min(len(words), last.b + last.size + len(wanted) - last.a - last.size)
    return start, end, 2 * matched / (len(wanted) + end - start)


def differing(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, str]]:
    """The runs of words that differ between ``a`` and ``b``, each joined by spaces."""
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(" ".join(a[i1:i2]), " ".join(b[j1:j2]))
            for tag, i1, i2, j1, j2 in ops if tag != "equal"]
