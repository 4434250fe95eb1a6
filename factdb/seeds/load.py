"""Load a seeds folder: parse, validate, locate every evidence span and resolve every date.

``load(seeds_dir)`` returns a :class:`Corpus` whose rows are ready to insert, or raises
:class:`SeedErrors` listing every problem found (file, line, column, field, message).
Nothing here touches a database.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from factdb.dates import values, words
from factdb.errors import FactdbError, Problem, SeedErrors
from factdb.evidence.locate import LocateError, locate, occurrences
from factdb.evidence.names import normalize_name
from factdb.seeds.format import (
    SECTIONS,
    ActorSeed,
    DateSeed,
    DocumentSeed,
    EventSeed,
    Passage,
    Record,
    RelationSeed,
    StatementSeed,
)
from factdb.seeds.yamlfile import YamlFile, dotted, read_text
from factdb.seeds.yamlfile import load as load_yaml

if TYPE_CHECKING:
    from factdb.store.cache import ParseCache

TEXTS_DIR = "texts"

# Column order of each table's rows, as build.py inserts them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "id", "title", "publisher_id", "author", "url", "language", "is_machine_translation",
        "translated_from", "published_on", "published_on_precision", "published_on_basis",
        "published_on_words", "published_on_inferred_from", "published_on_earliest",
        "published_on_latest", "file_name", "sha256", "text",
    ),
    "boilerplate_regions": ("document_id", "kind", "start_offset", "end_offset"),
    "skipped_passages": ("document_id", "words", "start_offset", "end_offset", "reason"),
    "actors": ("id", "name", "kind", "description", "party"),
    "actor_aliases": (
        "actor_id", "alias", "normalized", "document_id", "start_offset", "end_offset",
    ),
    "actor_roles": ("actor_id", "role", "document_id", "words", "start_offset", "end_offset"),
    "facts": ("id", "kind"),
    "statements": (
        "id", "speaker_id", "document_id", "quote", "start_offset", "end_offset", "speech",
        "said_on", "said_on_precision", "said_on_basis", "said_on_words",
        "said_on_inferred_from", "said_on_earliest", "said_on_latest", "venue",
        "relayed_by_id", "note",
    ),
    "events": (
        "id", "description", "kind", "date", "date_precision", "date_basis", "date_words",
        "date_inferred_from", "date_earliest", "date_latest", "place", "note",
    ),
    "event_participants": ("event_id", "actor_id", "role"),
    "event_sources": (
        "event_id", "document_id", "words", "start_offset", "end_offset", "relayed_by_id",
    ),
    "relations": (
        "id", "kind", "fact_id", "fact_document_id", "other_fact_id", "other_document_id", "note",
    ),
}
LOAD_ORDER = tuple(COLUMNS)
NO_DATE = (None,) * 7


@dataclass(slots=True)  # slots: a large build holds an Entry per fact id
class Entry:
    """A validated record and where it was written.

    In a streaming load (``load(..., sink=...)``) a loaded fact's record is replaced by the
    ids of its documents, and a loaded document's by None: later checks need no more.
    """

    record: Any
    file: str
    path: tuple
    line: int | None
    duplicate: bool = False


@dataclass
class Corpus:
    """Everything in a seeds folder, validated and resolved."""

    root: Path
    files: list[str] = field(default_factory=list)
    documents: dict[str, Entry] = field(default_factory=dict)
    actors: dict[str, Entry] = field(default_factory=dict)
    facts: dict[str, Entry] = field(default_factory=dict)
    relations: dict[str, Entry] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    boilerplate: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    published: dict[str, tuple] = field(default_factory=dict)
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in COLUMNS})
    sunk: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    def counts(self) -> dict[str, int]:
        return {table: self.sunk[table] + len(rows) for table, rows in self.rows.items()}


Progress = Callable[[int, int], None]
Sink = Callable[[str, list[tuple]], None]
SINK_BATCH = 20_000  # rows held before handing them to a sink
TEXT_CACHE = 256  # texts a streaming load keeps at once


def seed_files(root: Path) -> list[Path]:
    """Every YAML seed file below ``root``, in a stable order."""
    if root.exists() and not root.is_dir():
        raise FactdbError(f"{root}: is a file; --seeds takes the folder that holds seed files")
    if not root.is_dir():
        raise FactdbError(f"{root}: seeds folder not found (pass --seeds DIR)")
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load(root: Path, progress: Progress | None = None, sink: Sink | None = None,
         cache: ParseCache | None = None) -> Corpus:
    """Validate and resolve the seeds under ``root``; raise SeedErrors on any problem.

    With a ``sink``, rows are handed to it (table, rows) in batches as files are read, and
    the corpus keeps no records, texts or rows (memory stays flat for a build); without, it
    keeps everything for the curator's tools. Either way every problem is reported. A
    ``cache`` spares parsing files that did not change since it was filled.
    """
    loader = _Loader(Corpus(root=Path(root)), sink, cache)
    with _collector_paused():
        return loader.run(progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading makes millions of long-lived objects and no garbage cycles; the cyclic
    collector's repeated passes over them cost a fifth of a large build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_partial(root: Path) -> tuple[Corpus, list[Problem]]:
    """What of the seeds under ``root`` did validate, and the problems; for curating tools.

    Records with a problem are left out of ``rows``; documents whose file parsed keep their
    text, so words can still be looked up while other records are broken.
    """
    loader = _Loader(Corpus(root=Path(root)))
    try:
        return loader.run(None), []
    except SeedErrors as exc:
        return loader.c, exc.problems


_ADAPTERS = {name: TypeAdapter(list[model]) for name, model in SECTIONS.items()}
_KNOWN = {name: tuple(model.model_fields) for name, model in SECTIONS.items()}


def _closest(word: Any, choices: Any) -> str | None:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def _suggest(word: Any, choices: Any) -> str:
    close = _closest(word, choices)
    return f" (did you mean {close!r}?)" if close else ""


class _Loader:
    def __init__(self, corpus: Corpus, sink: Sink | None = None,
                 cache: ParseCache | None = None):
        self.c = corpus
        self.sink = sink
        self.cache = cache
        self.problems: list[Problem] = []
        self.sources: dict[str, YamlFile] = {}
        # Records are resolved as soon as everything they refer to is loaded (usually with
        # their own file); the rest wait here for the end.
        self.fresh: list[tuple[str, Entry]] = []
        self.documents: list[tuple[str, Entry]] = []
        self.actors: list[tuple[str, Entry]] = []
        self.statements: list[Entry] = []
        self.events: list[Entry] = []
        self.text_files: dict[str, Path] = {}  # documents whose text passed its checks
        # Ids of records that failed validation, and whether some file could not be read at
        # all: references to them are not reported again as "unknown" (one message per mistake).
        self.invalid_ids: set[str] = set()
        self.unreadable = False

    # -- reporting -------------------------------------------------------------------------
    def problem(self, entry_or_file: Entry | str, path: tuple, message: str) -> None:
        if isinstance(entry_or_file, Entry):
            file, full = entry_or_file.file, (*entry_or_file.path, *path)
        else:
            file, full = entry_or_file, path
        source = self.sources.get(file)
        line, column = source.position(full) if source else (None, None)
        self.problems.append(Problem(file, line, column, dotted(full), message))

    # -- the pipeline ----------------------------------------------------------------------
    def run(self, progress: Progress | None) -> Corpus:
        files = seed_files(self.c.root)
        if not files:
            raise FactdbError(f"{self.c.root}: no seed files (*.yaml) found")
        for i, path in enumerate(files, 1):
            self.read_file(path)
            self.resolve_fresh()
            self.flush(SINK_BATCH)
            if progress:
                progress(i, len(files))
        self.resolve_documents(self.documents)
        for actor_id, entry in self.actors:
            self.resolve_actor(actor_id, entry)
        for entry in self.statements:
            self.resolve_fact("statements", entry)
        for entry in self.events:
            self.resolve_fact("events", entry)
        self.resolve_relations()
        self.flush(0)
        if self.problems:
            raise SeedErrors(self.problems)
        return self.c

    def read_file(self, path: Path) -> None:
        name = path.relative_to(self.c.root).as_posix()
        self.c.files.append(name)
        source, problems = load_yaml(path, name, self.cache)
        self.problems.extend(problems)
        if source is None or problems:
            self.unreadable = True
            return
        self.sources[name] = source
        data = source.data
        if data is None:
            self.problem(name, (), "file is empty; a seed file holds sections such as "
                                   "`document:`, `actors:`, `statements:`")
            return
        if not isinstance(data, dict):
            self.problem(name, (), f"expected a mapping of sections ({', '.join(SECTIONS)}), "
                                   f"found a {_type_name(data)}")
            return
        doc = data.get("document")
        default_doc = doc.get("id") if isinstance(doc, dict) else None
        for section, value in data.items():
            if section not in SECTIONS:
                self.problem(name, (section,), f"unknown section {section!r}"
                                               f"{_suggest(section, SECTIONS)}")
                continue
            if section == "document":
                self.add_records(name, section, [value], single=True)
            elif not isinstance(value, list):
                self.problem(name, (section,), f"expected a list of records, found a "
                                               f"{_type_name(value)}")
            else:
                if section == "statements" and isinstance(default_doc, str):
                    value = [_with_document(item, default_doc) for item in value]
                self.add_records(name, section, value)
        for section, entry in self.fresh:  # (defaults the above could not set)
            if section == "statements" and entry.record.document is None:
                if isinstance(default_doc, str):
                    entry.record = entry.record.model_copy(update={"document": default_doc})
                elif doc is None:  # (a broken `document:` has its own problem reported)
                    self.problem(entry, ("document",), "missing required field 'document' "
                                 "(this file has no `document:` section to default to)")
        source.release()  # entries keep their lines; later problems re-read the file

    def add_records(self, name: str, section: str, items: list, single: bool = False) -> None:
        model = SECTIONS[section]
        source = self.sources[name]
        try:
            records = _ADAPTERS[section].validate_python(items)
            valid = list(enumerate(records))
        except ValidationError:
            valid = []
            for i, item in enumerate(items):
                try:
                    valid.append((i, model.model_validate(item)))
                except ValidationError as exc:
                    base = (section,) if single else (section, i)
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        self.invalid_ids.add(item["id"])
                    errors = exc.errors()
                    # "unknown field 'speker' (did you mean 'speaker'?)" says it all: drop the
                    # matching "missing required field 'speaker'".
                    meant = {
                        (e["loc"][:-1], _closest(e["loc"][-1], _fields_at(model, e["loc"][:-1])))
                        for e in errors if e["type"] == "extra_forbidden"}
                    for err in errors:
                        if err["type"] == "missing" and (err["loc"][:-1], err["loc"][-1]) in meant:
                            continue
                        self.validation_problem(name, base, item, err, model)
        for i, record in valid:
            path = (section,) if single else (section, i)
            self.add(Entry(record, name, path, source.line(path)), section)

    def validation_problem(self, name: str, base: tuple, item: Any, err: dict, model) -> None:
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            known = _fields_at(model, loc[:-1])
            message = f"unknown field {loc[-1]!r}{_suggest(loc[-1], known)}"
        elif kind == "missing":
            message = f"missing required field {loc[-1]!r}"
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            message = f"expected a mapping, found a {_type_name(err.get('input'))}"
        elif kind == "list_type":
            message = f"expected a list, found a {_type_name(err.get('input'))}"
        elif kind == "literal_error":
            message = f"{err['input']!r} is not allowed; {err['msg'][0].lower()}{err['msg'][1:]}"
        elif kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "speaker", "actor"):
            message = (f"{err['input']!r} is not a valid id; use lower-case words joined "
                       "by hyphens, such as 'sergey-lavrov'")
        else:
            message = err["msg"]
            if "input" in err and not isinstance(err["input"], dict | list):
                message += f" (got {err['input']!r})"
        self.problem(name, (*base, *loc), message)

    def add(self, entry: Entry, section: str) -> None:
        record = entry.record
        if section == "document":
            table, kind = self.c.documents, "document"
        elif section == "actors":
            table, kind = self.c.actors, "actor"
        elif section == "relations":
            table, kind = self.c.relations, "relation"
        else:
            table, kind = self.c.facts, "fact"
            self.fresh.append((section, entry))
        if record.id in table:
            first = table[record.id]
            self.problem(entry, ("id",), f"duplicate {kind} id {record.id!r} "
                         f"(first defined in {first.file} line {first.line})")
            entry.duplicate = True  # still checked, never loaded
            return
        table[record.id] = entry
        if section in ("document", "actors"):
            self.fresh.append((section, entry))

    # -- streaming -------------------------------------------------------------------------
    def resolve_fresh(self) -> None:
        """Resolve the records just read whose references are all loaded; defer the rest."""
        fresh, self.fresh = self.fresh, []
        ready = []
        for section, entry in fresh:  # the file's document first: its facts refer to it
            if section == "document":
                pair = (entry.record.id, entry)
                (ready if self.ready(section, entry.record) else self.documents).append(pair)
        self.resolve_documents(ready)
        for section, entry in fresh:
            if section == "document":
                continue
            if not self.ready(section, entry.record):
                if section == "actors":
                    self.actors.append((entry.record.id, entry))
                else:
                    (self.statements if section == "statements" else self.events).append(entry)
            elif section == "actors":
                self.resolve_actor(entry.record.id, entry)
            else:
                self.resolve_fact(section, entry)

    def ready(self, section: str, r: Any) -> bool:
        """Whether every actor and document that a record refers to is loaded already."""
        actors, docs = self.c.actors, self.c.published  # published: documents resolved
        if section == "document":
            return ((r.publisher is None or r.publisher in actors)
                    and (r.published.anchor is None or r.published.anchor in docs))
        if section == "actors":
            return (all(d in docs for alias in r.aliases for d in alias.seen_in)
                    and all(role.document in docs for role in r.roles))
        if section == "statements":
            return (r.speaker in actors and (r.relayed_by is None or r.relayed_by in actors)
                    and r.document in docs
                    and (r.said is None or r.said.anchor is None or r.said.anchor in docs))
        return (all(p.actor in actors for p in r.participants)
                and all(s.document in docs and (s.relayed_by is None or s.relayed_by in actors)
                        for s in r.sources)
                and (r.date.anchor is None or r.date.anchor in docs))

    def flush(self, keep: int) -> None:
        """Hand the rows to the sink once more than ``keep`` are held (streaming only)."""
        rows = self.c.rows
        if self.sink is None or sum(map(len, rows.values())) <= keep:
            return
        for table in LOAD_ORDER:
            if rows[table] and not self.problems:  # else the build fails: rows may be partial
                self.sink(table, rows[table])
                self.c.sunk[table] += len(rows[table])
                rows[table] = []

    def text(self, doc_id: str) -> str | None:
        """A document's text (checked when first read); a streaming load reads it again."""
        text = self.c.texts.get(doc_id)
        if text is None and doc_id in self.text_files:
            text = self.text_files[doc_id].read_bytes().decode("utf-8")
            self.keep_text(doc_id, text)
        return text

    def keep_text(self, doc_id: str, text: str) -> None:
        if self.sink is not None and len(self.c.texts) >= TEXT_CACHE:
            self.c.texts.clear()
        self.c.texts[doc_id] = text

    # -- references ------------------------------------------------------------------------
    def known(self, entry: Entry, path: tuple, ref: str | None, table: dict, kind: str) -> bool:
        if ref is None or ref in table:
            return ref is not None
        if ref in self.invalid_ids or self.unreadable:
            return False  # its own problem is reported already
        self.problem(entry, path, f"unknown {kind} {ref!r}{_suggest(ref, table)}")
        return False

    # -- documents -------------------------------------------------------------------------
    def read_document_text(self, doc_id: str, entry: Entry) -> None:
        doc: DocumentSeed = entry.record
        path = self.c.root / TEXTS_DIR / doc.file
        if not path.is_file():
            self.problem(entry, ("file",), f"document text {TEXTS_DIR}/{doc.file} not found")
            return
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != doc.sha256:
            self.problem(entry, ("sha256",), f"{TEXTS_DIR}/{doc.file} has changed: its sha256 "
                         f"is {digest}, the seed says {doc.sha256}; re-check the facts "
                         "against the new text, then update sha256")
            return
        text, problems = read_text(path, f"{TEXTS_DIR}/{doc.file}")
        if text is None:
            self.problems.extend(problems)
            return
        if "\r" in text:
            self.problem(entry, ("file",), f"{TEXTS_DIR}/{doc.file} has Windows (CRLF) or "
                         "old Mac line endings; convert it to LF so offsets mean one thing")
            return
        self.text_files[doc_id] = path
        self.keep_text(doc_id, text)

    def span(self, entry: Entry, path: tuple, doc_id: str, passage: Passage,
             allow_boilerplate: bool = False) -> tuple[int, int] | None:
        text = self.text(doc_id)
        if text is None:
            return None
        try:
            found = locate(text, passage.words, passage.occurrence)
        except LocateError as exc:
            self.problem(entry, (*path, "words"), f"in document {doc_id!r}: {exc}")
            return None
        if not allow_boilerplate:
            for start, end, kind in self.c.boilerplate.get(doc_id, ()):
                if found.start < end and start < found.end:
                    self.problem(entry, (*path, "words"), f"words lie in a {kind} region "
                                 f"({start}-{end}) of document {doc_id!r}, which is boilerplate; "
                                 "evidence must come from the article itself")
                    return None
        return found.start, found.end

    def resolve_documents(self, documents: list[tuple[str, Entry]]) -> None:
        # In three passes: a publication date may anchor on another document's, whose text
        # (for its date words) must be read first.
        for doc_id, entry in documents:
            self.read_document_text(doc_id, entry)
            self.resolve_document(doc_id, entry)
        for doc_id, _ in documents:
            self.publication(doc_id, ())
        for doc_id, entry in documents:
            doc = entry.record
            self.c.rows["documents"].append((
                doc_id, doc.title, doc.publisher if doc.publisher in self.c.actors else None,
                doc.author, doc.url, doc.language, doc.machine_translation, doc.translated_from,
                *self.c.published.get(doc_id, NO_DATE), doc.file, doc.sha256,
                self.text(doc_id),
            ))
            if self.sink is not None:
                entry.record = None

    def resolve_document(self, doc_id: str, entry: Entry) -> None:
        doc: DocumentSeed = entry.record
        self.known(entry, ("publisher",), doc.publisher, self.c.actors, "actor")
        if doc.translated_from and not doc.machine_translation:
            self.problem(entry, ("translated_from",), "translated_from is for machine "
                         "translations; set machine_translation: true")
        text = self.text(doc_id)
        if text is None:
            return
        regions = []
        for i, part in enumerate(doc.boilerplate):
            got = self.span(entry, ("boilerplate", i), doc_id, part, allow_boilerplate=True)
            if got is None:
                continue
            start, end = got
            if part.to_end:
                end = len(text)
            elif part.until is not None:
                at = text.find(part.until, start)
                if at == -1:
                    self.problem(entry, ("boilerplate", i, "until"),
                                 f"words not found after {part.words!r} in document {doc_id!r}")
                    continue
                end = at + len(part.until)
            regions.append((start, end, part.kind))
        regions.sort()
        self.c.boilerplate[doc_id] = regions
        for start, end, kind in regions:
            self.c.rows["boilerplate_regions"].append((doc_id, kind, start, end))
        for i, skip in enumerate(doc.skips):
            got = self.span(entry, ("skips", i), doc_id, skip)
            if got:
                self.c.rows["skipped_passages"].append(
                    (doc_id, skip.words, *got, skip.reason))

    def publication(self, doc_id: str, chain: tuple[str, ...]) -> tuple | None:
        """A document's resolved publication date (resolving anchors it depends on first)."""
        if doc_id in self.c.published:
            return self.c.published[doc_id]
        entry = self.c.documents.get(doc_id)
        if entry is None or doc_id in chain:
            if entry is not None:
                self.problem(entry, ("published", "anchor"), "publication dates anchor on each "
                             f"other in a loop: {' -> '.join((*chain, doc_id))}")
            return None
        resolved = self.date(entry, ("published",), entry.record.published, None,
                             (*chain, doc_id), [doc_id])
        self.c.published[doc_id] = resolved or NO_DATE
        return resolved

    # -- dates -----------------------------------------------------------------------------
    def date(self, entry: Entry, path: tuple, seed: DateSeed, default_anchor: str | None,
             chain: tuple[str, ...], documents: list[str]) -> tuple | None:
        """Check a curated date and return its seven column values."""
        try:
            span = values.parse_value(seed.value)
        except ValueError as exc:
            self.problem(entry, (*path, "value"), str(exc))
            return None
        if seed.precision and seed.precision != span.precision:
            self.problem(entry, (*path, "precision"), f"precision {seed.precision!r} does not "
                         f"match value {seed.value!r}, which is a {span.precision}")
            return None
        earliest, latest = span.earliest, span.latest
        for bound in ("earliest", "latest"):
            text = getattr(seed, bound)
            if text is None:
                continue
            try:
                day = values.parse_day(text)
            except ValueError as exc:
                self.problem(entry, (*path, bound), str(exc))
                return None
            if not span.earliest <= day <= span.latest:
                self.problem(entry, (*path, bound), f"{text} lies outside {seed.value}")
                return None
            earliest, latest = (day, latest) if bound == "earliest" else (earliest, day)
        if earliest > latest:
            self.problem(entry, (*path, "latest"), "latest is before earliest")
            return None
        if seed.words is not None and documents:
            texts = [t for t in map(self.text, documents) if t is not None]
            if texts and not any(seed.words in t for t in texts):
                self.problem(entry, (*path, "words"), f"date words {seed.words!r} do not occur "
                             f"in {_names(documents)}")
        inferred_from = seed.inferred_from
        anchor_id = seed.anchor or default_anchor
        if seed.anchor is not None and not self.known(entry, (*path, "anchor"), seed.anchor,
                                                      self.c.documents, "document"):
            return None
        understood = seed.words is not None and words.understood(seed.words)
        if understood and anchor_id is not None:
            anchor = self.publication(anchor_id, chain)
            if anchor is None or anchor[0] is None:
                return None
            a_lo, a_hi = date.fromisoformat(anchor[5]), date.fromisoformat(anchor[6])
            got = words.resolve(seed.words, a_lo, a_hi)
            relative = words.is_relative(seed.words)
            if got is not None:
                if (got.value, got.earliest, got.latest) != (seed.value, earliest, latest):
                    bounds = "" if got.earliest == got.latest else \
                        f" (earliest {got.earliest}, latest {got.latest})"
                    self.problem(entry, (*path, "value"), f"{seed.words!r} read from "
                                 f"{anchor_id}'s publication date ({anchor[0]}) gives "
                                 f"{got.value}{bounds}, not {seed.value}")
                    return None
                if relative and seed.basis == "stated":
                    self.problem(entry, (*path, "basis"), f"{seed.words!r} is relative to "
                                 "when it was written, so the date is inferred: "
                                 "set basis: inferred")
                    return None
                if relative:
                    note = f"{anchor_id} publication date ({anchor[0]})"
                    inferred_from = f"{note}; {inferred_from}" if inferred_from else note
        if seed.basis == "inferred" and inferred_from is None:
            self.problem(entry, (*path, "inferred_from"), "an inferred date must say what it "
                         "was inferred from: words the build understands (see README) with an "
                         "anchor document, or an `inferred_from` note")
            return None
        return (seed.value, span.precision, seed.basis, seed.words, inferred_from,
                earliest.isoformat(), latest.isoformat())

    # -- actors ----------------------------------------------------------------------------
    def resolve_actor(self, actor_id: str, entry: Entry) -> None:
        rows = self.c.rows
        actor: ActorSeed = entry.record
        rows["actors"].append((actor_id, actor.name, actor.kind, actor.description,
                               actor.party))
        names: dict[str, list[tuple[int, str]]] = {actor.name: []}
        for i, alias in enumerate(actor.aliases):
            if alias.name in names and alias.name != actor.name:
                self.problem(entry, ("aliases", i, "name"), f"alias {alias.name!r} is "
                             "listed twice")
                continue
            names[alias.name] = [(i, d) for d in alias.seen_in]
        for name, seen in names.items():
            normalized = normalize_name(name)
            if not seen:
                rows["actor_aliases"].append((actor_id, name, normalized, None, None, None))
            for i, doc_id in seen:
                path = ("aliases", i, "seen_in")
                if not self.known(entry, path, doc_id, self.c.documents, "document"):
                    continue
                got = self.sighting(entry, path, doc_id, name)
                if got:
                    rows["actor_aliases"].append((actor_id, name, normalized, doc_id, *got))
        for i, role in enumerate(actor.roles):
            if not self.known(entry, ("roles", i, "document"), role.document,
                              self.c.documents, "document"):
                continue
            got = self.span(entry, ("roles", i), role.document, role)
            if got:
                rows["actor_roles"].append((actor_id, role.role, role.document,
                                            role.words, *got))

    def sighting(self, entry: Entry, path: tuple, doc_id: str, name: str) -> tuple | None:
        """First whole-word occurrence of a name, preferring the article over boilerplate."""
        text = self.text(doc_id)
        if text is None:
            return None
        whole = [s for s in occurrences(text, name) if _whole_word(text, s, s + len(name))]
        if not whole:
            self.problem(entry, path, f"{name!r} does not occur as a whole word in {doc_id!r}")
            return None
        regions = self.c.boilerplate.get(doc_id, ())
        outside = [s for s in whole if not any(a <= s < b for a, b, _ in regions)]
        start = (outside or whole)[0]
        return start, start + len(name)

    # -- statements and events -------------------------------------------------------------
    def resolve_fact(self, section: str, entry: Entry) -> None:
        (self.resolve_statement if section == "statements" else self.resolve_event)(entry)
        if self.sink is not None:  # streaming: relations need only the fact's documents
            entry.record, entry.path = _fact_documents(entry.record), ()

    def resolve_statement(self, entry: Entry) -> None:
        rows = self.c.rows
        st: StatementSeed = entry.record
        ok = self.known(entry, ("speaker",), st.speaker, self.c.actors, "actor")
        if st.relayed_by is not None:
            ok &= self.known(entry, ("relayed_by",), st.relayed_by, self.c.actors, "actor")
        if st.document is None or not self.known(entry, ("document",), st.document,
                                                 self.c.documents, "document"):
            return
        got = self.span(entry, (), st.document, st)
        said = NO_DATE
        if st.said is not None:
            said = self.date(entry, ("said",), st.said, st.document, (), [st.document])
        if not ok or got is None or said is None or entry.duplicate:
            return
        rows["facts"].append((st.id, "statement"))
        rows["statements"].append((st.id, st.speaker, st.document, st.words, *got, st.speech,
                                   *said, st.venue, st.relayed_by, st.note))

    def resolve_event(self, entry: Entry) -> None:
        rows = self.c.rows
        ev: EventSeed = entry.record
        ok = True
        sources, seen = [], set()
        for i, src in enumerate(ev.sources):
            if src.relayed_by is not None:
                ok &= self.known(entry, ("sources", i, "relayed_by"), src.relayed_by,
                                 self.c.actors, "actor")
            if not self.known(entry, ("sources", i, "document"), src.document,
                              self.c.documents, "document"):
                ok = False
                continue
            got = self.span(entry, ("sources", i), src.document, src)
            if got is None:
                ok = False
            elif (src.document, got) in seen:
                self.problem(entry, ("sources", i), "the same evidence is given twice")
                ok = False
            else:
                seen.add((src.document, got))
                sources.append((ev.id, src.document, src.words, *got, src.relayed_by))
        participants, actors = [], set()
        for i, part in enumerate(ev.participants):
            if not self.known(entry, ("participants", i, "actor"), part.actor,
                              self.c.actors, "actor"):
                ok = False
            elif part.actor in actors:
                self.problem(entry, ("participants", i, "actor"),
                             f"{part.actor!r} is already a participant")
                ok = False
            else:
                actors.add(part.actor)
                participants.append((ev.id, part.actor, part.role))
        docs = list(dict.fromkeys(s.document for s in ev.sources))
        when = self.date(entry, ("date",), ev.date, docs[0] if docs else None, (), docs)
        if not ok or when is None or entry.duplicate:
            return
        rows["facts"].append((ev.id, "event"))
        rows["events"].append((ev.id, ev.description, ev.kind, *when, ev.place, ev.note))
        rows["event_participants"].extend(participants)
        rows["event_sources"].extend(sources)

    def resolve_relations(self) -> None:
        for rel_id, entry in self.c.relations.items():
            rel: RelationSeed = entry.record
            ok = True
            for side, doc_side in (("fact", "fact_document"), ("other", "other_document")):
                fact_id, doc_id = getattr(rel, side), getattr(rel, doc_side)
                if not self.known(entry, (side,), fact_id, self.c.facts, "fact"):
                    ok = False
                    continue
                if doc_id is not None:
                    ok &= self.fact_in_document(entry, doc_side, fact_id, doc_id)
            if rel.fact == rel.other and (rel.fact_document == rel.other_document):
                self.problem(entry, ("other",), f"relation links fact {rel.fact!r} to itself")
                ok = False
            if ok:
                self.c.rows["relations"].append((rel_id, rel.kind, rel.fact, rel.fact_document,
                                                 rel.other, rel.other_document, rel.note))

    def fact_in_document(self, entry: Entry, field_name: str, fact_id: str, doc_id: str) -> bool:
        docs = _fact_documents(self.c.facts[fact_id].record)
        if doc_id in docs:
            return True
        self.problem(entry, (field_name,), f"fact {fact_id!r} has no evidence in document "
                     f"{doc_id!r} (it is in {_names(docs)})")
        return False


def _fact_documents(record: StatementSeed | EventSeed | tuple) -> tuple:
    """The documents a fact's evidence is in (a streamed fact keeps only these)."""
    if isinstance(record, tuple):
        return record
    if isinstance(record, EventSeed):
        return tuple(s.document for s in record.sources)
    return (record.document,)


def _with_document(item: Any, doc_id: str) -> Any:
    """A statement defaults to its file's document (set before validating: copying a
    validated record costs more)."""
    if isinstance(item, dict) and "document" not in item:
        return {**item, "document": doc_id}
    return item


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _names(items: list[str]) -> str:
    return ", ".join(repr(i) for i in items) or "no document"


def _type_name(value: Any) -> str:
    return {dict: "mapping", list: "list", str: "string", int: "number", float: "number",
            bool: "true/false", type(None): "empty value"}.get(type(value), type(value).__name__)


def _fields_at(model: type[Record], loc: tuple) -> tuple[str, ...]:
    """Field names of the (nested) model that a validation location points into."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        info = getattr(current, "model_fields", {}).get(step)
        if info is None:
            break
        current = _inner_model(info.annotation)
    return tuple(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    return None
