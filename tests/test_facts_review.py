"""Review status, origins and republication credits, from seeds to views and `explain`."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

RADIO = "Radio news\nOlli Mäki said the council approved the budget.\n"


def _seeds(tmp_path: Path, origin: bool) -> Path:
    """The valid fixture corpus, with a deprecated statement and a second report of the
    council's approval (both reports carrying Mäki's words when ``origin``)."""
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "bad" / "_valid", seeds)
    (seeds / "texts" / "radio.txt").write_text(RADIO, encoding="utf-8")
    news = seeds / "news.yaml"
    text = news.read_text(encoding="utf-8")
    text = text.replace(
        "    words: The city council approved the budget yesterday\n",
        "    words: The city council approved the budget yesterday\n"
        "    status: deprecated\n    status_reason: the event council-approves-bridge-budget "
        "says it with its date\n", 1)
    news.write_text(text, encoding="utf-8")
    events = seeds / "events.yaml"
    text = events.read_text(encoding="utf-8")
    tag = "        origin: olli-maki\n" if origin else ""
    text = text.replace(
        "        words: The city council approved the budget yesterday, council chair Olli "
        "Mäki said.\n",
        "        words: The city council approved the budget yesterday, council chair Olli "
        f"Mäki said.\n{tag}"
        "      - document: radio-news\n        words: the council approved the budget\n"
        f"{tag}", 1)
    events.write_text(text, encoding="utf-8")
    relation = ("relations:\n  - id: radio-and-gazette-agree\n    kind: corroborates\n"
             "    fact: council-approves-bridge-budget\n    fact_document: bridge-news\n"
             "    other: council-approves-bridge-budget\n    other_document: radio-news\n"
             "    note: the same approval in two reports\n")
    sha = hashlib.sha256(RADIO.encode()).hexdigest()
    (seeds / "radio.yaml").write_text(
        f"document:\n  id: radio-news\n  file: radio.txt\n  sha256: {sha}\n"
        "  title: Radio news\n  language: en\n  republished_from: example-gazette\n"
        "  published:\n    value: 2022-03-03\n    basis: stated\n" + relation, encoding="utf-8")
    return seeds


@pytest.mark.parametrize("origin", [True, False])
def test_a_shared_origin_makes_two_reports_dependent(tmp_path: Path, cli, origin: bool):
    seeds = _seeds(tmp_path, origin)
    db = tmp_path / "f.db"
    result = cli("build", "--seeds", seeds, "--db", db)
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    (independent, source) = conn.execute(
        "SELECT independent, fact_speaker_or_source FROM relation_details "
        "WHERE relation_id = 'radio-and-gazette-agree'").fetchone()
    if origin:
        assert independent == "no: both from Olli Mäki"
        assert source.startswith("Olli Mäki via ")
    else:
        assert independent == "yes"
    assert conn.execute("SELECT republished_from_id FROM documents WHERE id = 'radio-news'"
                        ).fetchone() == ("example-gazette",)


def test_a_deprecated_fact_stays_with_its_reason(tmp_path: Path, cli):
    seeds = _seeds(tmp_path, origin=True)
    db = tmp_path / "f.db"
    assert cli("build", "--seeds", seeds, "--db", db).exit_code == 0
    conn = sqlite3.connect(db)
    rows = dict(conn.execute("SELECT statement_id, status FROM statement_details"))
    assert rows == {"berg-bridge-opens-next-spring": "normal",
                    "maki-council-approved-budget": "deprecated"}
    assert conn.execute("SELECT DISTINCT status FROM event_timeline").fetchall() == [("normal",)]
    shown = cli("explain", "maki-council-approved-budget", "--seeds", seeds).output
    assert "deprecated: the event council-approves-bridge-budget says it" in shown
    chain = cli("explain", "council-approves-bridge-budget", "--seeds", seeds).output
    assert ("olli-maki (Olli Mäki) → republished from example-gazette (Example Gazette) → "
            "radio-news") in chain
