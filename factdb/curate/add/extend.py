"""`factdb add alias|role`: extend an actor already in the seeds, or change nothing.

The actor's record in actors.yaml gets one more item in its ``aliases:`` or ``roles:`` list
(the key is created at the end of the record when it has none); every other byte of the file
is kept. As with every add, the seeds are checked as they would be before anything is
written, under the lock on the seeds folder.
"""

from __future__ import annotations

from pathlib import Path

from factdb.curate.add.records import (
    Added,
    commit,
    document_text,
    evidence,
    seed_text,
    whole_word_in,
)
from factdb.curate.add.resolve import resolve_actor
from factdb.errors import FactdbError
from factdb.evidence.names import normalize_name
from factdb.seeds.load import Corpus, load_partial
from factdb.seeds.write import add_to_record, locked


def add_alias(root: Path, *, actor: str, name: str, seen_in: list[str]) -> Added:
    """Add ``name`` as an alias of ``actor``, seen in the documents ``seen_in``."""
    root = Path(root)
    name = name.strip()
    if not name:
        raise FactdbError("--name: give the name (it is empty)")
    with locked(root):
        corpus, before = load_partial(root)
        ident = resolve_actor(corpus, actor, "--actor")
        _no_one_called(corpus, name, ident)
        notes = []
        for doc in dict.fromkeys(seen_in):
            if not whole_word_in(document_text(corpus, before, doc, "--seen-in"), name):
                raise FactdbError(f"--seen-in: {name!r} does not occur as a whole word in "
                                  f"document {doc!r}; nothing was written")
            notes.append(f"name {name!r}: seen in {doc}")
        item = {"name": name, "seen_in": list(dict.fromkeys(seen_in))} if seen_in else {
            "name": name}
        return _extend(root, corpus, before, ident, "aliases", item, "alias", notes)


def add_role(root: Path, *, actor: str, role: str, document: str, words: str,
             occurrence: int | None = None) -> Added:
    """Add a role of ``actor`` that ``document`` gives in ``words``."""
    root = Path(root)
    if not role.strip():
        raise FactdbError("--role: give the role (it is empty)")
    with locked(root):
        corpus, before = load_partial(root)
        ident = resolve_actor(corpus, actor, "--actor")
        document_text(corpus, before, document, "--document")
        notes: list[str] = []
        item = {"role": role, "document": document,
                **evidence(corpus, document, words, occurrence, notes)}
        for given in corpus.actors[ident].record.roles:
            if (given.role, given.document, given.words) == (role, document, words):
                raise FactdbError(f"--role: {ident} has this role from these words of "
                                  f"{document!r} already; nothing was written")
        return _extend(root, corpus, before, ident, "roles", item, "role", notes)


def _no_one_called(corpus: Corpus, name: str, ident: str) -> None:
    for other, entry in corpus.actors.items():
        names = [entry.record.name, *(a.name for a in entry.record.aliases)]
        if any(normalize_name(n) == normalize_name(name) for n in names):
            whose = "this actor" if other == ident else f"another actor, {other}"
            raise FactdbError(f"--name: {name!r} is a name of {whose} already ({entry.file} "
                              f"line {entry.line}); nothing was written")


def _extend(root: Path, corpus: Corpus, before: list, ident: str, key: str, item: dict,
            kind: str, notes: list[str]) -> Added:
    """Write ``item`` into the actor's ``key`` list, if the seeds then have no new problem."""
    rel = corpus.actors[ident].file  # actors.yaml, or another file of actors
    text, line = add_to_record(seed_text(root, rel), "actors", ident, key, item, rel)
    commit(root, before, {rel: text.encode("utf-8")})
    return Added(kind, ident, rel, line, notes)
