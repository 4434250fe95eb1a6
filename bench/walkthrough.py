"""Time the README's "Add an article" walkthrough as a user types it (`uv run factdb ...`).

Each run makes a fresh scratch repository (a committed copy of seeds/ and the fixture
article, as tests/test_walkthrough.py does) and runs every command of the README section
in it as a separate process; it prints each command's time, each run's total and the
median. ``uv run`` finds this project through UV_PROJECT.

    uv run python -m bench.walkthrough [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import ROOT
from tests.test_walkthrough import commands, scratch_repository


def one_run(env: dict[str, str]) -> tuple[float, list[tuple[str, float]], str]:
    with tempfile.TemporaryDirectory() as tmp:
        top = scratch_repository(Path(tmp) / "repo")
        each = []
        start = time.perf_counter()
        for command in commands():
            t = time.perf_counter()
            done = subprocess.run(command, cwd=top, env=env, capture_output=True, text=True)
            each.append((" ".join(command[3:5]), time.perf_counter() - t))
            if done.returncode:
                raise SystemExit(f"{' '.join(command)}: exit {done.returncode}\n{done.stderr}")
        total = time.perf_counter() - start
        subprocess.run(["git", "add", "-A", "seeds"], cwd=top, env=env, check=True)
        stat = subprocess.run(["git", "diff", "--cached", "--numstat", "--", "seeds"],
                              cwd=top, env=env, capture_output=True, text=True).stdout
        return total, each, stat


def main(runs: int = 3) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {"UV_PROJECT": str(ROOT), "GIT_AUTHOR_NAME": "Curator",
            "GIT_AUTHOR_EMAIL": "curator@example.org", "GIT_COMMITTER_NAME": "Curator",
            "GIT_COMMITTER_EMAIL": "curator@example.org"}
    totals = []
    for n in range(runs):
        total, each, stat = one_run(env)
        totals.append(total)
        print(f"run {n + 1}: {len(each)} commands, {total:.1f} s: "
              + ", ".join(f"{name} {s:.1f}" for name, s in each), flush=True)
    print(f"lines added to the seeds (git diff --numstat):\n{stat}", end="")
    print(f"median of {runs}: {statistics.median(totals):.1f} s "
          f"({', '.join(f'{t:.1f}' for t in totals)}); load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
