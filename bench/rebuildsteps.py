"""`python -m bench.rebuildsteps SEEDS DB`: one build of DB in this process (a rebuild, if
the cache beside DB allows), with the time of imports and of each step of a rebuild
(factdb.store.reuse): where the fixed cost of a rebuild after one change goes."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from bench.measure import time_calls

started = time.perf_counter()
from factdb.store import build as builder  # noqa: E402 - timed
from factdb.store import reuse, reusestore, splice, summaries  # noqa: E402

imported = time.perf_counter() - started
spent: dict[str, float] = {}

STEPS = [(reuse, "_plan"), (reusestore.Store, "summaries"), (reuse.summaries, "order"),
         (builder.seeds, "find_seed_files"), (reuse.seeds, "load_some"), (shutil, "copyfile"),
         (splice, "splice"), (summaries, "refill"), (reuse, "_verify"),
         (reusestore.Store, "save"), (builder, "_fsync")]


def main() -> None:
    for owner, name in STEPS:
        time_calls(owner, name, spent)
    t = time.perf_counter()
    result = builder.build(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"imports {imported:.3f} s, build {time.perf_counter() - t:.3f} s, "
          f"reused: {result.reused}")
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:16} {seconds:.3f} s")


if __name__ == "__main__":
    main()
