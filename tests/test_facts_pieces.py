"""A quote interrupted by its attribution is one statement in pieces, each verified."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from factdb.curate.coverage import evidence_spans
from factdb.curate.locate import open_seeds
from tests.conftest import FIXTURES

# the fixture text: `"The bridge will open next spring," Berg told reporters in Tampere.`
PIECES = ("    pieces:\n      - words: The bridge will open\n"
          "      - words: told reporters in Tampere\n")


def _seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    shutil.copytree(FIXTURES / "bad" / "_valid", seeds)
    news = seeds / "news.yaml"
    text = news.read_text(encoding="utf-8")
    news.write_text(text.replace("    words: The bridge will open next spring,\n", PIECES, 1),
                    encoding="utf-8")
    return seeds


def test_a_quote_in_pieces_is_one_statement_with_each_piece_verified(tmp_path: Path, cli):
    seeds, db = _seeds(tmp_path), tmp_path / "f.db"
    result = cli("build", "--seeds", seeds, "--db", db)
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    quote, start, end = conn.execute(
        "SELECT quote, start_offset, end_offset FROM statements "
        "WHERE id = 'berg-bridge-opens-next-spring'").fetchone()
    assert quote == "The bridge will open … told reporters in Tampere"
    pieces = conn.execute("SELECT seq, start_offset, end_offset, words FROM statement_pieces "
                          "ORDER BY seq").fetchall()
    assert [p[0] for p in pieces] == [1, 2]
    assert (start, end) == (pieces[0][1], pieces[-1][2])
    # the evidence view lists the pieces, not the statement's whole span
    rows = conn.execute(
        "SELECT e.table_name, e.words, substr(d.text, e.start_offset + 1, "
        "e.end_offset - e.start_offset) FROM evidence e JOIN documents d "
        "ON d.id = e.document_id WHERE e.record_id LIKE 'berg-bridge-opens-next-spring%'"
    ).fetchall()
    assert sorted(rows) == [("statement_pieces", "The bridge will open", "The bridge will open"),
                            ("statement_pieces", "told reporters in Tampere",
                             "told reporters in Tampere")]
    shown = cli("explain", "berg-bridge-opens-next-spring", "--seeds", seeds).output
    assert "(quote, piece 1 of 2)" in shown and "(quote, piece 2 of 2)" in shown


def test_coverage_counts_the_pieces_not_the_words_between(tmp_path: Path):
    corpus, problems = open_seeds(_seeds(tmp_path))
    assert problems == []
    text = corpus.texts["bridge-news"]
    spans = [text[a:b] for a, b, fact in evidence_spans(corpus)["bridge-news"]
             if fact == "berg-bridge-opens-next-spring"]
    assert spans == ["The bridge will open", "told reporters in Tampere"]
