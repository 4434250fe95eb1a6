"""`factdb diff`: what a change to the seeds does to the database, fact by fact.

Each side (a git revision's seeds, or the working tree's) is built with the ordinary build
into ``.factdb-cache/diff/`` at the top of the checkout, under a hash of the seeds it was
built from and of the code that built it; a side seen before is not built again. The two
databases are then compared (:mod:`factdb.curate.compare`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from factdb.curate.diff import revisions
from factdb.curate.diff.compare import Change, compare
from factdb.errors import FactdbError, SeedErrors
from factdb.store.db import MIGRATIONS

CACHE_SUBDIR = "diff"
KEEP = 6  # built databases kept in the cache; the least recently used go first
_PACKAGE = Path(__file__).resolve().parents[2]  # factdb/: its code decides what a build holds


@dataclass(frozen=True)
class Side:
    """One side of a diff: its label, and its commit (None for the working tree)."""

    label: str
    commit: str | None


@dataclass(frozen=True)
class Diff:
    old: Side
    new: Side
    seeds: str  # the seeds folder's path in the repository
    changes: list[Change]
    built: int  # how many sides had to be built (0 when both came from the cache)


def diff(seeds: Path, old: str | None = None, new: str | None = None) -> Diff:
    """Compare revision ``old`` (default HEAD) with ``new`` (default: the working tree)."""
    repo = revisions.checkout(seeds)
    first = revisions.revision(repo, old or "HEAD")
    second = revisions.revision(repo, new) if new is not None else None
    with _cache_folder(repo.top) as cache:
        old_db, built_old = _side_database(repo, first, Path(seeds), cache)
        new_db, built_new = _side_database(repo, second, Path(seeds), cache)
        changes = compare(old_db, new_db)
    return Diff(_side(first), _side(second), repo.seeds.as_posix(), changes,
                built_old + built_new)


def _side(rev: revisions.Revision | None) -> Side:
    if rev is None:
        return Side(revisions.WORKING_TREE, None)
    return Side(rev.label, rev.commit)


@contextlib.contextmanager
def _cache_folder(top: Path) -> Iterator[Path]:
    """The diff cache at the top of the checkout; a throwaway folder if it cannot be made."""
    from factdb.store.cache import CACHE_DIR

    folder = top / CACHE_DIR / CACHE_SUBDIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        with tempfile.TemporaryDirectory(prefix="factdb-diff-") as tmp:
            yield Path(tmp)
        return
    yield folder
    _prune(folder)


def _side_database(repo: revisions.Checkout, rev: revisions.Revision | None, seeds: Path,
                   cache: Path) -> tuple[Path, int]:
    """The database built from one side's seeds, and 1 if it had to be built (0 if cached).

    A revision's seeds are known by their git tree too (a file ``tree-TREE-CODE`` names the
    database), so a revision seen before is neither extracted nor hashed again.
    """
    if rev is None:
        return _built(seeds, revisions.WORKING_TREE, cache, repo.top)
    alias = cache / f"tree-{revisions.seeds_tree(repo, rev)}-{_code_key()[:16]}"
    with contextlib.suppress(OSError):
        db = cache / f"{alias.read_text(encoding='ascii').strip()}.db"
        if db.is_file():
            os.utime(db)  # recently used: kept longest
            return db, 0
    with tempfile.TemporaryDirectory(prefix="factdb-diff-") as tmp:
        folder = revisions.extract(repo, rev, Path(tmp))
        db, built = _built(folder, rev.label, cache, repo.top)
    with contextlib.suppress(OSError):
        alias.write_text(db.stem, encoding="ascii")
    return db, built


def _built(folder: Path, label: str, cache: Path, top: Path) -> tuple[Path, int]:
    if not folder.is_dir():  # said as the build says it (seeds.load is slow to import)
        from factdb.seeds.load import seed_files

        try:
            seed_files(folder)
        except FactdbError as exc:
            raise FactdbError(f"{label}: {exc}") from None
    db = cache / f"{tree_key(folder)}.db"
    if db.is_file():
        with contextlib.suppress(OSError):
            os.utime(db)  # recently used: kept longest
        return db, 0
    from factdb.store.build import build

    _borrow_empty_database(cache, top)
    try:
        build(folder, db)
    except SeedErrors as exc:
        raise FactdbError(f"{label}: the seeds do not build:\n{exc}") from None
    except FactdbError as exc:
        raise FactdbError(f"{label}: the seeds do not build: {exc}") from None
    return db, 1


def _borrow_empty_database(cache: Path, top: Path) -> None:
    """Start the diff's build cache with the empty migrated database of the builds at the
    top of the checkout, if they have one: a first diff then runs no migrations."""
    from factdb.store import cache as buildcache

    own = buildcache.folder_for(cache / "side.db")
    theirs = buildcache.folder_for(top / "factdb.db")
    probe = cache / f".empty-{os.getpid()}.db"
    ignored: list[str] = []  # a damaged cache here only means migrating; nothing to say
    try:
        if not buildcache.copy_empty(own, MIGRATIONS, probe, ignored) and \
                buildcache.copy_empty(theirs, MIGRATIONS, probe, ignored):
            buildcache.keep_empty(own, MIGRATIONS, probe)
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def tree_key(folder: Path) -> str:
    """A hash of every file below ``folder`` (names and bytes) and of the building code."""
    h = hashlib.blake2b(digest_size=16)
    h.update(_code_key().encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not _ours(p)):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(str(path.stat().st_size).encode() + b"\0")
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


def _ours(path: Path) -> bool:
    """A file of factdb's build cache (when the seeds folder also holds a database)."""
    from factdb.store.cache import CACHE_DIR

    return CACHE_DIR in path.parts


@functools.cache
def _code_key() -> str:
    """The code that turns seeds into a database: a new factdb starts the cache afresh."""
    h = hashlib.blake2b(digest_size=16)
    for folder in (_PACKAGE, MIGRATIONS):
        for path in sorted(folder.rglob("*.py")):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _prune(folder: Path) -> None:
    """Keep the ``KEEP`` most recently used databases, and the trees that name them (best
    effort)."""
    with contextlib.suppress(OSError):
        dbs = sorted(folder.glob("*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in dbs[KEEP:]:
            old.unlink()
        kept = {db.stem for db in dbs[:KEEP]}
        for alias in folder.glob("tree-*"):
            if alias.read_text(encoding="ascii").strip() not in kept:
                alias.unlink()
