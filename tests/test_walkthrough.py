"""The README's "Add an article" walkthrough, run as written, in a copy of the repository.

The commands are read from the ```sh blocks of the README section itself, so the README
cannot drift from what is tested: a scratch repository holds a copy of seeds/ (committed
once, so `factdb diff` has a HEAD to compare with) and the fixture article; each block's
commands run there through the real CLI, must exit 0, and must print every line of the
output block shown after them in the README (in order; `...` stands for text left out,
as a line or inside one; line numbers in seed files are not pinned, as seeds/ grows). The
grown seeds are then built and must hold every curation invariant.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factdb.cli import app
from tests.conftest import ROOT, SEEDS
from tests.curation_invariants import violations
from tests.test_grown_seeds import ARTICLE, article_files

README = ROOT / "README.md"
SECTION = "add"
PREFIX = ["uv", "run", "factdb"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Curator", "GIT_AUTHOR_EMAIL": "curator@example.org",
    "GIT_COMMITTER_NAME": "Curator", "GIT_COMMITTER_EMAIL": "curator@example.org",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


@dataclass(frozen=True)
class Step:
    """One ```sh block of the walkthrough: its commands, and the output shown after it."""

    line: int  # of the README
    commands: list[list[str]]
    expected: list[str] | None


def section(text: str, name: str = SECTION) -> tuple[int, str]:
    """The README section between its markers, and the README line it starts on."""
    start = text.index(f"<!-- section: {name} -->")
    end = text.index(f"<!-- /section: {name} -->")
    return text.count("\n", 0, start) + 1, text[start:end]


def steps(text: str) -> list[Step]:
    """The ```sh blocks of the section whose lines are `uv run factdb ...` commands."""
    first, body = section(text)
    blocks = list(re.finditer(r"^```(\w*)\n(.*?)^```\n", body, re.M | re.S))
    found = []
    for i, block in enumerate(blocks):
        lines = [ln for ln in block[2].splitlines() if ln.strip() and not ln.startswith("#")]
        if block[1] != "sh" or not lines:
            continue
        commands = [shlex.split(ln) for ln in lines]
        if not all(c[:3] == PREFIX for c in commands):
            continue
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        shown = after is not None and after[1] == "" and not body[block.end():after.start()].strip()
        found.append(Step(first + body.count("\n", 0, block.start()), commands,
                          after[2].splitlines() if shown else None))
    return found


def commands() -> list[list[str]]:
    """Every walkthrough command, as typed (for measuring it)."""
    return [c for s in steps(README.read_text(encoding="utf-8")) for c in s.commands]


def scratch_repository(top: Path) -> Path:
    """A git repository holding seeds/ (one commit; without the fixture article, should a
    curator have added it to seeds/) and the fixture article where the README says."""
    top.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SEEDS, top / "seeds")
    for place in [*article_files(), Path("texts/aldwick-gazette-winter-ferry.txt"),
                  Path("documents/aldwick-gazette-winter-ferry.yaml")]:
        (top / "seeds" / place).unlink(missing_ok=True)
    text = ARTICLE / "aldwick-winter-ferry.txt"
    (top / text.relative_to(ROOT)).parent.mkdir(parents=True)
    shutil.copyfile(text, top / text.relative_to(ROOT))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | GIT_ENV
    for git in (["init", "-q"], ["add", "seeds"], ["commit", "-q", "-m", "seeds"]):
        subprocess.run(["git", *git], cwd=top, env=env, check=True)
    return top


def _pattern(line: str) -> re.Pattern:
    parts = [re.escape(p) for p in line.rstrip().split("...")]
    body = ".*".join(parts)
    body = re.sub(r"\\\.yaml:\d+", r"\\.yaml:\\d+", body)  # line numbers in seed files
    return re.compile(body + r"\s*$")


def missing(expected: list[str], output: str) -> list[str]:
    """The expected lines not found in ``output``, in order (a `...` line skips any)."""
    got = output.splitlines()
    at, lost = 0, []
    for line in expected:
        if line.strip() in ("...", ""):
            continue
        pattern = _pattern(line)
        for i in range(at, len(got)):
            if pattern.match(got[i]):
                at = i + 1
                break
        else:
            lost.append(line)
    return lost


def run(command: list[str]):
    return CliRunner().invoke(app, command[len(PREFIX):], catch_exceptions=False)


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory):
    """The scratch repository after the walkthrough, and each step with its output."""
    top = scratch_repository(tmp_path_factory.mktemp("walkthrough") / "repo")
    done = []
    with pytest.MonkeyPatch.context() as mp:
        for name in [k for k in os.environ if k.startswith("GIT_")]:
            mp.delenv(name)  # (set when run from a git hook: they would point at this repo)
        mp.chdir(top)
        for step in steps(README.read_text(encoding="utf-8")):
            results = [(c, run(c)) for c in step.commands]
            done.append((step, results))
            if any(r.exit_code for _, r in results):
                break
    return top, done


def test_the_section_has_a_walkthrough():
    found = steps(README.read_text(encoding="utf-8"))
    assert len(found) >= 5 and sum(len(s.commands) for s in found) >= 15
    typed = [" ".join(c[3:5]) for s in found for c in s.commands]
    for needed in ("add document", "suggest --doc", "add actor", "add alias", "add role",
                   "add statement", "add event", "add relation", "check", "coverage --doc",
                   "diff", "build", "query said"):
        assert any(t.startswith(needed) for t in typed), needed
    assert all(s.expected for s in found), "every step shows its output"


def test_every_step_exits_0_and_prints_what_the_readme_shows(walked):
    _, done = walked
    assert len(done) == len(steps(README.read_text(encoding="utf-8")))
    for step, results in done:
        output = "".join(r.output for _, r in results)
        for command, result in results:
            assert result.exit_code == 0, f"README line {step.line}: {shlex.join(command)}:\n" \
                                          f"{result.output}"
        assert missing(step.expected or [], output) == [], \
            f"README line {step.line}: output differs:\n{output}"


def test_the_grown_seeds_hold_every_curation_invariant(walked):
    top, _ = walked
    assert (top / "factdb.db").is_file(), "the walkthrough builds factdb.db"
    found = violations(top / "factdb.db", top / "seeds")
    assert {name: v for name, v in found.items() if v} == {}


def test_the_matcher_fails_on_a_line_the_output_does_not_have():
    output = "added actor maria-okafor to seeds/actors.yaml:481\n  id: maria-okafor\n"
    assert missing(["added actor maria-okafor to seeds/actors.yaml:12", "..."], output) == []
    assert missing(["added ... to seeds/actors.yaml:1"], output) == []
    assert missing(["  id: maria-okafor", "added actor maria-okafor to seeds/actors.yaml:1"],
                   output) == ["added actor maria-okafor to seeds/actors.yaml:1"]
    assert missing(["added actor hale to seeds/actors.yaml:481"], output) != []


if __name__ == "__main__":  # print each step's real output, to write the README from
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        top = scratch_repository(Path(tmp) / "repo")
        os.chdir(top)
        for step in steps(README.read_text(encoding="utf-8")):
            for command in step.commands:
                result = run(command)
                print(f"$ {shlex.join(command)}  [exit {result.exit_code}]")
                sys.stdout.write(result.output)
