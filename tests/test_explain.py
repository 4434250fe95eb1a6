"""`factdb explain ID`: where a record was written, its evidence in context, what relates to it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = "fixtures/curation/seeds"
DOC = "fixtures/curation/seeds/documents/harbour-talks.yaml"
ACTORS = "fixtures/curation/seeds/actors.yaml"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def explain(cli, ident: str) -> str:
    result = cli("explain", ident, "--seeds", SEEDS)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_a_statement_its_seed_line_date_evidence_and_neighbours(cli):
    assert explain(cli, "berg-agreement-signed-in-april") == (
        f"statement berg-agreement-signed-in-april  ({DOC}:22)\n"
        "  speaker   anna-berg (Anna Berg)\n"
        "  document  harbour-talks\n"
        "  speech    reported\n"
        "  said      2025-03-03 (inferred from: harbour-talks publication date (2025-03-05); "
        "words 'on Monday')\n"
        "evidence:\n"
        "  harbour-talks 174-220 (reported):\n"
        "    …Anna Berg, said on Monday that >>the harbour agreement would be signed in "
        "April<<. ¶ “We have found a way forward.…\n"
        "related:\n"
        f"  actor anna-berg: speaker  ({ACTORS}:2)\n"
        "  event harbour-agreement-signing: evidence overlaps in harbour-talks  "
        f"({DOC}:53)\n"
    )


def test_a_statement_shows_its_relations(cli):
    out = explain(cli, "berg-way-forward")
    assert out.splitlines()[-1] == (
        "  relation ministers-back-harbour-plan: corroborates vos-no-objection: both ministers "
        f"back keeping the harbour open  ({DOC}:68)"
    )


def test_an_event_its_sources_and_participants(cli):
    assert explain(cli, "harbour-agreement-signing") == (
        f"event harbour-agreement-signing  ({DOC}:53)\n"
        "  description  Norland and Southland sign the harbour agreement (announced)\n"
        "  kind         treaty signing\n"
        "  date         2025-04 (inferred from: harbour-talks publication date (2025-03-05); "
        "words 'in April'; between 2025-04-01 and 2025-04-30)\n"
        "evidence:\n"
        "  harbour-talks 174-220 (source):\n"
        "    …Anna Berg, said on Monday that >>the harbour agreement would be signed in "
        "April<<. ¶ “We have found a way forward.…\n"
        "related:\n"
        f"  actor anna-berg: participant (signatory's foreign minister)  ({ACTORS}:2)\n"
        "  statement berg-agreement-signed-in-april: evidence overlaps in harbour-talks  "
        f"({DOC}:22)\n"
    )


def test_an_actor_its_roles_names_and_facts(cli):
    assert explain(cli, "anna-berg") == (
        f"actor anna-berg  ({ACTORS}:2)\n"
        "  name     Anna Berg\n"
        "  kind     person\n"
        "  aliases  Berg (harbour-talks)\n"
        "evidence:\n"
        "  harbour-talks 110-152 (role: Foreign Minister of Norland):\n"
        "    …Portby at dawn. (Image: Example Agency) ¶ >>The foreign minister of Norland, Anna "
        "Berg<<, said on Monday that the harbour…\n"
        "  harbour-talks 148-152 (named Berg):\n"
        "    …The foreign minister of Norland, Anna >>Berg<<, said on Monday that the harbour…\n"
        "related:\n"
        f"  statement berg-agreement-signed-in-april: speaker  ({DOC}:22)\n"
        f"  statement berg-way-forward: speaker  ({DOC}:30)\n"
        f"  statement berg-hard-debate: speaker  ({DOC}:47)\n"
        f"  event harbour-agreement-signing: participant (signatory's foreign minister)  "
        f"({DOC}:53)\n"
    )


def test_a_relation_shows_the_evidence_on_both_sides(cli):
    assert explain(cli, "ministers-back-harbour-plan") == (
        f"relation ministers-back-harbour-plan  ({DOC}:68)\n"
        "  kind   corroborates\n"
        "  fact   vos-no-objection\n"
        "  other  berg-way-forward\n"
        "  note   both ministers back keeping the harbour open\n"
        "evidence:\n"
        "  harbour-talks 460-502 (vos-no-objection):\n"
        "    …Southland’s minister, Piet Vos, stressed that >>his country had “no objection“ to "
        "the plan<<. ¶ \"This is a good day for…\n"
        "  harbour-talks 224-292 (berg-way-forward):\n"
        "    …agreement would be signed in April. ¶ “>>We have found a way forward. The harbour "
        "will stay open to all ships<<,” Berg told reporters in Portby. ¶ According…\n"
        "related:\n"
        f"  statement vos-no-objection: fact  ({DOC}:39)\n"
        f"  statement berg-way-forward: other  ({DOC}:30)\n"
    )


def test_a_document_its_boilerplate_skips_facts_and_names(cli):
    lines = explain(cli, "harbour-talks").splitlines()
    assert lines[:12] == [
        f"document harbour-talks  ({DOC}:2)",
        "  title      Ministers agree on ‘harbour plan’ after talks",
        "  publisher  portby-post (Portby Post)",
        "  language   en",
        "  published  2025-03-05 (stated)",
        "  text       texts/harbour-talks.txt",
        "evidence:",
        "  harbour-talks 47-108 (boilerplate: caption):",
        "    …agree on ‘harbour plan’ after talks ¶ >>Photo: The harbour at Portby at dawn. "
        "(Image: Example Agency)<< ¶ The foreign minister of Norland, Anna…",
        "  harbour-talks 698-746 (boilerplate: related-links):",
        "    …expect a hard debate,” she explained. ¶ >>Related stories ¶ Harbour strike ends, "
        "says union<<",
        "  harbour-talks 20-32 (skipped: the headline's own words, no fact beyond the "
        "statements below):",
    ]
    assert lines[12:14] == [
        "    Ministers agree on ‘>>harbour plan<<’ after talks ¶ Photo: The harbour at…",
        "related:",
    ]
    assert lines[14:] == [
        f"  statement {fact}: evidence in this document  ({DOC}:{line})"
        for fact, line in (("berg-agreement-signed-in-april", 22), ("berg-way-forward", 30),
                           ("port-authority-traffic-grew", 35), ("vos-no-objection", 39),
                           ("vos-good-day", 43), ("berg-hard-debate", 47))
    ] + [
        f"  event harbour-agreement-signing: evidence in this document  ({DOC}:53)",
        f"  actor anna-berg: named Berg  ({ACTORS}:2)",
        f"  actor portby-port-authority: named port authority  ({ACTORS}:19)",
    ]


def test_an_unknown_id_suggests_the_closest(cli):
    result = cli("explain", "berg", "--seeds", SEEDS)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "error: no record 'berg' in the seeds (did you mean 'anna-berg'?)\n"
