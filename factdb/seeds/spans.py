"""Evidence in the documents: where a passage's words are in a text (as character offsets),
and that they lie in the article, not in its boilerplate."""

from __future__ import annotations

from factdb.evidence.locate import LocateError, locate, occurrences
from factdb.seeds.corpus import Corpus, Entry, Problems
from factdb.seeds.format import Passage
from factdb.seeds.texts import Texts


class Spans:
    """Locates words in the loaded documents, reporting what cannot be found."""

    def __init__(self, corpus: Corpus, problems: Problems, texts: Texts):
        self.c = corpus
        self.problems = problems
        self.texts = texts

    def span(self, entry: Entry, path: tuple, doc_id: str, passage: Passage,
             allow_boilerplate: bool = False) -> tuple[int, int] | None:
        """Start and end offsets of a passage's words in a document, or None (reported)."""
        text = self.texts.get(doc_id)
        if text is None:
            return None
        try:
            found = locate(text, passage.words, passage.occurrence)
        except LocateError as exc:
            self.problems.add(entry, (*path, "words"), f"in document {doc_id!r}: {exc}")
            return None
        if not allow_boilerplate:
            for start, end, kind in self.c.boilerplate.get(doc_id, ()):
                if found.start < end and start < found.end:
                    self.problems.add(entry, (*path, "words"), f"words lie in a {kind} region "
                                      f"({start}-{end}) of document {doc_id!r}, which is "
                                      "boilerplate; evidence must come from the article itself")
                    return None
        return found.start, found.end

    def sighting(self, entry: Entry, path: tuple, doc_id: str, name: str
                 ) -> tuple[int, int] | None:
        """First whole-word occurrence of a name, preferring the article over boilerplate."""
        text = self.texts.get(doc_id)
        if text is None:
            return None
        whole = [s for s in occurrences(text, name) if _whole_word(text, s, s + len(name))]
        if not whole:
            self.problems.add(entry, path, f"{name!r} does not occur as a whole word in "
                                           f"{doc_id!r}")
            return None
        regions = self.c.boilerplate.get(doc_id, ())
        outside = [s for s in whole if not any(a <= s < b for a, b, _ in regions)]
        start = (outside or whole)[0]
        return start, start + len(name)


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()
