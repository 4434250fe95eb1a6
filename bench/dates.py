"""Date words: factdb's resolver against dateparser on the project's table of cases
(fixtures/dates/cases.tsv), side by side.

    uv run python -m bench.dates [--verbose]

factdb is right on a case when its value, precision, earliest and latest all equal the
expected ones. dateparser gives one datetime, not a span: it is counted right when that
day falls inside the expected earliest..latest bounds (for a day-precision case, when it is
that day). dateparser is run with ``RELATIVE_BASE`` set to the anchor (noon) and otherwise
its default settings (and once more with ``PREFER_DATES_FROM: past``, which suits news
better); ``None`` or an exception is a miss.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime
from datetime import time as clock

from factdb.dates.cases import Case, load_cases
from factdb.dates.words import resolve
from tests.conftest import FIXTURES

TABLE = FIXTURES / "dates" / "cases.tsv"


def factdb_right(case: Case) -> tuple[bool, str]:
    span = resolve(case.words, case.anchor, case.anchor)
    if span is None:
        return False, "not understood"
    got = (span.value, span.precision, span.earliest, span.latest)
    return got == (case.value, case.precision, case.earliest, case.latest), \
        f"{span.value} {span.precision} {span.earliest}..{span.latest}"


def dateparser_right(case: Case, prefer: str | None = None) -> tuple[bool, str]:
    import dateparser

    settings = {"RELATIVE_BASE": datetime.combine(case.anchor, clock(12))}
    if prefer:
        settings["PREFER_DATES_FROM"] = prefer
    try:
        got = dateparser.parse(case.words, settings=settings)
    except Exception as exc:  # any failure of the library is a miss
        return False, f"{type(exc).__name__}"
    if got is None:
        return False, "None"
    return case.earliest <= got.date() <= case.latest, got.date().isoformat()


JUDGES = {
    "factdb": factdb_right,
    "dateparser": dateparser_right,
    "dateparser-past": lambda case: dateparser_right(case, "past"),
}


def main(argv: list[str]) -> None:
    verbose = "--verbose" in argv
    cases = load_cases(TABLE)
    seconds = dict.fromkeys(JUDGES, 0.0)
    right: dict[tuple[str, str], int] = {}
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.precision] = counts.get(case.precision, 0) + 1
        for name, judge in JUDGES.items():
            start = time.perf_counter()
            ok, got = judge(case)
            seconds[name] += time.perf_counter() - start
            right[name, case.precision] = right.get((name, case.precision), 0) + ok
            right[name, "all"] = right.get((name, "all"), 0) + ok
            if verbose and not ok:
                print(f"{name:15} miss  {case.words!r} @ {case.anchor}: got {got}; want "
                      f"{case.value} ({case.earliest}..{case.latest})")
    total = len(cases)
    counts["all"] = total
    print(f"{TABLE.relative_to(FIXTURES.parent)}: {total} cases")
    print(f"{'precision':10} {'cases':>5} " + " ".join(f"{n:>15}" for n in JUDGES))
    for precision in ("day", "week", "month", "year", "range", "all"):
        print(f"{precision:10} {counts.get(precision, 0):5} "
              + " ".join(f"{right.get((n, precision), 0):15}" for n in JUDGES))
    print(f"{'per cent':10} {'':5} "
          + " ".join(f"{100 * right.get((n, 'all'), 0) / total:15.1f}" for n in JUDGES))
    print("seconds: " + ", ".join(f"{n} {t:.3f}" for n, t in seconds.items())
          + " (the first call of each includes its imports)")


if __name__ == "__main__":
    main(sys.argv[1:])
