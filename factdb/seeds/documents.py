"""Documents: their text, boilerplate regions, skipped passages, publication date, and the
rows they make."""

from __future__ import annotations

from factdb.seeds.columns import NO_DATE, BoilerplateRegion, Document, SkippedPassage
from factdb.seeds.corpus import Corpus, Entry, Problems
from factdb.seeds.dating import Dating
from factdb.seeds.format import DocumentSeed
from factdb.seeds.references import References
from factdb.seeds.spans import Spans
from factdb.seeds.texts import Texts


class Documents:
    """Resolves documents and emits their rows."""

    def __init__(self, corpus: Corpus, problems: Problems, refs: References, texts: Texts,
                 spans: Spans, dating: Dating, streaming: bool):
        self.c = corpus
        self.problems = problems
        self.refs = refs
        self.texts = texts
        self.spans = spans
        self.dating = dating
        self.streaming = streaming

    def resolve(self, documents: list[tuple[str, Entry]]) -> None:
        # In three passes: a publication date may anchor on another document's, whose text
        # (for its date words) must be read first.
        for doc_id, entry in documents:
            self.texts.check(doc_id, entry)
            self.regions(doc_id, entry)
        for doc_id, _ in documents:
            self.dating.publication(doc_id, ())
        rows = self.c.rows["documents"]
        for doc_id, entry in documents:
            doc: DocumentSeed = entry.record
            rows.append(Document(
                id=doc_id, title=doc.title,
                publisher_id=doc.publisher if doc.publisher in self.c.actors else None,
                author=doc.author, url=doc.url, language=doc.language,
                is_machine_translation=doc.machine_translation,
                translated_from=doc.translated_from,
                published_on=self.c.published.get(doc_id, NO_DATE),
                file_name=doc.file, sha256=doc.sha256, text=self.texts.get(doc_id),
                republished_from_id=(doc.republished_from if doc.republished_from
                                     in self.c.actors else None),
            ))
            if self.streaming:
                entry.record = None

    def regions(self, doc_id: str, entry: Entry) -> None:
        """Check the publisher and translation; locate boilerplate and skipped passages."""
        doc: DocumentSeed = entry.record
        self.refs.known(entry, ("publisher",), doc.publisher, self.c.actors, "actor")
        if doc.republished_from is not None:
            self.refs.known(entry, ("republished_from",), doc.republished_from, self.c.actors,
                            "actor")
        if doc.translated_from and not doc.machine_translation:
            self.problems.add(entry, ("translated_from",), "translated_from is for machine "
                              "translations; set machine_translation: true")
        text = self.texts.get(doc_id)
        if text is None:
            return
        regions = []
        for i, part in enumerate(doc.boilerplate):
            got = self.spans.span(entry, ("boilerplate", i), doc_id, part,
                                  allow_boilerplate=True)
            if got is None:
                continue
            start, end = got
            if part.to_end:
                end = len(text)
            elif part.until is not None:
                at = text.find(part.until, start)
                if at == -1:
                    self.problems.add(entry, ("boilerplate", i, "until"), "words not found "
                                      f"after {part.words!r} in document {doc_id!r}")
                    continue
                end = at + len(part.until)
            regions.append((start, end, part.kind))
        regions.sort()
        self.c.boilerplate[doc_id] = regions
        rows = self.c.rows
        for start, end, kind in regions:
            rows["boilerplate_regions"].append(BoilerplateRegion(
                document_id=doc_id, kind=kind, start_offset=start, end_offset=end))
        for i, skip in enumerate(doc.skips):
            got = self.spans.span(entry, ("skips", i), doc_id, skip)
            if got:
                rows["skipped_passages"].append(SkippedPassage(
                    document_id=doc_id, words=skip.words, start_offset=got[0],
                    end_offset=got[1], reason=skip.reason))
