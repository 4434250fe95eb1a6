"""The curated record of the five seed articles, checked in the built database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SEEDS

FI, YLE, BARENTS, UNI, PLAINSMEN = (
    "fi-lavrov-message-finland", "yle-lavrov-letter-published", "barents-observer-clear-answer",
    "uni-response-to-us-today", "plainsmen-post-dialogue-options",
)

# Every row that points at words in a document: (table, id column, words column).
EVIDENCE = (
    ("statements", "id", "quote"),
    ("event_sources", "event_id", "words"),
    ("actor_roles", "actor_id", "words"),
    ("actor_aliases", "actor_id", "alias"),
    ("skipped_passages", "document_id", "words"),
)


@pytest.fixture(scope="module")
def db(seeds_db: Path):
    conn = sqlite3.connect(seeds_db)
    yield conn
    conn.close()


def test_table_counts(db):
    tables = ("documents", "boilerplate_regions", "skipped_passages", "actors", "actor_aliases",
              "actor_roles", "statements", "events", "event_participants", "event_sources",
              "relations")
    counts = {t: db.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
    assert counts == {
        "documents": 5, "boilerplate_regions": 18, "skipped_passages": 4, "actors": 41,
        "actor_aliases": 123, "actor_roles": 25, "statements": 66, "events": 19,
        "event_participants": 46, "event_sources": 51, "relations": 15,
    }


def test_every_document_holds_statements_and_event_reports(db):
    rows = db.execute("""
        select d.id,
               (select count(*) from statements s where s.document_id = d.id),
               (select count(distinct e.event_id) from event_sources e where e.document_id = d.id)
        from documents d order by d.id""").fetchall()
    assert rows == [(BARENTS, 16, 11), (FI, 16, 7), (PLAINSMEN, 17, 4), (UNI, 6, 6),
                    (YLE, 11, 6)]


def test_publication_dates_say_how_they_are_known(db):
    rows = db.execute("""
        select id, published_on, published_on_basis, published_on_earliest, published_on_latest
        from documents order by published_on_earliest, id""").fetchall()
    assert rows == [
        (BARENTS, "2022-02", "inferred", "2022-02-01", "2022-02-02"),
        (FI, "2022-02-01", "stated", "2022-02-01", "2022-02-01"),
        (YLE, "2022-02", "inferred", "2022-02-01", "2022-02-04"),
        (PLAINSMEN, "2022-02", "inferred", "2022-02-14", "2022-02-15"),
        (UNI, "2022-02-17", "inferred", "2022-02-17", "2022-02-17"),
    ]
    missing = db.execute("""select id from documents where published_on_basis = 'inferred'
                            and published_on_inferred_from is null""").fetchall()
    assert missing == []


def test_both_spellings_of_lavrov_resolve_to_one_actor(db):
    rows = db.execute("""
        select alias, actor_id, group_concat(document_id, ' ')
        from (select * from actor_aliases where alias in ('Sergei Lavrov', 'Sergey Lavrov')
              order by document_id)
        group by alias order by alias""").fetchall()
    assert rows == [
        ("Sergei Lavrov", "sergey-lavrov", f"{FI} {PLAINSMEN} {YLE}"),
        ("Sergey Lavrov", "sergey-lavrov", f"{BARENTS} {UNI} {YLE}"),
    ]


def test_machine_translation_artefacts_are_aliases_of_the_right_actor(db):
    rows = db.execute("""
        select alias, actor_id, document_id from actor_aliases
        where alias in ('Aleksandr Gruškon', 'To Pekka Haavisto', 'Russian The Embassy of Finland')
        order by alias""").fetchall()
    assert rows == [
        ("Aleksandr Gruškon", "alexander-grushko", FI),
        ("Russian The Embassy of Finland", "russian-embassy-finland", FI),
        ("To Pekka Haavisto", "pekka-haavisto", FI),
    ]


def test_a_quote_in_two_documents_is_one_statement_per_document(db):
    rows = db.execute("""
        select s.id, s.document_id, s.speaker_id, s.speech,
               substr(d.text, s.start_offset + 1, s.end_offset - s.start_offset) = s.quote
        from statements s join documents d on d.id = s.document_id
        where lower(s.quote) like 'the western countries continue to pick up out of it%'
        order by s.document_id""").fetchall()
    assert rows == [
        ("lavrov-letter-western-countries-pick-elements-barents", BARENTS, "sergey-lavrov",
         "direct", 1),
        ("lavrov-letter-western-countries-pick-elements-yle", YLE, "sergey-lavrov", "direct", 1),
    ]


def _evidence_of(db, fact: str, document: str | None) -> list[tuple[str, str]]:
    """(document, words) of a fact's evidence, in one document when given."""
    return db.execute("""
        select document_id, quote from statements where id = :fact
        union all
        select document_id, words from event_sources where event_id = :fact
        """, {"fact": fact}).fetchall() if document is None else [
        row for row in _evidence_of(db, fact, None) if row[0] == document]


@pytest.mark.parametrize("kind", ["contradicts", "corroborates"])
def test_every_relation_has_evidence_on_both_sides(db, kind):
    relations = db.execute("""select id, fact_id, fact_document_id, other_fact_id,
                              other_document_id from relations where kind = ?""",
                           (kind,)).fetchall()
    assert len(relations) >= 3
    for rel_id, fact, fact_doc, other, other_doc in relations:
        assert _evidence_of(db, fact, fact_doc), rel_id
        assert _evidence_of(db, other, other_doc), rel_id


def test_the_osce_recipients_contradiction(db):
    row = db.execute("""
        select a.speaker_id, a.document_id, a.quote, b.speaker_id, b.document_id, b.quote
        from relations r
        join statements a on a.id = r.fact_id join statements b on b.id = r.other_fact_id
        where r.kind = 'contradicts' and r.id = 'letter-all-57-osce-members-vs-not-all'
        """).fetchone()
    assert row == (
        "pekka-haavisto", FI, "the letter has been sent to all OSCE members, a total of 57",
        "finnish-foreign-ministry", YLE,
        "according to their information, not all OSCE members have received the letter",
    )


def test_the_ten_pages_corroboration(db):
    row = db.execute("""
        select a.document_id, a.quote, b.document_id, b.quote from relations r
        join statements a on a.id = r.fact_id join statements b on b.id = r.other_fact_id
        where r.kind = 'corroborates' and r.id = 'reply-about-10-pages-vs-ten-pages'
        """).fetchone()
    assert row[0] == UNI and "about 10 pages long" in row[1]
    assert row[2] == PLAINSMEN and "has ten pages" in row[3]


def test_a_relayed_report_is_not_counted_as_independent(db):
    # 002 quotes Haavisto "according to broadcaster YLE", the publisher of 001: the record
    # says so (relayed_by), and the corroboration's note says it is not independent.
    rows = db.execute("""
        select r.id, r.note from relations r
        join statements a on a.id = r.fact_id join statements b on b.id = r.other_fact_id
        join documents da on da.id = a.document_id join documents db on db.id = b.document_id
        where r.kind = 'corroborates'
          and (a.relayed_by_id = db.publisher_id or b.relayed_by_id = da.publisher_id)
        """).fetchall()
    assert [r[0] for r in rows] == ["haavisto-officials-review-letter-yle-and-barents"]
    assert rows[0][1].startswith("NOT independent")


def test_relays_named_in_the_text_are_recorded(db):
    rows = db.execute("""
        select relayed_by_id, document_id, count(*) from (
            select relayed_by_id, document_id from statements
            union all select relayed_by_id, document_id from event_sources)
        where relayed_by_id is not null group by 1, 2 order by 1, 2""").fetchall()
    assert rows == [("ria-novosti", FI, 3), ("sputnik", UNI, 16), ("tass", FI, 2),
                    ("vg", BARENTS, 2), ("yle", BARENTS, 1)]


def test_no_evidence_comes_from_boilerplate(db):
    union = " union all ".join(
        f"select '{table}', {key}, document_id, start_offset, end_offset from {table}"
        for table, key, _ in EVIDENCE[:3])
    inside = db.execute(f"""
        select e.* from ({union}) e join boilerplate_regions b
          on b.document_id = e.document_id
         and e.start_offset < b.end_offset and b.start_offset < e.end_offset""").fetchall()
    assert inside == []


@pytest.mark.parametrize(("table", "key", "words"), EVIDENCE)
def test_offsets_hold_the_stored_words(db, table, key, words):
    total, wrong = db.execute(f"""
        select count(*), sum(substr(d.text, e.start_offset + 1, e.end_offset - e.start_offset)
                             is not e.{words})
        from {table} e join documents d on d.id = e.document_id""").fetchone()
    assert total > 0
    assert wrong == 0


def test_inferred_dates_say_what_they_were_inferred_from(db):
    rows = db.execute("""
        select id from statements where said_on_basis = 'inferred'
          and said_on_inferred_from is null
        union all
        select id from events where date_basis = 'inferred' and date_inferred_from is null
        """).fetchall()
    assert rows == []


def test_relative_dates_resolve_to_the_days_reported(db):
    rows = db.execute("""
        select id, date, date_words from events
        where id in ('finland-receives-lavrov-letter', 'lavrov-on-russian-state-tv',
                     'haavisto-kaikkonen-visit-stockholm', 'lavrov-putin-meeting',
                     'rau-visits-moscow', 'barents-council-meeting-tromso')
        order by date""").fetchall()
    assert rows == [
        ("barents-council-meeting-tromso", "2021-11", "last November"),
        ("lavrov-on-russian-state-tv", "2022-01-30", "last Sunday"),
        ("finland-receives-lavrov-letter", "2022-01-31", "yesterday"),
        ("haavisto-kaikkonen-visit-stockholm", "2022-02-02", "Wednesday, February 2"),
        ("lavrov-putin-meeting", "2022-02-14", "on Monday"),
        ("rau-visits-moscow", "2022-02-15", "on Tuesday"),
    ]


def test_coverage_is_complete_on_the_seeds(cli):
    result = cli("coverage", "--strict", "--seeds", SEEDS)
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()[1:] if line.strip()]
    assert {line[0]: (line[-2], line[-1]) for line in lines} == {
        BARENTS: ("0", "100.0%"), FI: ("0", "100.0%"), PLAINSMEN: ("0", "100.0%"),
        UNI: ("0", "100.0%"), YLE: ("0", "100.0%"), "total": ("0", "100.0%"),
    }
