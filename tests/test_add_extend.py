"""`factdb add alias|role`: an actor already in the seeds gets one more name or role, every
other byte of its file stays as it was, and bad input is refused with the seeds unchanged."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from factdb.curate.add.extend import add_role
from factdb.curate.check import check
from factdb.seeds.write import add_to_record
from tests.conftest import FIXTURES, ROOT, SEEDS
from tests.test_errors import _code_spans

ADD = FIXTURES / "add"
DOC = "harbour-news"


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ADD / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "seeds"


def ok(cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def snapshot(seeds: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in seeds.rglob("*") if p.is_file()}


def inserted(before: str, after: str) -> list[str]:
    """The lines ``after`` adds to ``before``, asserting it only inserts whole lines, in one
    place (the first place that explains the change)."""
    old, new = before.splitlines(True), after.splitlines(True)
    n = len(new) - len(old)
    assert n > 0
    for at in range(len(old) + 1):
        if new[:at] == old[:at] and new[at + n:] == old[at:]:
            return new[at:at + n]
    raise AssertionError("not one block of inserted lines")


def test_an_alias_goes_into_the_actors_block_list(cli, seeds: Path) -> None:
    before = (seeds / "actors.yaml").read_text()
    out = ok(cli, "add", "alias", "--actor", "Erik Berg", "--name", "Harbour director Erik "
             "Berg", "--seen-in", DOC)
    assert "added alias to actor erik-berg in seeds/actors.yaml:" in out
    after = (seeds / "actors.yaml").read_text()
    block = "      - name: Harbour director Erik Berg\n        seen_in: [harbour-news]\n"
    assert len(inserted(before, after)) == 2
    assert after.replace(block, "", 1) == before
    assert "seen_in: [harbour-news]\n" + block + "\n  - id: anna-berg" in after
    line = int(out.split("actors.yaml:")[1].split()[0])
    assert after.splitlines()[line - 1] == "      - name: Harbour director Erik Berg"
    assert check(seeds).counts["actor_aliases"] == 4


def test_an_alias_follows_the_style_of_the_items_before_it(cli, seeds: Path) -> None:
    before = (seeds / "actors.yaml").read_text()
    ok(cli, "add", "alias", "--actor", "harbour-herald", "--name", "the Herald")
    assert inserted(before, (seeds / "actors.yaml").read_text()) == [
        "      - {name: the Herald}\n"]
    check(seeds)


def test_a_role_creates_the_key_at_the_end_of_the_record(cli, seeds: Path) -> None:
    before = (seeds / "actors.yaml").read_text()
    ok(cli, "add", "role", "--actor", "Erik Berg", "--role", "Director of Tromsø harbour",
       "--document", DOC, "--words", "Harbour director Erik Berg")
    lines = inserted(before, (seeds / "actors.yaml").read_text())
    assert lines == ["    roles:\n", "      - role: Director of Tromsø harbour\n",
                     "        document: harbour-news\n",
                     "        words: Harbour director Erik Berg\n"]
    # and a second role goes after the first
    ok(cli, "add", "role", "--actor", "erik-berg", "--role", "Source of the Herald",
       "--document", DOC, "--words", "Berg told the Harbour Herald")
    text = (seeds / "actors.yaml").read_text()
    assert text.index("Director of Tromsø harbour") < text.index("Source of the Herald") < \
        text.index("- id: anna-berg")
    assert check(seeds).counts["actor_roles"] == 2


def test_real_actors_file_changes_no_other_byte(cli, tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    seeds = tmp_path / "seeds"
    before = (seeds / "actors.yaml").read_text()
    ok(cli, "add", "alias", "--actor", "Sergey Lavrov", "--name", "Russian Foreign Minister "
       "Sergei Lavrov", "--seen-in", "plainsmen-post-dialogue-options")
    middle = (seeds / "actors.yaml").read_text()
    assert len(inserted(before, middle)) == 2
    ok(cli, "add", "role", "--actor", "Lavrov", "--role", "Minister", "--document",
       "plainsmen-post-dialogue-options", "--words", "Russian Foreign Minister Sergei Lavrov")
    assert len(inserted(middle, (seeds / "actors.yaml").read_text())) == 3
    check(seeds)


@pytest.mark.parametrize(("args", "message"), [
    (["alias", "--actor", "nobody", "--name", "X"], "--actor: no actor 'nobody'"),
    (["alias", "--actor", "Berg", "--name", "X"], "--actor: 'Berg' matches 2 actors"),
    (["alias", "--actor", "anna-berg", "--name", "Erik Berg"],
     "--name: 'Erik Berg' is a name of another actor, erik-berg already"),
    (["alias", "--actor", "erik-berg", "--name", "Erik Berg", "--seen-in", DOC],
     "--name: 'Erik Berg' is a name of this actor already"),
    (["alias", "--actor", "anna-berg", "--name", "Anna", "--seen-in", DOC],
     "--seen-in: 'Anna' does not occur as a whole word in document 'harbour-news'"),
    (["alias", "--actor", "anna-berg", "--name", "Anna", "--seen-in", "nope"],
     "--seen-in: no document 'nope'"),
    (["alias", "--actor", "anna-berg", "--name", "  "], "--name: give the name"),
    (["role", "--actor", "anna-berg", "--role", "Mayor", "--document", DOC, "--words",
      "the mayor"], "--words: the words are not in document 'harbour-news'"),
    (["role", "--actor", "anna-berg", "--role", "Mayor", "--document", "nope", "--words",
      "x"], "--document: no document 'nope'"),
])
def test_bad_input_is_refused_and_the_seeds_are_unchanged(cli, seeds: Path, args, message):
    before = snapshot(seeds)
    result = cli("add", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(seeds) == before


def test_an_actor_file_that_does_not_parse_is_not_touched(cli, seeds: Path) -> None:
    path = seeds / "actors.yaml"
    path.write_text(path.read_text() + "  - id: [broken\n")
    before = snapshot(seeds)
    result = cli("add", "role", "--actor", "erik-berg", "--role", "Director", "--document",
                 DOC, "--words", "Harbour director Erik Berg")
    assert result.exit_code == 1
    assert snapshot(seeds) == before


def test_a_role_the_actor_has_already_is_refused(cli, seeds: Path) -> None:
    args = ["add", "role", "--actor", "erik-berg", "--role", "Director", "--document", DOC,
            "--words", "Harbour director Erik Berg"]
    ok(cli, *args)
    before = snapshot(seeds)
    result = cli(*args)
    assert result.exit_code == 1
    assert "has this role from these words of 'harbour-news' already" in result.stderr
    assert snapshot(seeds) == before


def test_the_item_lands_in_the_record_and_list_asked_for() -> None:
    text = ("actors:\n"
            "  - id: a\n    name: A\n    aliases:\n      - name: A\n\n"
            "  # -- organisations --\n"
            "  - id: b\n    name: B\n    aliases: [{name: B}]\n"
            "other: 1\n")
    new, line = add_to_record(text, "actors", "a", "aliases", {"name": "A2"}, "f.yaml")
    assert new == text.replace("      - name: A\n", "      - name: A\n      - name: A2\n")
    assert new.splitlines()[line - 1] == "      - name: A2"
    new, line = add_to_record(text, "actors", "b", "roles", {"role": "R"}, "f.yaml")
    assert new == text.replace("[{name: B}]\n", "[{name: B}]\n    roles:\n      - role: R\n")
    assert new.splitlines()[line - 1] == "      - role: R"
    with pytest.raises(Exception, match=r"aliases: is a \[\.\.\.\] list; write it as a block"):
        add_to_record(text, "actors", "b", "aliases", {"name": "B2"}, "f.yaml")
    with pytest.raises(Exception, match="no record with id 'c'"):
        add_to_record(text, "actors", "c", "aliases", {"name": "C"}, "f.yaml")


# -- the catalogue's rows (docs/errors.md), each run as a real process -----------------------
HEADING = "### Extending actors, writing drafts"


def catalogue_rows() -> list[tuple[str, str, list[str]]]:
    section = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8").split(HEADING, 1)[1]
    found = []
    for line in section.split("\n#", 1)[0].splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 5 and cells[0].startswith("`"):
            spans = [_code_spans(c) for c in cells]
            found.append((spans[0][0], spans[3][0], spans[4]))
    return found


def _edit(old: str, new: str):
    def setup(tmp: Path) -> None:
        path = tmp / "seeds" / "actors.yaml"
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))
    return setup


SETUPS = {
    "alias-flow-list": _edit("    aliases:\n      - {name: Harbour Herald, seen_in: "
                             "[harbour-news]}", "    aliases: [{name: Harbour Herald, "
                             "seen_in: [harbour-news]}]"),
    "role-already-given": lambda tmp: add_role(tmp / "seeds", actor="erik-berg",
                                               role="Harbour director", document=DOC,
                                               words="Harbour director Erik Berg"),
    "suggest-write-seeds-have-problems": _edit("kind: media-outlet", "kind: newspaper"),
}
ROWS = catalogue_rows()


def test_the_catalogue_has_the_rows() -> None:
    assert len(ROWS) >= 7 and set(SETUPS) <= {r[0] for r in ROWS}


@pytest.mark.parametrize(("case", "command", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_catalogued_refusal(case: str, command: str, expected: list[str], tmp_path: Path):
    shutil.copytree(ADD / "seeds", tmp_path / "seeds")
    SETUPS.get(case, lambda tmp: None)(tmp_path)
    before = snapshot(tmp_path / "seeds")
    args = shlex.split(command)
    assert args[0] == "factdb"
    result = subprocess.run([sys.executable, "-m", "factdb", *args[1:]], cwd=tmp_path,
                            capture_output=True, text=True)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == expected
    assert result.returncode == 1
    assert snapshot(tmp_path / "seeds") == before
