"""The export's folder: checked before anything is read, written beside it, swapped in whole.

The files are written into a temporary folder next to ``--output`` and renamed into place
only once all of them are written, so a failed or killed export leaves the previous folder
as it was. A folder that factdb export wrote holds ``factdb-export.json`` (the manifest:
files, row counts, the database's sha256 and schema revision); any other folder that holds
something is refused unless ``force``, and so is one holding files its manifest does not list.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factdb.errors import FactdbError
from factdb.store.folders import check_writable_folder

MANIFEST = "factdb-export.json"
TMP_PREFIX = ".factdb-export-"


def check_output(output: Path, force: bool) -> None:
    """Refuse an --output that cannot take an export (FactdbError), before any work."""
    parent = output.parent
    if output.exists() and not output.is_dir():
        raise FactdbError(f"{output}: is a file; --output takes a folder (the export writes "
                          "one file per table into it)")
    here = Path.cwd().resolve()
    if output.resolve() in (here, *here.parents):  # (its parent exists: checked first)
        raise FactdbError(f"{output}: is the current folder or holds it; give a folder of its "
                          "own, such as --output export")
    check_writable_folder(output, parent)
    if force or not output.is_dir():
        return
    present = sorted(p.name for p in output.iterdir())
    if not present:
        return
    listed = _listed(output)
    if listed is None:
        raise FactdbError(f"{output}: folder is not empty and factdb export did not write it "
                          f"(it has no {MANIFEST}); refusing to replace it: choose another "
                          "--output, or pass --force to replace the folder and all it holds")
    others = [name for name in present if name not in listed]
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise FactdbError(f"{output}: folder holds files the last export did not write "
                          f"({shown}); refusing to replace them: move them away, choose another "
                          "--output, or pass --force")


def _listed(output: Path) -> set[str] | None:
    """The files a previous export's manifest lists (with the manifest), or None if none."""
    try:
        manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        return {MANIFEST, *(entry["file"] for entry in manifest["files"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")


@contextlib.contextmanager
def staging(output: Path) -> Iterator[Path]:
    """A temporary folder beside ``output``; on leaving the block without error it replaces
    ``output``. Any OSError (a full disk) becomes a FactdbError and ``output`` is untouched."""
    tmp: Path | None = None
    try:
        _remove_stale(output)
        tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-{output.name}-",
                                    dir=output.parent))
        yield tmp
        mask = os.umask(0)
        os.umask(mask)
        tmp.chmod(0o777 & ~mask)  # mkdtemp makes it private; an export is an ordinary folder
        _swap(tmp, output)
    except OSError as exc:
        raise FactdbError(f"{output}: could not write the export ({exc.strerror or exc}); "
                          f"{output} is unchanged") from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _remove_stale(output: Path) -> None:
    """Delete the folders that exports to ``output`` left when they were killed."""
    for path in output.parent.glob(f"{TMP_PREFIX}*-{output.name}*"):
        pid = path.name[len(TMP_PREFIX):].split("-", 1)[0]
        if path.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _swap(tmp: Path, output: Path) -> None:
    if not output.exists() or not any(output.iterdir()):
        os.rename(tmp, output)  # replaces an empty folder in one step
    else:
        old = output.parent / f"{TMP_PREFIX}{os.getpid()}-old-{output.name}"
        os.rename(output, old)
        try:
            os.rename(tmp, output)
        except OSError:
            os.rename(old, output)
            raise
        shutil.rmtree(old, ignore_errors=True)
    fd = os.open(output.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
