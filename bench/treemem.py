"""Peak memory of a process tree: ``wait4``'s ru_maxrss is the largest single process's,
not what a build and its parsing workers hold together. A thread samples the sum over the
process and its descendants of RSS every 50 ms (``/proc/PID/statm``, cheap), and of PSS
every second (``/proc/PID/smaps_rollup``: pages shared after a fork counted once, split
between their holders; reading it walks the page tables, ~10 ms per 350 MB, too dear to
do every 50 ms without slowing what is measured).

``python -m bench.treemem CMD ...`` runs a command and prints its tree's peaks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

INTERVAL = 0.05
PSS_EVERY = 20  # samples
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0  # gone


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


class TreeSampler:
    """Samples a process tree in a thread until stopped; keeps the peaks (MiB)."""

    def __init__(self, pid: int, sample: bool = True):
        self.pid = pid
        self.sample = sample
        self.peak_pss_mb = self.peak_rss_mb = 0.0
        self.most_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        if self.sample:
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self.sample:
            self._thread.join()

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            pids = tree(self.pid)
            self.peak_rss_mb = max(self.peak_rss_mb, sum(map(_rss, pids)) / 1024)
            if n % PSS_EVERY == 0:
                self.peak_pss_mb = max(self.peak_pss_mb, sum(map(_pss, pids)) / 1024)
            self.most_processes = max(self.most_processes, len(pids))
            n += 1
            self._stop.wait(INTERVAL)


if __name__ == "__main__":
    started = time.perf_counter()
    proc = subprocess.Popen(sys.argv[1:])
    with TreeSampler(proc.pid) as sampler:
        _, status, usage = os.wait4(proc.pid, 0)
    print(f"{time.perf_counter() - started:.1f} s, largest process {usage.ru_maxrss / 1024:.0f} "
          f"MB, tree PSS {sampler.peak_pss_mb:.0f} MB, tree RSS {sampler.peak_rss_mb:.0f} MB, "
          f"{sampler.most_processes} processes, exit {os.waitstatus_to_exitcode(status)}",
          file=sys.stderr)
