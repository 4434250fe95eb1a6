"""The curated record in seeds/, checked in the built database.

The invariants (tests/curation_invariants.py) hold for any seeds folder, so they keep
holding as curators add articles; each is shown to catch a database broken on purpose. The
content checks below are about the five original articles and only ever say 'contains' or
'at least', never how many records the seeds hold.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.curation_invariants import INVARIANTS, evidence_sources

FI, YLE, BARENTS, UNI, PLAINSMEN = (
    "fi-lavrov-message-finland", "yle-lavrov-letter-published", "barents-observer-clear-answer",
    "uni-response-to-us-today", "plainsmen-post-dialogue-options",
)
FIVE = (FI, YLE, BARENTS, UNI, PLAINSMEN)


@pytest.fixture(scope="module")
def db(seeds_db: Path):
    conn = sqlite3.connect(seeds_db)
    yield conn
    conn.close()


@pytest.mark.parametrize("name", INVARIANTS)
def test_invariant_holds_on_the_seeds(db, name):
    assert INVARIANTS[name](db, SEEDS) == []


# One way to break each invariant: the statements run on a copy of the seeds' database.
FIRST = "(SELECT min(rowid) FROM {})"
BREAKS = {
    "coverage_is_complete": f"UPDATE documents SET id = 'not-in-the-seeds' "
                            f"WHERE rowid = {FIRST.format('documents')}",
    "texts_are_the_seed_files": f"UPDATE documents SET text = text || ' ' "
                                f"WHERE rowid = {FIRST.format('documents')}",
    "evidence_offsets_hold_their_words": f"UPDATE actor_roles SET end_offset = end_offset - 1 "
                                         f"WHERE rowid = {FIRST.format('actor_roles')}",
    "boilerplate_regions_lie_in_their_text": "UPDATE boilerplate_regions SET end_offset = "
                                             "1000000000",
    "no_evidence_in_boilerplate": """UPDATE boilerplate_regions SET (document_id, start_offset,
        end_offset) = (SELECT document_id, start_offset, end_offset FROM event_sources
                       WHERE rowid = (SELECT min(rowid) FROM event_sources))
        WHERE rowid = (SELECT min(rowid) FROM boilerplate_regions)""",
    "aliases_are_whole_words_in_their_documents": """UPDATE actor_aliases
        SET alias = substr(alias, 2), start_offset = start_offset + 1
        WHERE rowid = (SELECT min(rowid) FROM actor_aliases WHERE document_id IS NOT NULL)""",
    "publication_dates_have_a_basis": "UPDATE documents SET published_on_words = NULL, "
                                      "published_on_inferred_from = NULL",
    "inferred_dates_say_from_what": "UPDATE events SET date_inferred_from = NULL",
    "date_bounds_are_ordered_and_in_the_value": f"UPDATE statements SET said_on_latest = "
        f"'1900-01-01' WHERE rowid = {FIRST.format('statements WHERE said_on IS NOT NULL')}",
    "date_words_occur_in_the_document": "UPDATE statements SET said_on_words = 'fortnightly' "
                                        "WHERE said_on_words IS NOT NULL",
    "speakers_and_participants_are_actors": f"UPDATE statements SET speaker_id = 'nobody' "
                                            f"WHERE rowid = {FIRST.format('statements')}",
    "publishers_and_relays_are_media_outlets": "UPDATE documents SET publisher_id = "
        "(SELECT id FROM actors WHERE kind = 'person' ORDER BY id LIMIT 1)",
    "facts_are_statements_and_events": f"DELETE FROM facts WHERE rowid = {FIRST.format('facts')}",
    "documents_hold_facts": "DELETE FROM event_sources WHERE document_id = (SELECT id FROM "
                            "documents ORDER BY id LIMIT 1); DELETE FROM statements WHERE "
                            "document_id = (SELECT id FROM documents ORDER BY id LIMIT 1)",
    "events_have_sources": "DELETE FROM event_sources "
                           "WHERE event_id = (SELECT min(id) FROM events)",
    "relations_have_evidence_on_both_sides": "UPDATE relations SET other_document_id = 'nowhere'",
    "dependent_corroborations_say_so": "UPDATE relations SET note = 'agrees'",
    "skips_give_reasons": "UPDATE skipped_passages SET reason = ' '",
}


def test_every_invariant_has_a_way_to_break_it():
    assert set(BREAKS) == set(INVARIANTS)


@pytest.mark.parametrize("name", INVARIANTS)
def test_invariant_catches_a_broken_database(seeds_db, tmp_path, name):
    broken = tmp_path / "broken.db"
    shutil.copyfile(seeds_db, broken)
    conn = sqlite3.connect(broken)
    try:
        conn.executescript(BREAKS[name])
        conn.commit()
        assert INVARIANTS[name](conn, SEEDS) != []
    finally:
        conn.close()


def test_every_evidence_table_and_view_is_checked(db):
    # a new table or view with offsets but no words column would go unchecked: name it here
    sources = evidence_sources(db)
    assert None not in sources.values(), sources
    assert {"statements", "event_sources", "actor_roles", "actor_aliases", "skipped_passages",
            "evidence"} <= set(sources)


# -- the five original articles: what they say, never how many records there are ----------

def test_the_five_articles_are_in(db):
    ids = {doc for (doc,) in db.execute("SELECT id FROM documents")}
    assert set(FIVE) <= ids


def test_publication_dates_say_how_they_are_known(db):
    rows = db.execute(f"""
        select id, published_on, published_on_basis, published_on_earliest, published_on_latest
        from documents where id in ({", ".join("?" * len(FIVE))})
        order by published_on_earliest, id""", FIVE).fetchall()
    assert rows == [
        (BARENTS, "2022-02", "inferred", "2022-02-01", "2022-02-02"),
        (FI, "2022-02-01", "stated", "2022-02-01", "2022-02-01"),
        (YLE, "2022-02", "inferred", "2022-02-01", "2022-02-04"),
        (PLAINSMEN, "2022-02", "inferred", "2022-02-14", "2022-02-15"),
        (UNI, "2022-02-17", "inferred", "2022-02-17", "2022-02-17"),
    ]


def _aliases(db, *names: str) -> set[tuple[str, str, str]]:
    return set(db.execute(f"""select alias, actor_id, document_id from actor_aliases
                              where alias in ({", ".join("?" * len(names))})""", names))


def test_both_spellings_of_lavrov_resolve_to_one_actor(db):
    found = _aliases(db, "Sergei Lavrov", "Sergey Lavrov")
    assert {actor for _, actor, _ in found} == {"sergey-lavrov"}
    assert {("Sergei Lavrov", "sergey-lavrov", d) for d in (FI, PLAINSMEN, YLE)} <= found
    assert {("Sergey Lavrov", "sergey-lavrov", d) for d in (BARENTS, UNI, YLE)} <= found


def test_machine_translation_artefacts_are_aliases_of_the_right_actor(db):
    assert _aliases(db, "Aleksandr Gruškon", "To Pekka Haavisto",
                    "Russian The Embassy of Finland") >= {
        ("Aleksandr Gruškon", "alexander-grushko", FI),
        ("Russian The Embassy of Finland", "russian-embassy-finland", FI),
        ("To Pekka Haavisto", "pekka-haavisto", FI),
    }


def test_a_quote_in_two_documents_is_one_statement_per_document(db):
    rows = set(db.execute("""
        select id, document_id, speaker_id, speech from statements
        where lower(quote) like 'the western countries continue to pick up out of it%'"""))
    assert rows >= {
        ("lavrov-letter-western-countries-pick-elements-barents", BARENTS, "sergey-lavrov",
         "direct"),
        ("lavrov-letter-western-countries-pick-elements-yle", YLE, "sergey-lavrov", "direct"),
    }


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
    row = db.execute("""select independent, note from relation_details
                        where relation_id = 'haavisto-officials-review-letter-yle-and-barents'
                        """).fetchone()
    assert row[0] == "no: both from Yle"
    assert row[1].startswith("NOT independent")


def test_relays_named_in_the_five_articles_are_recorded(db):
    relays = set(db.execute("""
        select relayed_by_id, document_id from statements where relayed_by_id is not null
        union select relayed_by_id, document_id from event_sources
        where relayed_by_id is not null"""))
    assert relays >= {("ria-novosti", FI), ("sputnik", UNI), ("tass", FI), ("vg", BARENTS),
                      ("yle", BARENTS)}


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
