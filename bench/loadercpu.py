"""`python -m bench.loadercpu SEEDS DB`: a full build in this process, from no cache, and
the CPU time of the loader (this process) and of its parsing workers (its children).

On both cores the build's wall time is the loader's when the workers keep up, so the
loader's CPU time is what target 2 of issue 16 (a full build at 0.8x the bare baseline)
hangs on, and it is steadier than wall time on a shared machine.
"""

from __future__ import annotations

import resource
import shutil
import sys
import time
from pathlib import Path

from factdb.store.build import build
from factdb.store.cache import CACHE_DIR


def main() -> None:
    seeds, db = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(db.parent / CACHE_DIR, ignore_errors=True)
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    build(seeds, db)
    wall = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"wall {wall:.1f} s, loader CPU {own.ru_utime + own.ru_stime:.1f} s, "
          f"workers CPU {children.ru_utime + children.ru_stime:.1f} s")


if __name__ == "__main__":
    main()
