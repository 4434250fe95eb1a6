"""Dates, languages and independence said in words, for readers of the fact pages."""

from __future__ import annotations

from datetime import date
from typing import Any

LANGUAGES = {"en": "English", "fi": "Finnish", "sv": "Swedish", "no": "Norwegian",
             "nb": "Norwegian", "ru": "Russian", "es": "Spanish", "de": "German",
             "fr": "French", "uk": "Ukrainian", "et": "Estonian", "da": "Danish"}


def language(code: str | None) -> str:
    """A language's English name from its ISO 639 code (the code itself if unknown)."""
    return LANGUAGES.get(code or "", code or "an unknown language")


def day_words(value: str | None) -> str:
    """``2022-02-14`` -> ``14 February 2022``; ``2022-02`` -> ``February 2022``."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            d = date.fromisoformat(value)
            return f"{d.day} {d:%B} {d.year}"
        if len(parts) == 2:
            return f"{date(int(parts[0]), int(parts[1]), 1):%B} {parts[0]}"
    except ValueError:
        return value
    return value


def published_phrase(doc: dict[str, Any]) -> str:
    """When a document was published, and on what basis."""
    when = day_words(doc["published_on"])
    if doc["published_on_basis"] == "stated":
        words = doc.get("published_on_words")
        return f"{when} (stated{f': {words!r}' if words else ''})"
    return f"{when} (inferred: {doc.get('published_on_inferred_from') or 'no reason given'})"


def date_phrase(row: dict[str, Any], prefix: str, doc: dict[str, Any] | None) -> str:
    """A fact's date in words with its basis, e.g. ``14 February 2022, inferred from 'on
    Monday' in an article of 15 February 2022``; an undated statement says so."""
    value = row.get(prefix)
    if not value:
        published = f" (the article is of {day_words(doc['published_on'])})" if doc else ""
        return f"not dated{published}"
    when = day_words(value)
    words = row.get(f"{prefix}_words")
    if row.get(f"{prefix}_basis") == "stated":
        return f"{when}, stated{f' as {words!r}' if words else ''}"
    how = row.get(f"{prefix}_inferred_from")
    article = f" in an article of {day_words(doc['published_on'])}" if doc else ""
    if words:
        return f"{when}, inferred from {words!r}{article}" + (f" ({how})" if how else "")
    return f"{when}, inferred" + (f": {how}" if how else "")


def independence(value: str | None) -> str:
    """The relation_details ``independent`` column in words."""
    if not value:
        return ""
    if value == "yes":
        return "independent reports: different outlets, no shared relay"
    reason = value.removeprefix("no: ")
    return f"not independent: {reason}"
