"""Each event source's own date: read against its own document, giving an undated event its
date, and conflicts listed (by `check` as warnings, by the date-conflicts query)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.conftest import FIXTURES

EVENT_DATE = ("    date:\n      value: 2022-03-02\n      basis: inferred\n      words: yesterday\n"
              "      anchor: bridge-news\n")
SOURCE = "        words: The city council approved the budget yesterday, council chair Olli " \
         "Mäki said.\n"


def _seeds(tmp_path: Path, event_date: bool, source_date: str) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "bad" / "_valid", seeds)
    events = seeds / "events.yaml"
    text = events.read_text(encoding="utf-8")
    assert EVENT_DATE in text and SOURCE in text
    if not event_date:
        text = text.replace(EVENT_DATE, "", 1)
    events.write_text(text.replace(SOURCE, SOURCE + source_date, 1), encoding="utf-8")
    return seeds


def test_an_undated_event_takes_its_sources_date_read_against_its_document(tmp_path, cli):
    seeds = _seeds(tmp_path, False, "        date:\n          words: yesterday\n")
    db = tmp_path / "f.db"
    result = cli("build", "--seeds", seeds, "--db", db)
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT date, date_precision, date_basis, date_words FROM events"
                        ).fetchall() == [("2022-03-02", "day", "inferred", "yesterday")]
    assert conn.execute("SELECT source_date, source_date_words FROM event_source_details"
                        ).fetchall() == [("2022-03-02", "yesterday")]
    assert conn.execute("SELECT count(*) FROM date_conflicts").fetchone() == (0,)
    shown = cli("explain", "council-approves-bridge-budget", "--seeds", seeds).output
    assert "(source, dated 2022-03-02 (inferred from: " in shown
    assert "date         2022-03-02 (inferred from: the date its source in bridge-news gives" \
        in shown


def test_an_event_needs_a_date_of_its_own_or_of_a_source(tmp_path, cli):
    seeds = _seeds(tmp_path, False, "")
    result = cli("check", "--seeds", seeds)
    assert result.exit_code == 1
    assert ("events[0].date: missing required field 'date': give the event's date, or a date "
            "on one of its sources") in result.stderr


def test_dates_that_cannot_both_be_true_are_warned_of_and_listed(tmp_path, cli):
    seeds = _seeds(tmp_path, True, "        date:\n          value: 2022-02\n"
                                   "          basis: stated\n")
    result = cli("check", "--seeds", seeds)
    assert result.exit_code == 0, result.output
    assert ("warning: event council-approves-bridge-budget: its date in bridge-news (2022-02) "
            "and in the event (2022-03-02) cannot both be true") in result.stderr
    db = tmp_path / "f.db"
    assert cli("build", "--seeds", seeds, "--db", db).exit_code == 0
    shown = cli("query", "date-conflicts", "--db", db, "--format", "csv").stdout
    assert "council-approves-bridge-budget,bridge-news,2022-02," in shown
    assert "the event,2022-03-02,yesterday" in shown
