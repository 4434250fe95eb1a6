"""`factdb locate`: where words occur, or the closest passages and how they differ."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = "fixtures/curation/seeds"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_every_occurrence_with_offsets_context_and_the_occurrence_to_write(cli):
    result = cli("locate", "Berg", "--seeds", SEEDS)
    assert result.exit_code == 0
    assert result.stdout == (
        "harbour-talks 148-152 occurrence 1 of 3 (in a seed: `occurrence: 1`)\n"
        "  …The foreign minister of Norland, Anna >>Berg<<, said on Monday that the harbour…\n"
        "harbour-talks 295-299 occurrence 2 of 3 (in a seed: `occurrence: 2`)\n"
        "  …will stay open to all ships,” >>Berg<< told reporters in Portby. ¶ According to…\n"
        "harbour-talks 562-566 occurrence 3 of 3 (in a seed: `occurrence: 3`)\n"
        "  …for both our countries,\" Vos added. ¶ >>Berg<< also spoke about the ministers’ "
        "next…\n"
    )
    assert result.stderr == ""


def test_words_in_boilerplate_say_so(cli):
    result = cli("locate", "says union", "--seeds", SEEDS)
    assert result.exit_code == 0
    assert result.stdout == (
        "harbour-talks 735-745 occurrence 1 of 1, in boilerplate (related-links)\n"
        "  …explained. ¶ Related stories ¶ Harbour strike ends, >>says union<<\n"
    )


def test_curly_quotes_typed_as_straight_ones_find_the_passage_and_its_exact_words(cli):
    result = cli("locate", 'had "no objection" to', "--seeds", SEEDS)
    assert result.exit_code == 1
    assert result.stderr == "not found exactly; the closest passages:\n"
    assert result.stdout == (
        "harbour-talks 472-493 similarity 1.00: quotes differ\n"
        "  …Piet Vos, stressed that his country >>had “no objection“ to<< the plan. ¶ "
        "\"This is a good…\n"
        "  words: had “no objection“ to\n"
    )


def test_typos_are_named_word_by_word(cli):
    result = cli("locate", "trafic through Portby grew by 12 precent", "--seeds", SEEDS)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "harbour-talks 360-401 similarity 0.96: typed 'trafic', document has 'traffic'; "
        "typed 'precent', document has 'percent'"
    )
    assert result.stdout.splitlines()[2] == "  words: traffic through Portby grew by 12 percent"


def test_words_nowhere_near_the_text(cli):
    result = cli("locate", "zzzz qqqq", "--seeds", SEEDS)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "not found, and no passage is close\n"


def test_an_unknown_document_suggests_the_closest_id(cli):
    result = cli("locate", "Berg", "--doc", "harbor-talks", "--seeds", SEEDS)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no document 'harbor-talks' in the seeds (did you mean 'harbour-talks'?)\n")


def test_texts_are_searched_while_their_seed_file_is_broken(cli, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / SEEDS, seeds)
    doc = seeds / "documents" / "harbour-talks.yaml"
    text = doc.read_text(encoding="utf-8")
    text = text.replace("    said:\n", "    said: &monday\n")  # YAML aliases are refused
    text = text.replace("both our countries\n", "both our countries\n    said: *monday\n")
    doc.write_text(text, encoding="utf-8")
    assert cli("check", "--seeds", seeds).exit_code == 1

    result = cli("locate", "Anna Berg", "--doc", "harbour-talks", "--seeds", seeds)

    assert result.exit_code == 0
    assert result.stdout.startswith("harbour-talks 143-152 occurrence 1 of 1\n")
    assert result.stderr == "warning: the seeds have 1 problem (see `factdb check`)\n"
