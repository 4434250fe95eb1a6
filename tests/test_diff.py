"""`factdb diff` through the real CLI, on real git repositories made in a temporary folder."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from factdb.curate.diff.compare import KINDS
from factdb.curate.diff.sides import CACHE_SUBDIR
from factdb.curate.diff.sides import diff as run_diff
from factdb.seeds.load import COLUMNS
from factdb.store.build import build
from factdb.store.cache import CACHE_DIR
from tests.conftest import FIXTURES, ROOT

SEEDS = FIXTURES / "queries" / "seeds"
CATALOGUE = ROOT / "docs" / "errors.md"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Curator", "GIT_AUTHOR_EMAIL": "curator@example.org",
    "GIT_COMMITTER_NAME": "Curator", "GIT_COMMITTER_EMAIL": "curator@example.org",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}
GIT = shutil.which("git") or "git"  # the tests' own git, whatever PATH a case sets


def git(repo: Path, *args: str) -> str:
    result = subprocess.run([GIT, "-c", "init.defaultBranch=main", *args], cwd=repo,
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def commit(repo: Path, message: str = "seeds") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "--short=7", "HEAD")


def snapshot(repo: Path) -> dict[str, str]:
    """Every file of the checkout but git's and the cache's, with a hash of its bytes."""
    return {p.relative_to(repo).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in repo.rglob("*") if p.is_file()
            and not {".git", CACHE_DIR} & set(p.relative_to(repo).parts)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def gitenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):  # as in a git hook
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # never a repo around it
    return tmp_path


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build cache's empty migrated database: each diff borrows it, sparing migrations."""
    folder = tmp_path_factory.mktemp("built")
    build(SEEDS, folder / "factdb.db")
    (empty,) = (folder / CACHE_DIR).glob("empty-*.db")
    return empty


@pytest.fixture
def repo(gitenv: Path, monkeypatch: pytest.MonkeyPatch, empty_db: Path) -> Path:
    """A repository whose one commit holds fixtures/queries/seeds as seeds/; the cwd."""
    root = gitenv / "repo"
    root.mkdir()
    git(root, "init", "-q")
    shutil.copytree(SEEDS, root / "seeds")
    (root / ".gitignore").write_text(f"{CACHE_DIR}/\n")
    commit(root)
    (root / CACHE_DIR).mkdir()  # as a `factdb build` at the top leaves it (ignored by git)
    shutil.copy(empty_db, root / CACHE_DIR / empty_db.name)
    monkeypatch.chdir(root)
    return root


def curate(root: Path) -> None:
    """A curator's edit: add a statement, change a date and a speech, delete an event,
    rename an alias."""
    doc = root / "seeds" / "documents" / "yle-letter-received.yaml"
    edit(doc, "said: {value: 2022-02-01, basis: inferred, words: on Tuesday}",
         "said: {value: 2022-02-02, basis: inferred, inferred_from: a day after it}")
    with open(doc, "a", encoding="utf-8") as f:
        f.write("  - id: haavisto-own-arrangements\n    speaker: pekka-haavisto\n"
                "    speech: direct\n    words: Finland decides its own security arrangements\n")
    events = root / "seeds" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    events.write_text(text[:text.index("  - id: geneva-talks\n")], encoding="utf-8")
    relations = root / "seeds" / "relations.yaml"  # (the one relation of geneva-talks)
    text = relations.read_text(encoding="utf-8")
    relations.write_text(text[:text.index("  - id: talks-january-or-february")],
                         encoding="utf-8")
    edit(root / "seeds" / "actors.yaml", "{name: Sergei Lavrov,", "{name: Minister Sergei Lavrov,")
    edit(root / "seeds" / "documents" / "tass-lavrov-letter.yaml",
         "speech: direct", "speech: reported")


CHANGES = [
    "",
    "aliases: 1 added, 1 removed",
    '- alias sergey-lavrov (tass-lavrov-letter): "Sergei Lavrov"',
    '+ alias sergey-lavrov (tass-lavrov-letter): "Minister Sergei Lavrov"',
    "",
    "statements: 1 added, 2 changed",
    "+ statement haavisto-own-arrangements (pekka-haavisto, direct): "
    '"Finland decides its own security arrangements"',
    "~ statement haavisto-received-letter: said_on 2022-02-01 -> 2022-02-02 "
    '(quote: "Finland has received the letter of Sergey Lavrov")',
    '~ statement haavisto-received-letter: said_on_words "on Tuesday" -> (none)',
    "~ statement haavisto-received-letter: said_on_inferred_from "
    '"yle-letter-received publication date..." -> "a day after it"',
    "~ statement lavrov-nobody-at-expense: speech direct -> reported "
    '(quote: "Nobody may strengthen their own security at the expense of the...")',
    "",
    "events: 1 removed",
    '- event geneva-talks (talks, 2022-02): "Diplomats meet in Geneva to discuss European '
    'security"',
    "",
    "participants: 1 removed",
    "- participant geneva-talks (sergey-lavrov)",
    "",
    "event sources: 1 removed",
    "- event source geneva-talks (reuters-geneva-talks): "
    '"Diplomats met in Geneva in February to discuss European security"',
    "",
    "relations: 1 removed",
    "- relation talks-january-or-february (contradicts, lavrov-talks-in-january, "
    'geneva-talks): "Lavrov dates the talks to January; the report dates them to February"',
]
SUMMARY = "2 added, 2 changed, 5 removed"


def test_no_change_says_so_and_exits_0(repo: Path, cli):
    head = git(repo, "rev-parse", "--short=7", "HEAD")
    result = cli("diff")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"HEAD ({head}) -> working tree, seeds/: no changes to the database\n"


def test_a_curators_edit_is_listed_fact_by_fact(repo: Path, cli):
    head = git(repo, "rev-parse", "--short=7", "HEAD")
    curate(repo)
    before = snapshot(repo)
    result = cli("diff")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"HEAD ({head}) -> working tree, seeds/: {SUMMARY}", *CHANGES]
    assert snapshot(repo) == before


def test_two_revisions_and_one_revision_against_the_working_tree(repo: Path, cli):
    first = git(repo, "rev-parse", "--short=7", "HEAD")
    curate(repo)
    second = commit(repo, "curated")
    expected = [f"HEAD~1 ({first}) -> HEAD ({second}), seeds/: {SUMMARY}", *CHANGES]
    assert cli("diff", "HEAD~1", "HEAD").stdout.splitlines() == expected
    expected[0] = f"HEAD~1 ({first}) -> working tree, seeds/: {SUMMARY}"
    assert cli("diff", "HEAD~1").stdout.splitlines() == expected
    backwards = cli("diff", "HEAD", "HEAD~1").stdout.splitlines()
    assert '+ event geneva-talks (talks, 2022-02): "Diplomats meet in Geneva to discuss ' \
        'European security"' in backwards
    assert "~ statement haavisto-received-letter: said_on 2022-02-02 -> 2022-02-01 " \
        '(quote: "Finland has received the letter of Sergey Lavrov")' in backwards


def test_json_keeps_every_value_in_full(repo: Path, cli):
    curate(repo)
    result = cli("diff", "--format", "json")
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["old"]["commit"] == git(repo, "rev-parse", "HEAD")
    assert out["new"] == {"label": "working tree", "commit": None}
    assert out["seeds"] == "seeds"
    speech = next(c for c in out["changes"] if c["id"] == "lavrov-nobody-at-expense")
    assert speech["change"] == "changed"
    assert speech["fields"] == [{"field": "speech", "old": "direct", "new": "reported"}]
    assert speech["row"]["quote"] == ("Nobody may strengthen their own security at the "
                                      "expense of the security of others")
    date = next(c for c in out["changes"] if c["id"] == "haavisto-received-letter")
    bounds = next(f for f in date["fields"] if f["field"] == "said_on_bounds")
    assert bounds == {"field": "said_on_bounds", "old": ["2022-02-01", "2022-02-01"],
                      "new": ["2022-02-02", "2022-02-02"]}  # hidden in the table: follows
    alias = next(c for c in out["changes"] if c["kind"] == "alias" and c["change"] == "added")
    assert alias["key"] == {"actor_id": "sergey-lavrov", "alias": "Minister Sergei Lavrov",
                            "document_id": "tass-lavrov-letter"}
    assert {(c["kind"], c["change"]) for c in out["changes"]} == {
        ("alias", "added"), ("alias", "removed"), ("statement", "added"),
        ("statement", "changed"), ("event", "removed"), ("participant", "removed"),
        ("event source", "removed"), ("relation", "removed")}


def test_a_moved_evidence_span_and_a_document_text_change_are_shown(repo: Path, cli):
    text = repo / "seeds" / "texts" / "reuters-geneva-talks.txt"
    text.write_bytes(b"Updated. " + text.read_bytes())
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    doc = repo / "seeds" / "documents" / "reuters-geneva-talks.yaml"
    old = re.search(r"sha256: (\w+)", doc.read_text()).group(1)
    edit(doc, old, digest)
    lines = cli("diff").stdout.splitlines()
    assert f"~ document reuters-geneva-talks: sha256 {old[:12]}... -> {digest[:12]}... " \
        '(title: "Talks in Geneva")' in lines
    assert any(re.fullmatch(r'~ event source geneva-talks \(reuters-geneva-talks\): '
                            r'at (\d+)-(\d+) -> (\d+)-(\d+) \(words: "Diplomats met .*"\)', line)
               for line in lines)


def test_actor_participant_relation_and_document_changes(repo: Path, cli):
    seeds = repo / "seeds"
    edit(seeds / "relations.yaml", "note: Lavrov says nobody answered; Haavisto says Finland did",
         "note: Lavrov says nobody answered the letter, while Haavisto says that Finland did "
         "answer it in full")
    edit(seeds / "actors.yaml", "party: Green League", "party: Greens")
    edit(seeds / "events.yaml", "- {actor: sergey-lavrov}\n",
         "- {actor: sergey-lavrov, role: host}\n")
    edit(seeds / "documents" / "tass-lavrov-letter.yaml", "title: Lavrov sends letter on security",
         "title: Lavrov writes to European ministers")
    assert cli("diff").stdout.splitlines()[1:] == [
        "",
        "documents: 1 changed",
        '~ document tass-lavrov-letter: title "Lavrov sends letter on security" -> '
        '"Lavrov writes to European ministers"',
        "",
        "actors: 1 changed",
        '~ actor pekka-haavisto: party "Green League" -> "Greens" (name: "Pekka Haavisto")',
        "",
        "participants: 1 changed",
        "~ participant geneva-talks (sergey-lavrov): role (none) -> host",
        "",
        "relations: 1 changed",
        '~ relation answered-or-not: note "Lavrov says nobody answered; Haavisto says Finland '
        'did" -> "Lavrov says nobody answered the letter, while Haavisto says that..."',
    ]


def test_the_cache_spares_building_a_side_seen_before(repo: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    seeds = repo / "seeds"
    assert run_diff(seeds).built == 1  # HEAD and the working tree are the same seeds
    assert run_diff(seeds).built == 0
    curate(repo)
    assert run_diff(seeds).built == 1  # only the working tree
    assert run_diff(seeds).built == 0
    assert len(list((repo / CACHE_DIR / CACHE_SUBDIR).glob("*.db"))) == 2
    _damaged_repository(repo, monkeypatch)  # HEAD's seeds can no longer be read,
    assert run_diff(seeds).built == 0  # but a revision seen before is known by its git tree


def test_a_seeds_folder_elsewhere_in_the_repository(repo: Path, cli):
    git(repo, "mv", "seeds", "data")
    commit(repo, "move")
    result = cli("diff", "--seeds", "data")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith(", data/: no changes to the database\n")


def test_every_column_is_compared_or_deliberately_left_out():
    left_out = {"id", "text"}  # row ids; a text is compared by its sha256
    for kind in KINDS:
        missing = set(COLUMNS[kind.table]) - set(kind.columns) - left_out
        assert missing == set(), kind.name
    assert {k.table for k in KINDS} == set(COLUMNS) - {"facts"}  # facts mirror the two kinds


# -- the errors: rows of docs/errors.md under "Comparing revisions", run here -----------------
# Each setup gets the repository (one commit of the fixture seeds; the cwd) and returns the
# arguments of `factdb diff`. A commit in a message is written `abc1234` in the catalogue.
def _not_a_checkout(repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    plain = repo.parent / "plain"
    shutil.copytree(SEEDS, plain / "seeds")
    monkeypatch.chdir(plain)
    return []


def _no_git(repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    empty = repo.parent / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return []


def _no_commits(repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shutil.rmtree(repo / ".git")
    git(repo, "init", "-q")
    return []


def _seeds_added_later(repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shutil.rmtree(repo / ".git")
    git(repo, "init", "-q")
    (repo / "README").write_text("curated facts\n")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "start")
    commit(repo, "seeds")
    return ["HEAD~1"]


def _seeds_deleted(repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shutil.rmtree(repo / "seeds")
    return []


TYPO = ("    speaker: pekka-haavisto\n    speech: reported\n    words: Finland has",
        "    speker: pekka-haavisto\n    speech: reported\n    words: Finland has")


def _broken_working_tree(repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    edit(repo / "seeds" / "documents" / "yle-letter-received.yaml", *TYPO)
    return []


def _broken_revision(repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    _broken_working_tree(repo, monkeypatch)
    commit(repo, "a typo")
    edit(repo / "seeds" / "documents" / "yle-letter-received.yaml", *reversed(TYPO))
    return []


def _damaged_repository(repo: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    blob = git(repo, "rev-parse", "HEAD:seeds/events.yaml")
    (repo / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    return []


SETUPS = {
    "diff-not-a-git-checkout": _not_a_checkout,
    "diff-git-missing": _no_git,
    "diff-unknown-revision": lambda repo, mp: ["no-such-branch"],
    "diff-no-commits": _no_commits,
    "diff-revision-without-seeds": _seeds_added_later,
    "diff-working-tree-without-seeds": _seeds_deleted,
    "diff-working-tree-does-not-build": _broken_working_tree,
    "diff-revision-does-not-build": _broken_revision,
    "diff-damaged-repository": _damaged_repository,
}


def _catalogue_rows() -> list[tuple[str, list[str]]]:
    """(case, stderr lines) of the catalogue's `factdb diff` section."""
    text = CATALOGUE.read_text(encoding="utf-8")
    start = text.index("### Comparing revisions")
    end = text.find("\n#", start + 4)
    rows = []
    for line in text[start:end if end > 0 else None].splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 5 and cells[0].startswith("`"):
            spans = re.findall(r"(`+)(.+?)\1(?!`)", cells[4].replace("\\|", "|"))
            lines = [b[1:-1] if len(t) > 1 and b.startswith(" ") else b for t, b in spans]
            rows.append((cells[0].strip("`"), lines))
    return rows


ROWS = _catalogue_rows()


def test_the_catalogue_lists_every_diff_error():
    assert sorted(case for case, _ in ROWS) == sorted(SETUPS)


@pytest.mark.parametrize(("case", "lines"), ROWS, ids=[case for case, _ in ROWS])
def test_a_diff_error_is_one_clear_message(case: str, lines: list[str], repo: Path, cli,
                                           monkeypatch: pytest.MonkeyPatch):
    args = SETUPS[case](repo, monkeypatch)
    before = snapshot(Path.cwd())
    commits = subprocess.run([GIT, "log", "--format=%h", "--abbrev=7"], cwd=repo,
                             capture_output=True, text=True).stdout
    result = cli("diff", *args)
    assert "Traceback" not in result.output
    assert result.exit_code == 1
    assert result.stdout == ""
    stderr = result.stderr
    for sha in filter(None, commits.split()):
        stderr = stderr.replace(f"({sha})", "(abc1234)")
    stderr = re.sub(r"\b[0-9a-f]{40}\b", "OBJECT", stderr)
    assert stderr.splitlines() == lines
    assert snapshot(Path.cwd()) == before
