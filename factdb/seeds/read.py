"""Read seed files: find them, parse each (strict YAML), split it into sections and hand
each section's records to validation; valid records become entries with their lines."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from factdb.errors import FactdbError
from factdb.seeds.corpus import Corpus, Entry, Problems
from factdb.seeds.format import SECTIONS
from factdb.seeds.references import References
from factdb.seeds.validate import suggest, type_name, validate
from factdb.seeds.yamlfile import load as load_yaml

if TYPE_CHECKING:
    from factdb.store.cache import ParseCache

Fresh = list[tuple[str, Entry]]  # (section, entry) of the records a file defined


def seed_files(root: Path) -> list[Path]:
    """Every YAML seed file below ``root``, in a stable order."""
    if root.exists() and not root.is_dir():
        raise FactdbError(f"{root}: is a file; --seeds takes the folder that holds seed files")
    if not root.is_dir():
        raise FactdbError(f"{root}: seeds folder not found (pass --seeds DIR)")
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


class Reader:
    """Reads one seed file after another into entries (see :meth:`read`)."""

    def __init__(self, corpus: Corpus, problems: Problems, refs: References,
                 cache: ParseCache | None = None):
        self.c = corpus
        self.problems = problems
        self.refs = refs
        self.cache = cache

    def read(self, path: Path) -> Fresh:
        """Parse and validate one file; return the records it defined that are to be
        resolved (documents and actors not defined before, and every fact)."""
        name = path.relative_to(self.c.root).as_posix()
        self.c.files.append(name)
        source, problems = load_yaml(path, name, self.cache)
        self.problems.extend(problems)
        if source is None or problems:
            self.refs.unreadable = True
            return []
        self.problems.sources[name] = source
        data = source.data
        if data is None:
            self.problems.add(name, (), "file is empty; a seed file holds sections such as "
                                        "`document:`, `actors:`, `statements:`")
            return []
        if not isinstance(data, dict):
            self.problems.add(name, (), "expected a mapping of sections "
                              f"({', '.join(SECTIONS)}), found a {type_name(data)}")
            return []
        fresh: Fresh = []
        doc = data.get("document")
        default_doc = doc.get("id") if isinstance(doc, dict) else None
        for section, value in data.items():
            if section not in SECTIONS:
                self.problems.add(name, (section,), f"unknown section {section!r}"
                                                    f"{suggest(section, SECTIONS)}")
                continue
            if section == "document":
                self.add_records(name, section, [value], fresh, single=True)
            elif not isinstance(value, list):
                self.problems.add(name, (section,), "expected a list of records, found a "
                                                    f"{type_name(value)}")
            else:
                if section == "statements" and isinstance(default_doc, str):
                    value = [_with_document(item, default_doc) for item in value]
                self.add_records(name, section, value, fresh)
        for section, entry in fresh:  # (defaults the above could not set)
            if section == "statements" and entry.record.document is None:
                if isinstance(default_doc, str):
                    entry.record = entry.record.model_copy(update={"document": default_doc})
                elif doc is None:  # (a broken `document:` has its own problem reported)
                    self.problems.add(entry, ("document",), "missing required field "
                                      "'document' (this file has no `document:` section to "
                                      "default to)")
        source.release()  # entries keep their lines; later problems re-read the file
        return fresh

    def add_records(self, name: str, section: str, items: list, fresh: Fresh,
                    single: bool = False) -> None:
        source = self.problems.sources[name]

        def report(path: tuple, message: str) -> None:
            self.problems.add(name, path, message)

        for i, record in validate(section, items, single, report, self.refs.invalid_ids):
            path = (section,) if single else (section, i)
            entry = Entry(record, name, path, source.line(path))
            if self.refs.register(entry, section):
                fresh.append((section, entry))


def _with_document(item: Any, doc_id: str) -> Any:
    """A statement defaults to its file's document (set before validating: copying a
    validated record costs more)."""
    if isinstance(item, dict) and "document" not in item:
        return {**item, "document": doc_id}
    return item
