"""Document texts: each read once and checked (found, unchanged since curated, UTF-8, LF
line endings), then served from a cache; a streaming load keeps only the latest few."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from factdb.seeds.corpus import Corpus, Entry, Problems
from factdb.seeds.format import DocumentSeed
from factdb.seeds.yamlfile import MAX_FILE_BYTES, read_text

TEXTS_DIR = "texts"
TEXT_CACHE = 256  # texts a streaming load keeps at once


class Texts:
    """The texts of the documents whose text passed its checks."""

    def __init__(self, corpus: Corpus, problems: Problems, streaming: bool):
        self.c = corpus
        self.problems = problems
        self.streaming = streaming
        self.files: dict[str, Path] = {}  # document id -> its checked text file
        self._folder: Path | None = None  # the texts folder, resolved

    def check(self, doc_id: str, entry: Entry) -> None:
        """Read a document's text file and check it; keep it if it passes."""
        doc: DocumentSeed = entry.record
        path = self.c.root / TEXTS_DIR / doc.file
        name = f"{TEXTS_DIR}/{doc.file}"
        try:
            real = self.escapes(doc.file, path)
            if real is not None:
                self.problems.add(entry, ("file",), f"{doc.file!r} is outside the seeds "
                                  f"folder's {TEXTS_DIR}/ folder (it leads to {real}); a "
                                  f"document's text must be a file in {TEXTS_DIR}/")
                return
            if not path.is_file():
                self.problems.add(entry, ("file",), f"document text {name} not found")
                return
            raw = path.read_bytes()
        except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of symbolic links
            reason = exc.strerror if isinstance(exc, OSError) else "a loop of symbolic links"
            self.problems.add(entry, ("file",), f"cannot read document text {name}: {reason}")
            return
        digest = hashlib.sha256(raw).hexdigest()
        if digest != doc.sha256:
            self.problems.add(entry, ("sha256",), f"{name} has changed: its "
                              f"sha256 is {digest}, the seed says {doc.sha256}; re-check the "
                              "facts against the new text, then update sha256")
            return
        text = None
        if len(raw) <= MAX_FILE_BYTES:
            with contextlib.suppress(UnicodeDecodeError):
                text = raw.decode("utf-8")
        if text is None:  # read_text says what is wrong, in the curator's words
            problems = read_text(path, name)[1]
            if not problems:  # (it was rewritten meanwhile)
                self.problems.add(entry, ("file",), f"{name} changed while it was read")
            self.problems.extend(problems)
            return
        if "\r" in text:
            self.problems.add(entry, ("file",), f"{name} has Windows (CRLF) "
                              "or old Mac line endings; convert it to LF so offsets mean one "
                              "thing")
            return
        self.files[doc_id] = path
        self.keep(doc_id, text)

    def escapes(self, file: str, path: Path) -> Path | None:
        """Where ``path`` really leads if that is outside the texts folder (by "..", an
        absolute path or a symbolic link on the way), else None."""
        if "/" not in file and file not in (".", "..") and not path.is_symlink():
            return None  # a plain name in texts/, the usual case: no need to resolve
        real = path.resolve()
        return None if real.is_relative_to(self.folder()) else real

    def folder(self) -> Path:
        """The texts folder, with every symbolic link on the way resolved."""
        if self._folder is None:
            self._folder = (self.c.root / TEXTS_DIR).resolve()
        return self._folder

    def get(self, doc_id: str) -> str | None:
        """A document's text (None if it failed its checks); read again if not cached."""
        text = self.c.texts.get(doc_id)
        if text is None and doc_id in self.files:
            text = self.files[doc_id].read_bytes().decode("utf-8")
            self.keep(doc_id, text)
        return text

    def keep(self, doc_id: str, text: str) -> None:
        if self.streaming and len(self.c.texts) >= TEXT_CACHE:
            self.c.texts.clear()
        self.c.texts[doc_id] = text
