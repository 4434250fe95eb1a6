"""Validate a seeds folder as it would be after a change, without touching it.

The change is laid over a mirror of the folder (its own folders, links to every file, the
changed files written out) in a temporary directory, which the loader reads as it would
read the real one; problems name files relative to the seeds folder, as `factdb check` does.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from factdb.errors import Problem
from factdb.seeds.load import Corpus, load_partial


def load_changed(root: Path, changes: dict[str, bytes]) -> tuple[Corpus, list[Problem]]:
    """What the loader makes of ``root`` with ``changes`` (relative path -> new bytes)."""
    root = Path(root).resolve()
    with tempfile.TemporaryDirectory(prefix="factdb-add-") as tmp:
        mirror = Path(tmp) / "seeds"
        for folder, _dirs, files in os.walk(root):
            rel = Path(folder).relative_to(root)
            (mirror / rel).mkdir(parents=True, exist_ok=True)
            for name in files:
                key = (rel / name).as_posix()
                if key not in changes:
                    (mirror / rel / name).symlink_to(Path(folder) / name)
        for key, data in changes.items():
            target = mirror / key
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        corpus, problems = load_partial(mirror)
        corpus.root = root
        return corpus, problems


def introduced(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """The problems a change adds (those the seeds had already are not its doing)."""
    known = {(p.file, p.field, p.message) for p in before}
    return [p for p in after if (p.file, p.field, p.message) not in known]
