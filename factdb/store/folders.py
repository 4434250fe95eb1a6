"""The folder a command is about to write into: there, a folder, and writable."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from factdb.errors import FactdbError


def check_writable_folder(name: Path | str, folder: Path) -> None:
    """Refuse (FactdbError, naming ``name``) a ``folder`` that is a file, is missing, or
    cannot take a new file."""
    if folder.exists() and not folder.is_dir():
        raise FactdbError(f"{name}: {folder} is a file, not a folder")
    if not folder.is_dir():
        raise FactdbError(f"{name}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise FactdbError(f"{name}: folder {folder} is not writable")
    try:  # access() says yes to root everywhere; only creating a file tells
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise FactdbError(f"{name}: cannot create files in folder {folder} "
                          f"({exc.strerror})") from None
