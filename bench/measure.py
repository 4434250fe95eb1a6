"""Timing helpers: run a child process and read its peak memory; summarise repeated runs."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.treemem import TreeSampler


class ChildFailed(RuntimeError):
    """A measured command exited with an error."""


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    peak_rss_mb: float  # the largest single process's (wait4)
    stdout: str
    tree_rss_mb: float = 0.0  # the child and its descendants together (bench.treemem)
    tree_pss_mb: float = 0.0


def run_child(argv: Sequence[str], cwd: str | None = None,
              env: dict[str, str] | None = None, sample: bool = True) -> ChildRun:
    """Run ``argv`` to completion (``env``: variables added to this one's); wall time and the
    child's own peak RSS (``wait4``), and its process tree's (sampled, bench.treemem, unless
    ``sample`` is false: a process of a few milliseconds is timed without a sampler beside
    it)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, cwd=cwd,
                                env={**os.environ, **env} if env else None)
        with TreeSampler(proc.pid, sample) as tree:
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started  # (not the wait for the sampler to stop)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise ChildFailed(f"{' '.join(argv[:4])}... exited {proc.returncode}:\n"
                              f"{err.read().decode(errors='replace')[-3000:]}")
        # ru_maxrss is in KiB on Linux
        return ChildRun(seconds, usage.ru_maxrss / 1024, out.read().decode(errors="replace"),
                        tree.peak_rss_mb, tree.peak_pss_mb)


def summary(values: Sequence[float]) -> dict[str, float | list[float]]:
    """Median, min and max of repeated measurements, and the values themselves."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": list(values)}


def repeat(func: Callable[[], object], runs: int) -> dict:
    """Time ``func`` ``runs`` times in this process (seconds)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return summary(times)


def compile_bytecode() -> None:
    """Write factdb's bytecode (``__pycache__``) before timing anything, as Python does at
    a first import unless PYTHONDONTWRITEBYTECODE is set, as it is on the development
    machines: without it every timed process compiled every module it imported again,
    a quarter of a second of a rebuild. What is timed is then what a user's runs cost after
    the first; the installed packages' bytecode ``uv sync`` writes (tool.uv
    compile-bytecode in pyproject.toml)."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("factdb", "bench"):
        compileall.compile_dir(root / package, quiet=1, workers=0)


def machine() -> dict[str, str | int | float]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = 0.0
    try:
        with open("/proc/meminfo") as f:
            kib = next(int(line.split()[1]) for line in f if line.startswith("MemTotal"))
            memory = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    return {"cpu": cpu, "cores": os.cpu_count() or 0, "memory_gib": memory,
            "system": f"{platform.system()} {platform.release()}",
            "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version,
            "dont_write_bytecode": os.environ.get("PYTHONDONTWRITEBYTECODE", "")}


def time_calls(owner: object, name: str, spent: dict[str, float],
               ended: dict[str, float] | None = None, start: float = 0.0) -> None:
    """Wrap ``owner.name`` so that each call adds its seconds to ``spent[name]`` and, given
    ``ended``, notes when it ended (``perf_counter`` seconds after ``start``)."""
    inner = getattr(owner, name)

    def timed(*args: object, **kwargs: object) -> object:
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
            if ended is not None:
                ended[name] = time.perf_counter() - start

    setattr(owner, name, timed)
