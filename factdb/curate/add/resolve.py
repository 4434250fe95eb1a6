"""What `factdb add` works out from a curator's words: which actor a name means, where some
evidence words are, and what date a date option (a value, the text's words, or both) gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from factdb.curate.locate import unknown
from factdb.dates import values, words
from factdb.errors import FactdbError
from factdb.evidence.locate import Hit, flatten, search
from factdb.evidence.names import normalize_name
from factdb.seeds.load import Corpus


# -- actors ----------------------------------------------------------------------------------
def actor_names(corpus: Corpus) -> dict[str, list[str]]:
    """Every actor's names: its name and its aliases."""
    return {actor_id: [e.record.name, *(a.name for a in e.record.aliases)]
            for actor_id, e in corpus.actors.items()}


def resolve_actor(corpus: Corpus, name: str, option: str) -> str:
    """The id of the one actor ``name`` means: its id, or any of its names ignoring case,
    accents and punctuation; failing that, the actors one of whose names holds it as whole
    words. Several matches are listed and nothing is chosen."""
    if name in corpus.actors:
        return name
    wanted = normalize_name(name)
    names = actor_names(corpus)
    found = [i for i, ns in names.items() if any(normalize_name(n) == wanted for n in ns)]
    if not found and wanted:
        found = [i for i, ns in names.items()
                 if any(f" {wanted} " in f" {normalize_name(n)} " for n in ns)]
    if len(found) == 1:
        return found[0]
    if not found:
        every = sorted({n for ns in names.values() for n in ns} | set(corpus.actors))
        raise FactdbError(f"{option}: {unknown('actor', name, every)}; give an actor's id or "
                          "one of its names, or add it first with `factdb add actor`")
    listing = "\n".join(f"  {i}  ({corpus.actors[i].record.name})" for i in sorted(found))
    raise FactdbError(f"{option}: {name!r} matches {len(found)} actors; say which, by id or "
                      f"full name; nothing was written:\n{listing}")


# -- evidence words --------------------------------------------------------------------------
def find_words(corpus: Corpus, doc_id: str, text: str, option: str,
               occurrence: int | None) -> Hit:
    """The one place ``text`` occurs in a document, or say why not (closest passages, or the
    occurrences to choose from)."""
    if not text.strip():
        raise FactdbError(f"{option}: give the document's words (they are empty)")
    doc_text = corpus.texts[doc_id]
    exact, near = search({doc_id: doc_text}, text, corpus.boilerplate)
    if not exact:
        lines = [f"{option}: the words are not in document {doc_id!r}; nothing was written."]
        if near:
            lines.append("The closest passages (copy the document's own words, `words:`):")
        for hit in near:
            what = "; ".join(hit.differences) or "small differences"
            lines += [f"  {hit.start}-{hit.end} similarity {hit.ratio:.2f}: {what}",
                      f"    {_shown(hit)}", f"    words: {flatten(hit.words)}"]
        if not near:
            lines.append("No passage is close; check the document with `factdb locate`.")
        raise FactdbError("\n".join(lines))
    if occurrence is None and len(exact) > 1:
        listing = "\n".join(f"  --occurrence {h.occurrence}: {h.start}-{h.end}  {_shown(h)}"
                            for h in exact)
        raise FactdbError(f"{option}: the words occur {len(exact)} times in document "
                          f"{doc_id!r}; say which with --occurrence N (or quote more of the "
                          f"sentence); nothing was written:\n{listing}")
    if occurrence is not None:
        if len(exact) == 1:
            raise FactdbError(f"--occurrence: the words occur only once in {doc_id!r}; leave "
                              "out --occurrence")
        if not 1 <= occurrence <= len(exact):
            raise FactdbError(f"--occurrence: {occurrence} asked for, but the words occur "
                              f"{len(exact)} times in {doc_id!r}")
        return exact[occurrence - 1]
    return exact[0]


def _shown(hit: Hit) -> str:
    c = hit.context
    return f"{c.before}>>{c.match}<<{c.after}"


# -- dates -----------------------------------------------------------------------------------
# A date value (2023, 2023-03, 2023-03-02, an ISO week 2023-W09, or a range A/B of them),
# then perhaps the text's words.
_ONE_VALUE = r"\d{4}(?:-W\d{2}|-\d{2}(?:-\d{2})?)?"
_VALUE_FIRST = re.compile(rf"^({_ONE_VALUE}(?:/{_ONE_VALUE})?)(?:\s+(.*\S))?\s*$")


@dataclass(frozen=True)
class Dated:
    """A date for a seed, and what `factdb add` worked out to get it (for the user)."""

    seed: dict
    how: str


def date_option(given: str, option: str, doc_id: str | None, doc_text: str | None,
                anchor: tuple | None, inferred_from: str | None = None) -> Dated:
    """A seed date from an option: a value (``2023-03-02``, ``2023-W09``, a range
    ``2023-03-01/2023-03-05``), the text's words (``"on Thursday"``), or both
    (``"2023-03-02 on Thursday"``). Words must occur in the document; words the build
    understands are read from ``anchor`` (the document's resolved publication date)."""
    given = given.strip()
    m = _VALUE_FIRST.match(given)
    value, said = (m[1], m[2]) if m else (None, given)
    if value is not None:
        try:
            values.parse_value(value)
        except ValueError as exc:
            raise FactdbError(f"{option}: {exc}") from None
    if said is None:
        basis = "inferred" if inferred_from else "stated"
        how = f"{option}: {value} ({basis})"
        return Dated(_date(value, basis, None, inferred_from), how)
    if doc_text is not None and said not in doc_text:
        raise FactdbError(f"{option}: the date words {said!r} are not in document {doc_id!r}; "
                          "give the text's own words, or a date value (YYYY-MM-DD)")
    relative = words.understood(said) and words.is_relative(said)
    no_anchor = anchor is None or anchor[0] is None
    if not words.understood(said) or (relative and no_anchor):
        if value is None:
            why = (f"{said!r} counts from when the text was written, and {doc_id!r} has no "
                   "publication date to count from" if words.understood(said) else
                   f"the build cannot compute a date from {said!r}")
            raise FactdbError(f"{option}: {why}; give the value too, as in {option} "
                              f"\"2023-03-02 {said}\"")
        note = inferred_from or f"the words {said!r}"
        return Dated(_date(value, "inferred", said, note),
                     f"{option}: {value} (inferred from {note})")
    lo, hi = (date(2000, 6, 15),) * 2 if no_anchor else \
        (date.fromisoformat(anchor[5]), date.fromisoformat(anchor[6]))
    got = words.resolve(said, lo, hi)
    if got is None:  # an anchor range too wide to read relative words from
        raise FactdbError(f"{option}: {said!r} cannot be read from {doc_id!r}'s publication "
                          f"date ({anchor[0] if anchor else '?'}); give the value too")
    bounds = "" if got.earliest == got.latest else f" (earliest {got.earliest}, latest " \
        f"{got.latest})"
    source = f" read from {doc_id}'s publication date ({anchor[0]})" if relative else ""
    if value is not None and value != got.value:
        raise FactdbError(f"{option}: {said!r}{source} gives {got.value}{bounds}, not {value}; "
                          "correct the value, or leave it out and let the words give it")
    span = values.parse_value(got.value)
    seed = _date(got.value, "inferred" if relative else "stated", said,
                 inferred_from if relative else None)
    if (span.earliest, span.latest) != (got.earliest, got.latest):
        seed.update(earliest=got.earliest.isoformat(), latest=got.latest.isoformat())
    return Dated(seed, f"{option}: {said!r}{source} gives {got.value}{bounds}")


def _date(value: str, basis: str, said: str | None, inferred_from: str | None) -> dict:
    seed = {"value": value, "basis": basis}
    if said is not None:
        seed["words"] = said
    if inferred_from is not None:
        seed["inferred_from"] = inferred_from
    return seed
