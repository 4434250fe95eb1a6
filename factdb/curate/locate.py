"""What the curator's tools share: reading a seeds folder leniently, and finding words in it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from factdb.errors import FactdbError, Problem
from factdb.evidence.locate import Hit, search
from factdb.seeds.corpus import Corpus
from factdb.seeds.load import load_partial
from factdb.seeds.read import seed_files
from factdb.seeds.texts import TEXTS_DIR


def open_seeds(root: Path, document: str | None = None) -> tuple[Corpus, list[Problem]]:
    """The seeds under ``root`` as far as they validate, and their problems.

    ``document``, when given, must be a known document id.
    """
    corpus, problems = load_partial(Path(root))
    if document is not None and document not in corpus.documents:
        raise unknown("document", document, corpus.documents)
    return corpus, problems


def unknown(kind: str, ident: str, known) -> FactdbError:
    """The error for an id that is not in the seeds, with the closest id as a hint."""
    close = difflib.get_close_matches(ident, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return FactdbError(f"no {kind} {ident!r} in the seeds{hint}")


@dataclass(frozen=True)
class Located:
    """Exact occurrences of some words, or, when there are none, the closest passages."""

    exact: list[Hit]
    near: list[Hit]
    problems: list[Problem]


def locate(root: Path, words: str, document: str | None = None) -> Located:
    """Find ``words`` in the documents under ``root`` (or in one document)."""
    if not words.strip():
        raise FactdbError("give some words to look for")
    corpus, problems = load_partial(Path(root))
    texts = dict(corpus.texts)
    if problems:
        texts.update(_unvalidated_texts(Path(root), set(texts)))
    if document is not None:
        if document not in texts:
            raise unknown("document", document, texts)
        texts = {document: texts[document]}
    exact, near = search(texts, words, corpus.boilerplate)
    return Located(exact, near, problems)


def _unvalidated_texts(root: Path, known: set[str]) -> dict[str, str]:
    """Texts of documents whose seed file has problems: its id and file, read as plain YAML."""
    import yaml

    texts = {}
    for path in seed_files(root):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            doc = data["document"]
            doc_id, name = doc["id"], doc["file"]
            if isinstance(doc_id, str) and doc_id not in known and isinstance(name, str):
                texts[doc_id] = (root / TEXTS_DIR / name).read_text(encoding="utf-8")
        except (OSError, ValueError, yaml.YAMLError, TypeError, KeyError):
            continue
    return texts
