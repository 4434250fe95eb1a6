"""Validate a seeds folder as it would be after a change, without touching it.

The change is laid over a mirror of the folder (its own folders, links to every file, the
changed files written out) in a temporary directory, which the loader reads as it would
read the real one; problems name files relative to the seeds folder, as `factdb check` does.
Document texts must not lead out of the mirror's texts/ folder (the loader refuses links
that do), so texts/ is linked whole, or, when the change adds a text, its files are
hard-linked (copied across file systems).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from factdb.errors import Problem
from factdb.seeds.load import Corpus, load_partial
from factdb.seeds.texts import TEXTS_DIR


def load_changed(root: Path, changes: dict[str, bytes]) -> tuple[Corpus, list[Problem]]:
    """What the loader makes of ``root`` with ``changes`` (relative path -> new bytes)."""
    root = Path(root).resolve()
    with tempfile.TemporaryDirectory(prefix="factdb-add-") as tmp:
        mirror = Path(tmp) / "seeds"
        texts_changed = any(key.startswith(f"{TEXTS_DIR}/") for key in changes)
        for folder, dirs, files in os.walk(root):
            rel = Path(folder).relative_to(root)
            (mirror / rel).mkdir(parents=True, exist_ok=True)
            if rel == Path(".") and TEXTS_DIR in dirs and not texts_changed:
                dirs.remove(TEXTS_DIR)
                (mirror / TEXTS_DIR).symlink_to(root / TEXTS_DIR, target_is_directory=True)
            in_texts = rel.parts[:1] == (TEXTS_DIR,)
            for name in files:
                key = (rel / name).as_posix()
                if key in changes:
                    continue
                if in_texts:
                    _hard_link(Path(folder) / name, mirror / rel / name)
                else:
                    (mirror / rel / name).symlink_to(Path(folder) / name)
        for key, data in changes.items():
            target = mirror / key
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        corpus, problems = load_partial(mirror)
        corpus.root = root
        return corpus, problems


def _hard_link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        with contextlib.suppress(OSError):  # unreadable: the loader names it
            shutil.copyfile(source, target)


def introduced(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """The problems a change adds (those the seeds had already are not its doing)."""
    known = {(p.file, p.field, p.message) for p in before}
    return [p for p in after if (p.file, p.field, p.message) not in known]
