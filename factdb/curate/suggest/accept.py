"""`factdb suggest --write`: add the drafted statements to the seeds, the way `factdb add` does.

Under the lock on the seeds folder: the drafts (:func:`factdb.curate.suggest.suggest`) at or
above a confidence are taken one at a time, the new actors a draft names first
(appended to actors.yaml), then the statement (appended to its document's seed file). Each
is checked on an overlay of the seeds with the changes kept so far, as `factdb check` would;
one that would bring a problem is refused with it, and the others go on. The files are then
written, each atomically, keeping every other byte. Nothing is written when the seeds have
problems to begin with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from factdb.curate.add.records import FILES, commit, seed_text
from factdb.curate.suggest.drafts import Draft, NewActor
from factdb.curate.suggest.find import suggest
from factdb.errors import FactdbError, SeedErrors
from factdb.seeds.load import load_partial
from factdb.seeds.write import append_record, locked


@dataclass(frozen=True)
class Outcome:
    """What became of one draft (or of a new actor a draft needed)."""

    kind: str  # "statement" or "actor"
    id: str
    document: str
    confidence: float | None
    written: bool
    where: str  # FILE:LINE when written
    reason: str  # why it was refused or left out ("" when written)


def write_drafts(root: Path, document: str | None = None,
                 min_confidence: float = 0.0) -> list[Outcome]:
    """Write the drafts for ``document`` (or every document) whose confidence is at least
    ``min_confidence``; each draft's outcome, in the order of the drafts."""
    root = Path(root)
    if not 0.0 <= min_confidence <= 1.0:
        raise FactdbError(f"--min-confidence: {min_confidence} is not between 0 and 1")
    with locked(root):
        corpus, before = load_partial(root)
        if before:
            listing = "\n".join(f"  {p}" for p in before[:20])
            more = f"\n  ... and {len(before) - 20} more" if len(before) > 20 else ""
            raise FactdbError("the seeds have problems; fix them first (`factdb check` lists "
                              f"them); nothing was written:\n{listing}{more}")
        found = suggest(root, document)
        files = {doc: entry.file for doc, entry in corpus.documents.items()}
        return _Writer(root, before, files, {a.id: a for a in found.new_actors}).run(
            found.drafts, min_confidence)


class _Writer:
    """The changes kept so far (relative path -> text), grown one checked record at a time."""

    def __init__(self, root: Path, before: list, files: dict[str, str],
                 new_actors: dict[str, NewActor]) -> None:
        self.root, self.before, self.files, self.new_actors = root, before, files, new_actors
        self.texts: dict[str, str] = {}
        self.added: dict[str, str] = {}  # new actor id -> where it was written

    def run(self, drafts: tuple[Draft, ...], min_confidence: float) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for d in drafts:
            if d.confidence < min_confidence:
                outcomes.append(self._outcome(d, False, "", f"left out: confidence "
                                              f"{d.confidence:.2f} is below {min_confidence}"))
            elif d.speaker is None:
                outcomes.append(self._outcome(d, False, "", "no speaker found; add it with "
                                              "`factdb add statement --speaker ...`"))
            else:
                outcomes += self._with_speaker(d)
        if self.texts:  # actors.yaml first: the statements name its actors
            changes = self._encoded()
            first = {k: changes.pop(k) for k in [FILES["actors"]] if k in changes}
            commit(self.root, self.before, {**first, **changes})
        return outcomes

    def _with_speaker(self, d: Draft) -> list[Outcome]:
        """The draft, after its new speaker when it has one not added yet; both or neither."""
        kept = dict(self.texts)
        done = []
        if d.new_speaker and d.speaker not in self.added:
            actor = self.new_actors[d.speaker or ""]
            record = {"id": actor.id, "name": actor.name, "kind": actor.kind,
                      "aliases": [{"name": actor.name, "seen_in": list(actor.seen_in)}]}
            where, why = self._try(FILES["actors"], "actors", record)
            if why:
                return [self._outcome(d, False, "", f"its new speaker {actor.id!r} cannot be "
                                      f"added: {why}")]
            done.append(Outcome("actor", actor.id, d.document, None, True, where, ""))
        statement = self._statement(d)
        if not statement.written:
            self.texts = kept  # (a new speaker only this draft needed goes too)
            return [statement]
        self.added.update((o.id, o.where) for o in done)
        return [*done, statement]

    def _statement(self, d: Draft) -> Outcome:
        rel = self.files[d.document]
        where, why = self._try(rel, "statements", d.seed(with_document=False))
        return self._outcome(d, not why, where, why)

    def _try(self, rel: str, section: str, record: dict) -> tuple[str, str]:
        """Add ``record`` to the changes if the seeds stay sound: (FILE:LINE, "") or
        ("", the problems it would bring)."""
        try:
            text = self.texts[rel] if rel in self.texts else seed_text(self.root, rel)
            new_text, line = append_record(text, section, record, rel)
            commit(self.root, self.before, {**self._encoded(), rel: new_text.encode("utf-8")},
                   write=False)
        except SeedErrors as exc:
            return "", "; ".join(str(p) for p in exc.problems)
        except FactdbError as exc:
            return "", str(exc)
        self.texts[rel] = new_text
        return f"{rel}:{line}", ""

    def _encoded(self) -> dict[str, bytes]:
        return {rel: text.encode("utf-8") for rel, text in self.texts.items()}

    @staticmethod
    def _outcome(d: Draft, written: bool, where: str, reason: str) -> Outcome:
        return Outcome("statement", d.id, d.document, d.confidence, written, where, reason)
