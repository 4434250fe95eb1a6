"""Datasette's configuration in files, and `factdb serve`: write the JSON (refusing to
overwrite what factdb did not write) and run Datasette on it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from factdb.errors import FactdbError
from factdb.store.db import database_file, is_sqlite_file
from factdb.web.config import configuration
from factdb.web.scale import SETTINGS

# The top-level key that marks a configuration file factdb wrote (Datasette ignores it):
# `factdb datasette-config` overwrites only files that have it.
MARK = "factdb_datasette_config"
MARK_NOTE = "written by `factdb datasette-config`, which rewrites this file: edits are lost"


def write(db: Path, output: Path, force: bool = False) -> list[tuple[str, Path]]:
    """Write the configuration as JSON: the first file to ``output``, any other beside it.

    A file there already is overwritten only if factdb wrote it (its ``MARK`` key) or it is
    empty, or with ``force``; never the database itself, nor anything but a regular file.
    Returns each file's Datasette option and path, in order.
    """
    output = Path(output)
    contents = configuration(db)  # a missing or foreign database is said before any write
    paths = [output if i == 0 else output.with_name(f"{output.stem}{option}{output.suffix}")
             for i, option in enumerate(contents)]
    targets = [_writable(path, Path(db), force) for path in paths]
    written = []
    for path, target, (option, content) in zip(paths, targets, contents.items(), strict=True):
        text = json.dumps({MARK: MARK_NOTE, **content}, indent=2, ensure_ascii=False) + "\n"
        part = target.with_name(f".{target.name}.{os.getpid()}.part")
        try:
            part.write_text(text, encoding="utf-8")
            os.replace(part, target)  # whole or not at all
        except OSError as exc:
            raise FactdbError(f"{path}: could not write it ({exc.strerror})") from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                part.unlink()
        written.append((option, path))
    return written


def _writable(path: Path, db: Path, force: bool) -> Path:
    """The file to write for ``path``: refuse to overwrite what factdb did not write."""
    target = database_file(path, "--output", "a file to write")
    if not target.exists() or target.stat().st_size == 0:
        return target
    if db.exists() and os.path.samefile(target, db):
        raise FactdbError(f"{path}: is the database itself; refusing to overwrite it with its "
                          "configuration (choose another --output)")
    if _written_by_factdb(target) or force:
        return target
    what = "a SQLite database" if is_sqlite_file(target) else "a file"
    raise FactdbError(f"{path}: exists and is {what} factdb did not write; refusing to overwrite "
                      "it (choose another --output, or pass --force)")


def _written_by_factdb(path: Path) -> bool:
    if path.stat().st_size > 16 * 2**20:  # ours are a few hundred KiB
        return False
    try:
        content = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(content, dict) and MARK in content


def serve_args(db: Path, files: list[tuple[str, Path]], host: str, port: int) -> list[str]:
    """The `datasette` command-line arguments that serve ``db`` read-only with ``files``."""
    args = ["serve", "-i", str(db), "--host", host, "--port", str(port)]
    for option, path in files:
        args += [option, str(path)]
    return args + setting_args()


def setting_args() -> list[str]:
    """Datasette's ``--setting NAME VALUE`` for each of factdb's settings."""
    return [arg for name, value in SETTINGS.items() for arg in ("--setting", name, value)]


def serve(db: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Run Datasette on ``db`` (immutable) with factdb's configuration until interrupted."""
    with tempfile.TemporaryDirectory(prefix="factdb-datasette-") as tmp:
        files = write(db, Path(tmp) / "metadata.json")
        from datasette.cli import cli

        cli.main(serve_args(db, files, host, port), prog_name="datasette",
                 standalone_mode=False)
