"""Git access for `factdb diff`: find the checkout, name a revision, extract its seeds.

Every git failure a user can cause (no git, not a checkout, an unknown revision, a revision
without the seeds folder) becomes a one-line FactdbError.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from factdb.errors import FactdbError

WORKING_TREE = "working tree"


@dataclass(frozen=True)
class Checkout:
    """The git checkout that holds the seeds, and the seeds folder's path inside it."""

    top: Path
    seeds: PurePosixPath  # relative to ``top``; "." when the seeds are the whole repository


@dataclass(frozen=True)
class Revision:
    """A revision as the user named it, and the commit it stands for."""

    name: str
    commit: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.commit[:7]})"


def _git(cwd: Path, *args: str, stdin: bool = False) -> subprocess.Popen:
    env = {**os.environ, "LC_ALL": "C"}  # git's own messages, untranslated
    try:
        return subprocess.Popen(["git", *args], cwd=cwd, stdout=subprocess.PIPE,
                                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env)
    except FileNotFoundError:
        raise FactdbError("git is not installed (or not on PATH); `factdb diff` reads the "
                          "seeds of git revisions, so it needs git") from None


def _run(cwd: Path, *args: str) -> tuple[int, str, str]:
    proc = _git(cwd, *args)
    out, errors = proc.communicate()
    return proc.returncode, out.decode("utf-8", "replace"), errors.decode("utf-8", "replace")


def checkout(seeds: Path) -> Checkout:
    """The checkout holding ``seeds`` (a folder that may exist only in some revisions)."""
    here = Path(os.path.abspath(seeds))
    while not here.is_dir():  # git needs an existing folder to start from
        here = here.parent
    code, out, _ = _run(here, "rev-parse", "--show-toplevel")
    try:
        if code != 0:
            raise ValueError
        top = Path(out.strip())
        relative = Path(seeds).resolve().relative_to(top.resolve())
    except ValueError:
        raise FactdbError(f"{seeds}: not in a git checkout; `factdb diff` compares git "
                          "revisions of the seeds (run it inside the repository)") from None
    return Checkout(top, PurePosixPath(relative.as_posix()))


def revision(repo: Checkout, name: str) -> Revision:
    """The commit ``name`` stands for; a FactdbError if git knows none."""
    code, out, _ = _run(repo.top, "rev-parse", "--verify", "--quiet", "--end-of-options",
                        f"{name}^{{commit}}")
    if code != 0:
        hint = ""
        if name == "HEAD" and _run(repo.top, "rev-parse", "--verify", "--quiet", "HEAD")[0]:
            hint = " (the repository has no commits yet)"
        raise FactdbError(f"unknown revision '{name}': git knows no commit by that "
                          f"name{hint}; see `git log --oneline`")
    return Revision(name, out.strip())


def seeds_tree(repo: Checkout, rev: Revision) -> str:
    """The git tree of the seeds folder in ``rev`` (its contents' hash, by git)."""
    spec = f"{rev.commit}:{'' if str(repo.seeds) == '.' else repo.seeds}"
    proc = _git(repo.top, "cat-file", "--batch-check", stdin=True)
    out, _ = proc.communicate(spec.encode() + b"\n")
    found = out.decode("utf-8", "replace").split()
    if proc.returncode != 0 or len(found) != 3 or found[1] != "tree":
        what = (f"a file, not a folder, at {repo.seeds}" if len(found) == 3
                else f"no folder {repo.seeds}/")
        raise FactdbError(f"revision {rev.label} has {what}; pass --seeds with the seeds "
                          "folder's path in the repository")
    return found[0]


def extract(repo: Checkout, rev: Revision, into: Path) -> Path:
    """Write the seeds folder of ``rev`` below ``into``; return the extracted folder."""
    seeds_tree(repo, rev)  # a missing folder said plainly, not as git archive's failure
    proc = _git(repo.top, "archive", "--format=tar", rev.commit, "--", str(repo.seeds))
    assert proc.stdout is not None and proc.stderr is not None
    failure = None
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as exc:
        failure = str(exc)
    finally:
        proc.stdout.close()  # if extracting failed, git stops on a broken pipe
        errors = proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
        proc.wait()
    if proc.returncode > 0:  # git's own failure (a signal means ours, below)
        said = errors[-1].removeprefix("fatal: ").removeprefix("error: ") if errors else ""
        raise FactdbError(f"revision {rev.label}: git could not archive {repo.seeds}/ "
                          f"({said or f'exit status {proc.returncode}'}); "
                          "`git fsck` checks the repository")
    if failure is not None:
        raise FactdbError(f"revision {rev.label}: could not extract {repo.seeds}/ into "
                          f"{into} ({failure})")
    folder = into / repo.seeds
    folder.mkdir(parents=True, exist_ok=True)  # an empty tree archives to nothing
    return folder
