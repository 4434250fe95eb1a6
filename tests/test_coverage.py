"""`factdb coverage`: every quote and attributed sentence is covered, boilerplate, or skipped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factdb.evidence.passages import find_passages

ROOT = Path(__file__).resolve().parent.parent
SEEDS = "fixtures/curation/seeds"
MISSING = "fixtures/curation/missing-statement"  # the same seeds without statement vos-good-day


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def found(text: str) -> list[tuple[str, str]]:
    return [(p.kind, p.text) for p in find_passages(text)]


# -- what counts as a passage ------------------------------------------------------------------

def test_apostrophes_are_not_quotes():
    assert found("Lavrov’s aide read the ministers’ plan. It's Russia's.") == []


def test_single_marks_count_only_in_pairs_within_a_paragraph():
    assert found("Russia demands ‘clear answer’ and ‘more\n\ntalk’.") == [
        ("quote", "clear answer")]


def test_an_opening_mark_after_a_word_closes_a_quote():
    assert found("He wants “no missiles“, “transparency“.") == [
        ("quote", "no missiles"), ("quote", "transparency")]


def test_a_closing_mark_before_a_word_still_closes():
    assert found("“We wait for the Finnish side, ”said the delegation.") == [
        ("attribution", "“We wait for the Finnish side, ”said the delegation."),
        ("quote", "We wait for the Finnish side,"),
    ]


def test_a_quote_runs_over_paragraphs_until_it_closes():
    assert found("“We will publish it.\n\nOtherwise, lies spread,” Lavrov added.") == [
        ("quote", "We will publish it.\n\nOtherwise, lies spread,"),
        ("attribution", "Otherwise, lies spread,” Lavrov added."),
    ]


def test_an_unclosed_quote_ends_with_its_paragraph():
    assert found("Danilov warned that “we do not see it.\n\nRelated Posts\n\nA “b” c") == [
        ("attribution", "Danilov warned that “we do not see it."),
        ("quote", "we do not see it."),
        ("quote", "b"),
    ]


def test_straight_quotes_open_after_a_space_and_close_elsewhere():
    assert found('Nato heading for "irresponsible expansion"\n"Yes," she said.') == [
        ("quote", "irresponsible expansion"),
        ("attribution", '"Yes," she said.'),
        ("quote", "Yes,"),
    ]


def test_a_cue_inside_a_quote_is_the_speakers_own_word():
    assert found("“You have said so.” Then “we added it”.") == [
        ("quote", "You have said so."), ("quote", "we added it")]


def test_sentences_do_not_end_at_initials_or_titles():
    assert found("The U.S. and Mr. Vos told us. Fine. According to Tass, no.") == [
        ("attribution", "The U.S. and Mr. Vos told us."),
        ("attribution", "According to Tass, no."),
    ]


# -- the command -------------------------------------------------------------------------------

TABLE = (
    "document       passages  covered  boilerplate  skipped  unaccounted  accounted\n"
    "harbour-talks        12       10            1        1            0     100.0%\n"
)


def test_fully_curated_seeds_pass_strict(cli):
    result = cli("coverage", "--strict", "--seeds", SEEDS)
    assert result.exit_code == 0
    assert result.stdout == TABLE
    assert result.stderr == ""


def test_a_dropped_statement_fails_strict_and_names_its_passages(cli):
    result = cli("coverage", "--strict", "--seeds", MISSING)
    assert result.exit_code == 1
    assert result.stdout == (
        "document       passages  covered  boilerplate  skipped  unaccounted  accounted\n"
        "harbour-talks        12        8            1        1            2      83.3%\n"
        "\n"
        "unaccounted for:\n"
        "  harbour-talks 505-560 attribution \"added\":\n"
        "    \"This is a good day for both our countries,\" Vos added.\n"
        "  harbour-talks 506-548 quote:\n"
        "    This is a good day for both our countries,\n"
    )
    assert result.stderr == "coverage incomplete: 2 passages unaccounted for\n"


def test_without_strict_the_report_exits_zero(cli):
    assert cli("coverage", "--seeds", MISSING).exit_code == 0


def test_all_lists_how_each_passage_is_accounted_for(cli):
    result = cli("coverage", "--all", "--doc", "harbour-talks", "--seeds", SEEDS)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [*TABLE.splitlines(), "", "all passages:"]
    assert lines[4:8] == [
        "  harbour-talks 20-32 quote skipped (the headline's own words, no fact beyond the "
        "statements below):",
        "    harbour plan",
        "  harbour-talks 110-221 attribution \"said\" covered (berg-agreement-signed-in-april, "
        "harbour-agreement-signing, anna-berg):",
        "    The foreign minister of Norland, Anna Berg, said on Monday that the harbour "
        "agreement would be signed in April.",
    ]
    assert lines[-4:] == [
        "  harbour-talks 656-696 attribution \"explained\" covered (berg-hard-debate):",
        "    We expect a hard debate,” she explained.",
        "  harbour-talks 714-745 attribution \"says\" boilerplate (related-links):",
        "    Harbour strike ends, says union",
    ]


def test_a_broken_record_covers_nothing_and_strict_says_why(cli, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / SEEDS, seeds)
    doc = seeds / "documents" / "harbour-talks.yaml"
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace("words: This is a good day", "words: This is a fine day"),
                   encoding="utf-8")

    result = cli("coverage", "--strict", "--seeds", seeds)

    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        "harbour-talks        12        8            1        1            2      83.3%")
    assert result.stderr == (
        "warning: the seeds have 1 problem (see `factdb check`); records with problems cover "
        "nothing\n"
        "coverage incomplete: 2 passages unaccounted for, 1 seed problem\n"
    )


def test_an_unknown_document_is_an_error(cli):
    result = cli("coverage", "--doc", "harbor-talks", "--seeds", SEEDS)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no document 'harbor-talks' in the seeds (did you mean 'harbour-talks'?)\n")
