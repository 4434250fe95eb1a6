"""`factdb add`: add one record to the seeds, checked as `factdb check` would, or nothing.

Every add works the same way, under a lock on the seeds folder: read the seeds, work out
the record from the curator's options (actors by any name, evidence words located, dates
read from the text's words), append it to its file keeping every other byte, validate the
whole folder as it would then be, and only then write (atomically). A problem the change
would introduce is refused with the file, line and field, and the seeds stay as they were.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from factdb.curate.add import newdocument as draft
from factdb.curate.add.overlay import introduced, load_changed
from factdb.curate.add.resolve import date_option, find_words, resolve_actor
from factdb.curate.locate import unknown
from factdb.errors import FactdbError, Problem, SeedErrors
from factdb.evidence.locate import occurrences
from factdb.seeds.load import TEXTS_DIR, Corpus, load_partial
from factdb.seeds.write import append_record, locked, make_folder, write_atomic
from factdb.seeds.yamlfile import load as load_yaml

# Where each kind of record goes when it is not a document's statement.
FILES = {"actors": "actors.yaml", "events": "events.yaml", "relations": "relations.yaml"}
MAX_ID = 120


@dataclass
class Added:
    """What an add wrote, and what it worked out on the way (for the user to see)."""

    kind: str
    id: str
    file: str  # relative to the seeds folder
    line: int
    notes: list[str] = field(default_factory=list)
    todo: list[Problem] = field(default_factory=list)  # placeholders still to fill


# -- the shared steps ------------------------------------------------------------------------
def _open(root: Path) -> tuple[Corpus, list[Problem]]:
    return load_partial(Path(root))


def document_text(corpus: Corpus, problems: list[Problem], doc_id: str, option: str) -> str:
    """The text of a document that loaded without problems (facts need its words)."""
    if doc_id in corpus.documents and doc_id in corpus.texts:
        return corpus.texts[doc_id]
    own = [p for p in problems if Path(p.file).stem == doc_id]
    if own:
        listing = "\n".join(f"  {p}" for p in own)
        raise FactdbError(f"{option}: document {doc_id!r} has problems to fix first (`factdb "
                          f"check` lists them); nothing was written:\n{listing}")
    raise FactdbError(f"{option}: {unknown('document', doc_id, corpus.documents)}; add it "
                      "with `factdb add document`")


def _new_id(corpus: Corpus, wanted: str | None, proposed: str, table: dict, kind: str,
            notes: list[str]) -> str:
    if wanted is not None:
        if wanted in table:
            entry = table[wanted]
            raise FactdbError(f"--id: {kind} id {wanted!r} is already in use ({entry.file} "
                              f"line {entry.line}); choose another; nothing was written")
        return wanted
    base = proposed[:MAX_ID].strip("-") or kind
    ident, n = base, 2
    while ident in table:
        ident, n = f"{base}-{n}", n + 1
    notes.append(f"id: {ident} (proposed; pass --id to choose another)")
    return ident


def _append(root: Path, before: list[Problem], rel: str, section: str, record: dict,
            kind: str, table: str, notes: list[str]) -> Added:
    """Add ``record`` to the file ``rel``, if the seeds then have no new problem."""
    new_text, line = append_record(seed_text(root, rel), section, record, rel)
    corpus = commit(root, before, {rel: new_text.encode("utf-8")}, write=False)
    if record["id"] not in getattr(corpus, table):  # (a reference that is itself broken)
        raise FactdbError(f"{rel}: the new {kind} could not be checked because a record it "
                          "refers to has problems; run `factdb check` and fix them first")
    write_atomic(root / rel, new_text.encode("utf-8"))
    return Added(kind, record["id"], rel, line, notes)


def commit(root: Path, before: list[Problem], changes: dict[str, bytes],
           write: bool = True) -> Corpus:
    """Check the seeds as ``changes`` (relative path -> bytes) would leave them, and write
    the changed files if no new problem appears (SeedErrors lists those that would)."""
    corpus, after = load_changed(root, changes)
    new = introduced(before, after)
    if new:
        raise SeedErrors(new)
    if write:
        for rel, data in changes.items():
            write_atomic(root / rel, data)
    return corpus


def seed_text(root: Path, rel: str) -> str:
    """A seed file's text ("" when it does not exist yet), if it reads without problems."""
    path = root / rel
    if not path.exists():
        return ""
    source, problems = load_yaml(path, rel)
    if problems or source is None:
        listing = "\n".join(f"  {p}" for p in problems)
        raise FactdbError(f"{rel} has problems; fix them before adding to it (nothing was "
                          f"written):\n{listing}")
    return path.read_bytes().decode("utf-8")


def evidence(corpus: Corpus, doc_id: str, words: str, occurrence: int | None,
              notes: list[str]) -> dict:
    hit = find_words(corpus, doc_id, words, "--words", occurrence)
    notes.append(f"words: found in {doc_id} at {hit.start}-{hit.end}"
                 + (f" (occurrence {occurrence} of {hit.count})" if occurrence else ""))
    passage = {"words": words}
    if occurrence is not None:
        passage["occurrence"] = occurrence
    return passage


def _clean(record: dict) -> dict:
    return {k: v for k, v in record.items() if v is not None and v != []}


# -- statements ------------------------------------------------------------------------------
def add_statement(root: Path, *, document: str, speaker: str, speech: str, words: str,
                  id: str | None = None, occurrence: int | None = None,
                  said: str | None = None, inferred_from: str | None = None,
                  venue: str | None = None, relayed_by: str | None = None,
                  note: str | None = None) -> Added:
    """Append a statement to its document's seed file."""
    root = Path(root)
    with locked(root):
        corpus, before = _open(root)
        text = document_text(corpus, before, document, "--document")
        notes: list[str] = []
        speaker_id = resolve_actor(corpus, speaker, "--speaker")
        relay = resolve_actor(corpus, relayed_by, "--relayed-by") if relayed_by else None
        passage = evidence(corpus, document, words, occurrence, notes)
        date = None
        if said is not None:
            got = date_option(said, "--said", document, text, corpus.published.get(document),
                              inferred_from)
            date, _ = got.seed, notes.append(got.how)
        named = set(speaker_id.split("-"))
        said_words = [w for w in draft.slug(words, 20).split("-") if w not in named]
        proposed = "-".join([speaker_id.split("-")[-1], *said_words[:draft.ID_WORDS]])
        ident = _new_id(corpus, id, proposed, corpus.facts, "fact", notes)
        record = _clean({"id": ident, "speaker": speaker_id, "speech": speech, **passage,
                         "said": date, "venue": venue, "relayed_by": relay, "note": note})
        rel = corpus.documents[document].file
        return _append(root, before, rel, "statements", record, "statement", "facts", notes)


# -- events ----------------------------------------------------------------------------------
def add_event(root: Path, *, description: str, date: str, document: str, words: str,
              id: str | None = None, kind: str | None = None, place: str | None = None,
              participants: list[str] | None = None, occurrence: int | None = None,
              relayed_by: str | None = None, inferred_from: str | None = None,
              note: str | None = None) -> Added:
    """Append an event, with one source (a document's words), to events.yaml."""
    root = Path(root)
    with locked(root):
        corpus, before = _open(root)
        text = document_text(corpus, before, document, "--document")
        notes: list[str] = []
        source = {"document": document, **evidence(corpus, document, words, occurrence, notes)}
        if relayed_by:
            source["relayed_by"] = resolve_actor(corpus, relayed_by, "--relayed-by")
        people = []
        for given in participants or []:
            name, _, role = given.partition(":") if ":" in given else (given, "", "")
            actor = resolve_actor(corpus, name.strip(), "--participant")
            people.append(_clean({"actor": actor, "role": role.strip() or None}))
        got = date_option(date, "--date", document, text, corpus.published.get(document),
                          inferred_from)
        notes.append(got.how)
        ident = _new_id(corpus, id, draft.slug(description, 8), corpus.facts, "fact", notes)
        record = _clean({"id": ident, "description": description, "kind": kind,
                         "date": got.seed, "place": place, "participants": people,
                         "sources": [source], "note": note})
        return _append(root, before, FILES["events"], "events", record, "event", "facts",
                       notes)


# -- relations -------------------------------------------------------------------------------
def add_relation(root: Path, *, kind: str, fact: str, other: str, note: str,
                 id: str | None = None, fact_document: str | None = None,
                 other_document: str | None = None) -> Added:
    """Append a relation between two facts to relations.yaml."""
    root = Path(root)
    with locked(root):
        corpus, before = _open(root)
        for option, ident in (("--fact", fact), ("--other", other)):
            if ident not in corpus.facts:
                raise FactdbError(f"{option}: {unknown('fact', ident, corpus.facts)}; give a "
                                  "statement or event id (`factdb explain ID` shows one)")
        notes: list[str] = []
        joiner = "vs" if kind == "contradicts" else "and"
        proposed = f"{fact[:55].strip('-')}-{joiner}-{other[:55].strip('-')}"
        ident = _new_id(corpus, id, proposed, corpus.relations, "relation", notes)
        record = _clean({"id": ident, "kind": kind, "fact": fact, "fact_document": fact_document,
                         "other": other, "other_document": other_document, "note": note})
        return _append(root, before, FILES["relations"], "relations", record, "relation",
                       "relations", notes)


# -- actors ----------------------------------------------------------------------------------
def add_actor(root: Path, *, name: str, kind: str, id: str | None = None,
              description: str | None = None, party: str | None = None,
              aliases: list[str] | None = None, seen_in: list[str] | None = None,
              role: str | None = None, document: str | None = None,
              words: str | None = None, occurrence: int | None = None) -> Added:
    """Append an actor to actors.yaml; its names are looked up in the ``seen_in`` documents."""
    from factdb.evidence.names import normalize_name

    root = Path(root)
    with locked(root):
        corpus, before = _open(root)
        notes: list[str] = []
        for actor_id, entry in corpus.actors.items():
            names = [entry.record.name, *(a.name for a in entry.record.aliases)]
            if any(normalize_name(n) == normalize_name(name) for n in names):
                raise FactdbError(f"--name: an actor is already called {name!r}: {actor_id} "
                                  f"({entry.file} line {entry.line}); use it, or add the new "
                                  "spelling to it by hand; nothing was written")
        texts = {d: document_text(corpus, before, d, "--seen-in") for d in seen_in or []}
        listed = []
        for n in dict.fromkeys([name, *(aliases or [])]):
            docs = [d for d, t in texts.items() if whole_word_in(t, n)]
            listed.append(_clean({"name": n, "seen_in": docs}))
            if texts:
                notes.append(f"name {n!r}: seen in {', '.join(docs) or 'none of them'}")
        for d, t in texts.items():
            if not any(whole_word_in(t, n) for n in [name, *(aliases or [])]):
                raise FactdbError(f"--seen-in: none of the names ({name!r}"
                                  + "".join(f", {a!r}" for a in aliases or [])
                                  + f") occurs as a whole word in {d!r}; nothing was written")
        roles = []
        if role or words or document:
            if not (role and words and document):
                raise FactdbError("--role: a role needs --role, --document and --words (the "
                                  "document's words that give it)")
            document_text(corpus, before, document, "--document")
            roles.append({"role": role, "document": document,
                          **evidence(corpus, document, words, occurrence, notes)})
        ident = _new_id(corpus, id, draft.slug(name, 8), corpus.actors, "actor", notes)
        record = _clean({"id": ident, "name": name, "kind": kind, "description": description,
                         "party": party, "aliases": listed if seen_in else [],
                         "roles": roles})
        if aliases and not seen_in:
            record["aliases"] = [{"name": n} for n in dict.fromkeys([name, *aliases])]
        return _append(root, before, FILES["actors"], "actors", record, "actor", "actors",
                       notes)


def whole_word_in(text: str, name: str) -> bool:
    for start in occurrences(text, name):
        end = start + len(name)
        if (start == 0 or not text[start - 1].isalnum()) and \
                (end == len(text) or not text[end].isalnum()):
            return True
    return False


# -- documents -------------------------------------------------------------------------------
def add_document(root: Path, source: Path, *, id: str | None = None,
                 title: str | None = None, publisher: str | None = None,
                 author: str | None = None, url: str | None = None,
                 published: str | None = None, inferred_from: str | None = None,
                 language: str | None = None, translated_from: str | None = None) -> Added:
    """Copy an article's text into the seeds and write its document seed file."""
    root = Path(root)
    raw, text = draft.read_article(source)
    digest = hashlib.sha256(raw).hexdigest()
    with locked(root):
        corpus, before = _open(root)
        for doc_id, entry in corpus.documents.items():
            if entry.record.sha256 == digest:
                raise FactdbError(f"{source}: this text is in the seeds already, as document "
                                  f"{doc_id!r} ({entry.file}); nothing was written")
        notes: list[str] = []
        title = title or draft.first_line(text)
        if id is None:
            notes.append(f"title: {title!r}" + ("" if title else " (none found)"))
        ident = _new_id(corpus, id, draft.slug(title), corpus.documents, "document", notes)
        name, rel = f"{ident}.txt", f"documents/{ident}.yaml"
        for taken in (f"{TEXTS_DIR}/{name}", rel):
            if (root / taken).exists():
                raise FactdbError(f"--id: {taken} exists already in {root}; choose another id "
                                  "(--id); nothing was written")
        date = {"value": draft.VALUE_TODO, "basis": draft.BASIS_TODO}
        if published:
            got = date_option(published, "--published", ident, text, None, inferred_from)
            date = got.seed
            notes.append(got.how)
        record = _clean({
            "id": ident, "file": name, "sha256": digest, "title": title or None,
            "publisher": resolve_actor(corpus, publisher, "--publisher") if publisher else None,
            "author": author, "url": url, "language": language or draft.LANGUAGE_TODO,
            "machine_translation": True if translated_from else None,
            "translated_from": translated_from, "published": date})
        suggestions = draft.suggest_boilerplate(text)
        notes += [f"boilerplate? text line {s.line}: {s.kind} {s.words!r} (commented out in "
                  "the YAML: uncomment to confirm)" for s in suggestions]
        yaml_text = draft.document_yaml(record, Path(source), suggestions).encode("utf-8")
        _, after = load_changed(root, {rel: yaml_text, f"{TEXTS_DIR}/{name}": raw})
        new = introduced(before, after)
        todo = [p for p in new if p.message.startswith("still to fill")]
        if len(todo) != len(new):
            raise SeedErrors([p for p in new if p not in todo])
        for folder in (root / TEXTS_DIR, root / "documents"):
            make_folder(folder)
        write_atomic(root / TEXTS_DIR / name, raw)
        try:
            write_atomic(root / rel, yaml_text)
        except FactdbError:
            (root / TEXTS_DIR / name).unlink(missing_ok=True)
            raise
        return Added("document", ident, rel, 1, notes, todo)
