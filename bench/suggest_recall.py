"""How many curated statements `factdb suggest` finds on its own: recall and precision.

    uv run python -m bench.suggest_recall              # on seeds/
    uv run python -m bench.suggest_recall --seeds DIR

The seeds are copied with every fact taken out: the `statements:`, `events:` and
`relations:` sections and the actors' `roles:` (events and roles were curated alongside the
statements and cover many of the same passages). What is left is what a curator starting on
these documents would have: the texts, their boilerplate and skips, and the actors with their
names. Suggest then drafts for the passages `coverage` reports as unaccounted in that copy;
a second run drafts for every passage (`suggest --all`).

A curated statement is *found* when a draft of the same speech (direct or reported) has the
same speaker and its words cover at least 60% of the curated words' characters (offsets in
the same document). A draft is *right* when it has the speaker of some curated statement
(direct or reported) and the two spans overlap by at least 60% of either one: a quoted
phrase drafted from inside a curated reported statement is right. Recall is found/curated,
precision right/drafts, each for direct, reported and all.
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from factdb.curate.suggest.drafts import Draft
from factdb.curate.suggest.find import suggest
from factdb.seeds.load import COLUMNS, load, seed_files

ROOT = Path(__file__).resolve().parent.parent
OVERLAP = 0.6
KINDS = ("direct", "reported", "all")
_HIDDEN = re.compile(r"^(?:statements|events|relations):.*\n(?:(?:[ \t#].*)?\n)*", re.MULTILINE)
_ROLES = re.compile(r"^(?P<indent>[ \t]+)roles:.*\n(?:(?:(?P=indent)[ \t-].*)?\n)*", re.MULTILINE)


@dataclass(frozen=True)
class Curated:
    document: str
    speaker: str
    speech: str
    start: int
    end: int


@dataclass(frozen=True)
class Score:
    kind: str
    curated: int
    found: int
    drafts: int
    right: int

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.drafts if self.drafts else 1.0


def hide_statements(seeds: Path, dest: Path) -> Path:
    """A copy of ``seeds`` at ``dest`` without its statements, events, relations and roles."""
    shutil.copytree(seeds, dest)
    for path in seed_files(dest):
        text = path.read_text(encoding="utf-8")
        kept = _ROLES.sub("", _HIDDEN.sub("", text))
        if any(line.strip() and not line.lstrip().startswith("#") for line in kept.splitlines()):
            path.write_text(kept, encoding="utf-8")
        else:
            path.unlink()  # nothing but facts: an empty seed file is refused
    return dest


def curated(seeds: Path) -> list[Curated]:
    """The curated statements of a seeds folder, with their offsets."""
    cols = COLUMNS["statements"]
    rows = [dict(zip(cols, r, strict=True)) for r in load(seeds).rows["statements"]]
    return [Curated(r["document_id"], r["speaker_id"], r["speech"], r["start_offset"],
                    r["end_offset"]) for r in rows]


def _overlap(a: Draft, b: Curated) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start)) if a.document == b.document else 0


def found(c: Curated, drafts: list[Draft]) -> bool:
    return any(d.speaker == c.speaker and d.speech == c.speech
               and _overlap(d, c) >= OVERLAP * (c.end - c.start) for d in drafts)


def right(d: Draft, statements: list[Curated]) -> bool:
    return any(d.speaker == c.speaker and _overlap(d, c) >= OVERLAP * min(
        d.end - d.start, c.end - c.start) for c in statements)


def score(drafts: list[Draft], statements: list[Curated]) -> dict[str, Score]:
    scores = {}
    for kind in KINDS:
        cs = [c for c in statements if kind in ("all", c.speech)]
        ds = [d for d in drafts if kind in ("all", d.speech)]
        scores[kind] = Score(kind, len(cs), sum(found(c, drafts) for c in cs), len(ds),
                             sum(right(d, statements) for d in ds))
    return scores


def measure(seeds: Path = ROOT / "seeds", all_passages: bool = False) -> dict[str, Score]:
    """Recall and precision of suggest on ``seeds`` with its statements hidden."""
    statements = curated(seeds)
    with tempfile.TemporaryDirectory() as tmp:
        hidden = hide_statements(seeds, Path(tmp) / "seeds")
        drafts = list(suggest(hidden, all_passages=all_passages).drafts)
    return score(drafts, statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    args = parser.parse_args()
    print(f"{'passages':<12} {'speech':<9} {'curated':>7} {'found':>5} {'recall':>6}  "
          f"{'drafts':>6} {'right':>5} {'precision':>9}")
    for label, every in (("unaccounted", False), ("all", True)):
        for s in measure(args.seeds, every).values():
            print(f"{label:<12} {s.kind:<9} {s.curated:>7} {s.found:>5} {s.recall:>6.2f}  "
                  f"{s.drafts:>6} {s.right:>5} {s.precision:>9.2f}")


if __name__ == "__main__":
    main()
