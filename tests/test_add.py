"""`factdb add`: a new article, its actors, statements, events and relations, written so
that `factdb check` and `factdb build` accept them and every other byte stays as it was."""

from __future__ import annotations

import difflib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from factdb.curate.check import check
from factdb.errors import SeedErrors
from factdb.seeds.format import PLACEHOLDER
from factdb.store.build import build
from tests.conftest import FIXTURES, SEEDS

ADD = FIXTURES / "add"


@pytest.fixture
def seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the add fixture's seeds as ./seeds, with the article beside it."""
    shutil.copytree(ADD / "seeds", tmp_path / "seeds")
    shutil.copy(ADD / "article.txt", tmp_path / "article.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "seeds"


def ok(cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def add_article(cli) -> str:
    return ok(cli, "add", "document", "article.txt", "--id", "ferry-strike", "--published",
              "2023-03-03", "--language", "en", "--publisher", "harbour herald", "--url",
              "https://example.org/ferry", "--author", "Kari Nord")


def test_a_small_article_end_to_end_builds(cli, seeds: Path, tmp_path: Path) -> None:
    out = add_article(cli)
    assert "added document ferry-strike to seeds/documents/ferry-strike.yaml" in out
    assert (seeds / "texts" / "ferry-strike.txt").read_bytes() == \
        (ADD / "article.txt").read_bytes()
    ok(cli, "add", "actor", "--name", "Ferry Workers Union", "--kind", "organisation",
       "--seen-in", "ferry-strike")
    out = ok(cli, "add", "statement", "--document", "ferry-strike", "--speaker", "anna berg",
             "--speech", "direct", "--words", "We will not sail on Monday,", "--said",
             "on Thursday", "--venue", "a press conference")
    assert "'on Thursday' read from ferry-strike's publication date (2023-03-03) gives " \
           "2023-03-02" in out
    ok(cli, "add", "statement", "--document", "ferry-strike", "--speaker", "erik-berg",
       "--speech", "reported", "--words", "the company had made a fair offer", "--id",
       "erik-berg-fair-offer")
    ok(cli, "add", "event", "--description", "Ferry crews strike", "--date", "on Monday",
       "--document", "ferry-strike", "--words", "Ferry crews will walk out on Monday",
       "--participant", "Ferry Workers Union:strikers", "--place", "Tromsø")
    ok(cli, "add", "relation", "--kind", "contradicts", "--fact", "erik-berg-fair-offer",
       "--other", "berg-we-will-not-sail-monday", "--note", "a fair offer, or not listened")
    summary = check(seeds)
    assert summary.counts["statements"] == 3 and summary.counts["events"] == 2
    db = tmp_path / "factdb.db"
    build(seeds, db)
    conn = sqlite3.connect(db)
    said = conn.execute("SELECT speaker_id, said_on, said_on_words, quote FROM statements "
                        "WHERE document_id = 'ferry-strike' ORDER BY id").fetchall()
    assert said == [("anna-berg", "2023-03-02", "on Thursday", "We will not sail on Monday,"),
                    ("erik-berg", None, None, "the company had made a fair offer")]
    doc = conn.execute("SELECT publisher_id, author, url, published_on FROM documents "
                       "WHERE id = 'ferry-strike'").fetchone()
    assert doc == ("harbour-herald", "Kari Nord", "https://example.org/ferry", "2023-03-03")
    assert conn.execute("SELECT date FROM events WHERE id = 'ferry-crews-strike'").fetchone() \
        == ("2023-03-06",)


def test_a_document_without_date_or_language_has_placeholders_check_and_build_refuse(
        cli, seeds: Path, tmp_path: Path) -> None:
    out = ok(cli, "add", "document", "article.txt")
    assert "id: ferry-crews-strike-monday-union-says (proposed" in out
    rel = "documents/ferry-crews-strike-monday-union-says.yaml"
    text = (seeds / rel).read_text()
    assert "title: Ferry crews to strike on Monday, union says\n" in text
    lines = text.splitlines()
    todo = [i for i, line in enumerate(lines, 1) if PLACEHOLDER in line and ":" in line
            and not line.lstrip().startswith("#")]
    assert len(todo) == 3
    result = cli("check", "--seeds", "seeds")
    assert result.exit_code == 1
    fields = ("document.language", "document.published.value", "document.published.basis")
    for line, field in zip(todo, fields, strict=True):
        assert f"{rel}:{line}:" in result.stderr
        assert f"{field}: still to fill" in result.stderr
    with pytest.raises(SeedErrors, match="still to fill"):
        build(seeds, tmp_path / "factdb.db")
    assert not (tmp_path / "factdb.db").exists()
    # its statements wait for it; other records do not
    doc_id = rel.removeprefix("documents/").removesuffix(".yaml")
    result = cli("add", "statement", "--document", doc_id, "--speaker", "Anna Berg",
                 "--speech", "direct", "--words", "We will not sail on Monday,")
    assert result.exit_code == 1
    assert f"document {doc_id!r} has problems to fix first" in result.stderr
    assert f"{rel}:{todo[0]}:13: document.language: still to fill" in result.stderr
    assert (seeds / rel).read_text() == text
    ok(cli, "add", "actor", "--name", "Ferry Workers Union", "--kind", "organisation")
    # filled in by hand, it builds
    filled = text.replace(lines[todo[0] - 1].split(": ", 1)[1], "en", 1)
    filled = filled.replace(lines[todo[1] - 1].split(": ", 1)[1], "2023-03-03", 1)
    filled = filled.replace(lines[todo[2] - 1].split(": ", 1)[1], "stated", 1)
    (seeds / rel).write_text(filled)
    assert check(seeds).counts["documents"] == 2
    ok(cli, "add", "statement", "--document", doc_id, "--speaker", "Anna Berg", "--speech",
       "direct", "--words", "We will not sail on Monday,")


def test_boilerplate_is_proposed_in_comments_never_as_facts(cli, seeds: Path) -> None:
    out = add_article(cli)
    text = (seeds / "documents" / "ferry-strike.yaml").read_text()
    for kind, words in (("navigation", "Home | News | Local"), ("other", "Share this article"),
                        ("credit", "Photo: Harbour Herald"),
                        ("related-links", "Related posts")):
        assert f'  #   - {{kind: {kind}, words: "{words}"' in text
        assert words in out
    assert "\n  boilerplate:" not in text
    assert check(seeds).counts["boilerplate_regions"] == 0
    # uncommented by the curator, they are regions the build finds
    confirmed = text.replace("  # boilerplate:", "  boilerplate:").replace("  #   - {", "    - {")
    (seeds / "documents" / "ferry-strike.yaml").write_text(confirmed)
    assert check(seeds).counts["boilerplate_regions"] == 4


def test_adding_to_real_seed_files_changes_no_other_byte(cli, tmp_path: Path,
                                                        monkeypatch) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    seeds = tmp_path / "seeds"
    doc = "barents-observer-clear-answer"
    files = ["documents/barents-observer-clear-answer.yaml", "actors.yaml", "events.yaml",
             "relations.yaml"]
    before = {f: (seeds / f).read_text() for f in files}
    ok(cli, "add", "statement", "--document", doc, "--speaker", "Sergey Lavrov", "--speech",
       "reported", "--words", "called on Norway to hold bilateral security consultations",
       "--id", "lavrov-bilateral-consultations-again", "--said", "2021-11 last November")
    ok(cli, "add", "actor", "--name", "Thomas Nilsen", "--kind", "person", "--seen-in", doc)
    ok(cli, "add", "event", "--description", "Lavrov writes to OSCE states", "--date",
       "2022-01", "--inferred-from", "the letter's own dates", "--document", doc, "--words",
       "Sergey Lavrov opens the letter")
    ok(cli, "add", "relation", "--kind", "corroborates", "--fact",
       "lavrov-bilateral-consultations-again", "--other",
       "lavrov-tromso-calls-for-bilateral-consultations", "--note", "same words, twice")
    for f in files:
        after = (seeds / f).read_text()
        ops = difflib.SequenceMatcher(None, before[f].splitlines(True), after.splitlines(True),
                                      autojunk=False).get_opcodes()
        changed = [op for op in ops if op[0] != "equal"]
        assert len(changed) == 1 and changed[0][0] == "insert", f  # one block of new lines
        assert after.startswith(before[f])  # appended at the end of its section (the last)
    check(seeds)


def test_a_record_added_by_the_tool_then_edited_by_hand_still_builds(cli, seeds: Path,
                                                                     tmp_path: Path) -> None:
    add_article(cli)
    ok(cli, "add", "statement", "--document", "ferry-strike", "--speaker", "Anna Berg",
       "--speech", "direct", "--words", "The company has not listened to us.", "--said",
       "on Thursday", "--id", "berg-not-listened")
    path = seeds / "documents" / "ferry-strike.yaml"
    text = path.read_text()
    text = text.replace("    said:\n      value: 2023-03-02\n      basis: inferred\n"
                        "      words: on Thursday\n",
                        "    said: {value: 2023-03-02, basis: inferred, words: on Thursday}\n"
                        "    venue: strike meeting  # added by hand\n")
    path.write_text(text)
    assert "# added by hand" in text
    build(seeds, tmp_path / "factdb.db")
    # and the tool goes on appending after the hand edit
    ok(cli, "add", "statement", "--document", "ferry-strike", "--speaker", "Erik Berg",
       "--speech", "reported", "--words", "he hoped for talks before the weekend")
    assert path.read_text().startswith(text)
    assert check(seeds).counts["statements"] == 3


def test_two_adds_at_once_lose_no_record(seeds: Path) -> None:
    def start(name: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "factdb", "add", "actor", "--name",
                                 name, "--kind", "person"], cwd=seeds.parent,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    for round_ in range(2):
        names = [f"Crew Member {round_}{i}" for i in range(3)]
        procs = [start(n) for n in names]
        for p in procs:
            _, errors = p.communicate(timeout=60)
            assert p.returncode == 0, errors
    text = (seeds / "actors.yaml").read_text()
    assert all(f"name: Crew Member {r}{i}\n" in text for r in range(2) for i in range(3))
    assert check(seeds).counts["actors"] == 3 + 6
    assert not [p for p in seeds.rglob("*") if p.name.endswith(".tmp")]


def test_an_existing_name_is_refused_and_proposed_ids_do_not_collide(cli, seeds: Path) -> None:
    result = cli("add", "actor", "--name", "erik berg", "--kind", "person")
    assert result.exit_code == 1
    assert "an actor is already called 'erik berg': erik-berg" in result.stderr
    add_article(cli)
    for _ in range(2):
        ok(cli, "add", "statement", "--document", "ferry-strike", "--speaker", "Erik Berg",
           "--speech", "reported", "--words", "Erik Berg said he hoped for talks")
    text = (seeds / "documents" / "ferry-strike.yaml").read_text()
    # the second is a duplicate fact by words, but a new id: the tool never reuses one
    assert "id: berg-said-he-hoped-talks\n" in text
    assert "id: berg-said-he-hoped-talks-2\n" in text


def test_a_problem_the_change_would_introduce_is_refused_with_file_and_line(
        cli, seeds: Path) -> None:
    add_article(cli)
    before = {p: p.read_bytes() for p in seeds.rglob("*") if p.is_file()}
    # an id that is a valid slug but already a relation's id is fine for a fact; an event
    # whose participant is given twice is a problem only the loader sees
    result = cli("add", "event", "--description", "Talks", "--date", "2023-03", "--document",
                 "ferry-strike", "--words", "hoped for talks", "--participant", "erik-berg",
                 "--participant", "Erik Berg")
    assert result.exit_code == 1
    assert "events.yaml:" in result.stderr
    assert "participants[1].actor: 'erik-berg' is already a participant" in result.stderr
    assert {p: p.read_bytes() for p in seeds.rglob("*") if p.is_file()} == before


def test_help_shows_an_example_for_each_subcommand(cli) -> None:
    for sub in ("document", "actor", "statement", "event", "relation"):
        result = cli("add", sub, "--help")
        assert result.exit_code == 0
        assert f"Example: factdb add {sub}" in result.stdout


@pytest.mark.parametrize("value", ["yes", "no", "on", "1993", "3.5", "null", "~", " padded",
                                   "a: b", "# not a comment", "'quoted'", "2023-02-30",
                                   "2023-03-06", "Tromsø — “quoted”", "[list]"])
def test_every_string_reads_back_as_the_same_string(value: str, tmp_path: Path) -> None:
    from factdb.seeds.write import append_record
    from factdb.seeds.yamlfile import load as load_yaml

    text, line = append_record("# head\nactors:\n  - id: a\n", "actors",
                               {"id": "b", "name": value}, "actors.yaml")
    assert text.startswith("# head\nactors:\n  - id: a\n\n") and line == 5
    (tmp_path / "actors.yaml").write_text(text, encoding="utf-8")
    source, problems = load_yaml(tmp_path / "actors.yaml", "actors.yaml")
    assert problems == [] and source.data["actors"][1] == {"id": "b", "name": value}


def test_a_record_goes_to_the_end_of_its_section_wherever_that_is() -> None:
    from factdb.errors import FactdbError
    from factdb.seeds.write import append_record

    middle = "actors:\n  - id: a\n\n  - id: b\n# -- events --\nevents:\n  - id: e\n"
    text, line = append_record(middle, "actors", {"id": "c"}, "f.yaml")
    assert text == ("actors:\n  - id: a\n\n  - id: b\n\n  - id: c\n# -- events --\nevents:\n"
                    "  - id: e\n") and line == 6
    empty = "document:\n  id: d\nstatements:\n"
    assert append_record(empty, "statements", {"id": "s"}, "f.yaml") == (
        "document:\n  id: d\nstatements:\n  - id: s\n", 4)
    together = "actors:\n  - id: a\n  - id: b\n"  # records not set apart stay so
    assert append_record(together, "actors", {"id": "c"}, "f.yaml") == (
        together + "  - id: c\n", 4)
    assert append_record("document:\n  id: d", "statements", {"id": "s"}, "f.yaml") == (
        "document:\n  id: d\n\nstatements:\n  - id: s\n", 5)
    with pytest.raises(FactdbError, match=r"f.yaml:1: actors: is not a block list"):
        append_record("actors: []\n", "actors", {"id": "c"}, "f.yaml")


def test_dates_given_as_a_week_or_a_range_keep_their_precision(cli, seeds: Path,
                                                               tmp_path: Path) -> None:
    add_article(cli)
    ok(cli, "add", "event", "--description", "Ferry talks", "--date", "2023-W09",
       "--inferred-from", "the talks the union mentions", "--document", "ferry-strike",
       "--words", "Ferry crews will walk out on Monday", "--id", "ferry-talks")
    ok(cli, "add", "event", "--description", "Ferry ballot", "--date", "2023-02-20/2023-03-01",
       "--inferred-from", "the ballot before the strike", "--document", "ferry-strike",
       "--words", "Ferry crews will walk out on Monday", "--id", "ferry-ballot")
    bad = cli("add", "event", "--description", "Ferry vote", "--date", "2023-03-05/2023-03-01",
              "--inferred-from", "x", "--document", "ferry-strike", "--words",
              "Ferry crews will walk out on Monday")
    assert bad.exit_code == 1 and "Traceback" not in bad.output and "--date" in bad.stderr
    db = tmp_path / "factdb.db"
    build(seeds, db)
    rows = sqlite3.connect(db).execute(
        "SELECT id, date, date_precision, date_basis, date_earliest, date_latest FROM events "
        "WHERE id IN ('ferry-talks', 'ferry-ballot') ORDER BY id").fetchall()
    assert rows == [
        ("ferry-ballot", "2023-02-20/2023-03-01", "range", "inferred", "2023-02-20",
         "2023-03-01"),
        ("ferry-talks", "2023-W09", "week", "inferred", "2023-02-27", "2023-03-05"),
    ]
