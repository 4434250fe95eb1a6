"""Peak memory of a process tree: ``wait4``'s ru_maxrss is the largest single process's,
not what a build and its parsing workers hold together. A thread samples, every 50 ms,
the sum over the process and its descendants of PSS (``/proc/PID/smaps_rollup``: pages
shared after a fork are counted once, split between their holders) and of RSS.

``python -m bench.treemem CMD ...`` runs a command and prints its tree's peaks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

INTERVAL = 0.05


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in KiB; zeros once it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def tree_memory(pid: int) -> tuple[int, int, int]:
    """(PSS, RSS, processes) summed over ``pid`` and its descendants, in KiB."""
    pss = rss = n = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        got = _memory(p)
        pss, rss, n = pss + got[0], rss + got[1], n + 1
        todo += _children(p)
    return pss, rss, n


class TreeSampler:
    """Samples a process tree in a thread until stopped; keeps the peaks (MiB)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_pss_mb = self.peak_rss_mb = 0.0
        self.most_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pss, rss, n = tree_memory(self.pid)
            self.peak_pss_mb = max(self.peak_pss_mb, pss / 1024)
            self.peak_rss_mb = max(self.peak_rss_mb, rss / 1024)
            self.most_processes = max(self.most_processes, n)
            time.sleep(INTERVAL)


if __name__ == "__main__":
    started = time.perf_counter()
    proc = subprocess.Popen(sys.argv[1:])
    with TreeSampler(proc.pid) as sampler:
        _, status, usage = os.wait4(proc.pid, 0)
    print(f"{time.perf_counter() - started:.1f} s, largest process {usage.ru_maxrss / 1024:.0f} "
          f"MB, tree PSS {sampler.peak_pss_mb:.0f} MB, tree RSS {sampler.peak_rss_mb:.0f} MB, "
          f"{sampler.most_processes} processes, exit {os.waitstatus_to_exitcode(status)}",
          file=sys.stderr)
