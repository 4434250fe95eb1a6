"""Locating a fact's words: exact offsets, ambiguity, and the closest passage when absent."""

from __future__ import annotations

import pytest

from factdb.evidence.locate import LocateError, closest, locate

TEXT = "He said “we agree”. Later he said “we agree” again, and we agree – twice."


def test_offsets_are_python_string_indices_end_exclusive():
    span = locate(TEXT, "Later he said")
    assert TEXT[span.start:span.end] == "Later he said"
    assert (span.start, span.end) == (20, 33)


def test_repeated_words_need_an_occurrence():
    with pytest.raises(LocateError, match=r"occur 3 times .* add `occurrence: N` \(1 to 3\)"):
        locate(TEXT, "we agree")
    assert locate(TEXT, "we agree", occurrence=3).start == TEXT.rindex("we agree")
    with pytest.raises(LocateError, match="occurrence 4 asked for, but the words occur 3 times"):
        locate(TEXT, "we agree", occurrence=4)
    with pytest.raises(LocateError, match="occur only once; remove `occurrence`"):
        locate(TEXT, "Later", occurrence=1)


def test_straight_quotes_find_the_curly_passage_and_say_so():
    with pytest.raises(LocateError) as exc:
        locate(TEXT, 'He said "we agree".')
    assert str(exc.value) == ("words not found in the document; closest passage at 0-19 "
                              "(quotes differ): 'He said “we agree”.'")


def test_a_typo_points_at_the_passage_and_the_difference():
    near = closest(TEXT, "and we agre - twice")
    assert near[0].passage == "and we agree – twice"
    assert near[0].differences == ["typed 'agre', document has 'agree'", "dashes differ"]
