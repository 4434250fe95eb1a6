"""Datasette pages over HTTP: a real `factdb serve` process on a database, timed by a client.

The server is started on a free port and asked until it answers; the pages are picked from
the database itself (the busiest speaker's middle statement, the middle document and event
by id). Each round requests every page once, in turn, so the machine's load hits all alike;
round 0 is a warm-up and is not counted. The baseline is Datasette's own `/-/versions.json`
(a request that reads no table), measured in the same rounds: the ratio's denominator.

Beside the wall time a client sees, the server's own CPU time per request (all its threads,
from /proc/PID/task/*/schedstat, in ns): on a machine shared with other jobs the wall time
includes waiting for a core, the CPU time does not; the two agree on an idle machine.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from factdb.query.examples import BUSIEST_SPEAKER

TARGET_MS = 100  # issue 16, target 6: every page under this at 1M statements
BASELINE = "baseline: /-/versions.json"
STARTUP_S = 600  # a 1M database: Datasette counts every table once as it starts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, int]:
    """One GET on a new connection: (status, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, len(response.read())
    finally:
        conn.close()


def cpu_ns(pid: int) -> int | None:
    """CPU time the process ``pid`` has used so far, all threads (Linux; None elsewhere)."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    for tid in tasks:
        with contextlib.suppress(OSError, ValueError, IndexError), \
                open(f"/proc/{pid}/task/{tid}/schedstat") as f:
            total += int(f.read().split()[0])
    return total


@contextlib.contextmanager
def serving(db: Path) -> Iterator[tuple[int, int]]:
    """`factdb serve` on ``db`` on a free port, until it answers: (port, pid); stopped on
    exit."""
    port = free_port()
    factdb = str(Path(sys.executable).parent / "factdb")
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([factdb, "serve", "--db", str(db), "--port", str(port)],
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_S
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"factdb serve exited {proc.returncode}:\n"
                                       f"{log.read().decode(errors='replace')[-3000:]}")
                with contextlib.suppress(OSError, http.client.HTTPException):
                    if _get(port, "/-/versions.json")[0] == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"factdb serve did not answer in {STARTUP_S}s")
                time.sleep(0.2)
            yield port, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def pick(db: Path) -> dict[str, str]:
    """Representative ids: the busiest speaker's middle statement, the middle document and
    the middle event (by id)."""
    conn = sqlite3.connect(f"file:{db.resolve()}?mode=ro&immutable=1", uri=True)
    try:
        def middle(sql: str, *params: str) -> str:
            (count,) = conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()
            return conn.execute(f"{sql} LIMIT 1 OFFSET ?", (*params, count // 2)).fetchone()[0]

        (speaker,) = conn.execute(BUSIEST_SPEAKER).fetchone()
        return {
            "statement": middle("SELECT id FROM statements WHERE speaker_id = ? ORDER BY id",
                                speaker),
            "document": middle("SELECT id FROM documents ORDER BY id"),
            "event": middle("SELECT id FROM events ORDER BY id"),
        }
    finally:
        conn.close()


def pages(db: Path) -> dict[str, str]:
    """Page name -> path, the baseline first."""
    from datasette.utils import tilde_encode

    from factdb.web.config import database_name
    from factdb.web.pages import url

    name = database_name(db)
    base = f"/{tilde_encode(name)}"
    ids = pick(db)
    return {
        BASELINE: "/-/versions.json",
        "home /": "/",
        "database": base,
        "table statements": f"{base}/statements",
        "table events": f"{base}/events",
        "table documents": f"{base}/documents",
        "view statement_details": f"{base}/statement_details",
        "view evidence": f"{base}/evidence",  # rows of several tables: no one base table
        "statement page": url(name, "statement", ids["statement"]),
        "document page": url(name, "document", ids["document"]),
        "event page": url(name, "event", ids["event"]),
        "conflicts canned query": f"{base}/conflicts",
        "timeline canned query": f"{base}/timeline",  # no limit parameter: up to 1,000 rows
        "conflicts side by side": url(name, "conflicts"),
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


def measure(db: Path, runs: int, log=lambda message: None) -> dict:
    """Every page of ``db`` ``runs`` times (after one warm-up round) against a real server."""
    paths = pages(db)
    times: dict[str, list[float]] = {name: [] for name in paths}
    cpu: dict[str, list[float]] = {name: [] for name in paths}
    sizes: dict[str, int] = {}
    statuses: dict[str, set[int]] = {name: set() for name in paths}
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with serving(db) as (port, pid):
        log(f"factdb serve on {db.name} answered in {time.perf_counter() - started:.1f}s")
        for round_ in range(runs + 1):
            for name, path in paths.items():
                cpu_before, began = cpu_ns(pid), time.perf_counter()
                status, size = _get(port, path)
                seconds, cpu_after = time.perf_counter() - began, cpu_ns(pid)
                statuses[name].add(status)
                sizes[name] = size
                if round_:
                    times[name].append(seconds)
                    if cpu_before is not None and cpu_after is not None:
                        cpu[name].append((cpu_after - cpu_before) / 1e9)
                else:
                    log(f"  warm-up {name}: {seconds * 1000:.0f} ms")
    base = statistics.median(times[BASELINE])
    found = []
    for name, path in paths.items():
        median = statistics.median(times[name])
        found.append({"page": name, "path": path, "median_ms": median * 1000,
                      "p95_ms": _p95(times[name]) * 1000, "bytes": sizes[name],
                      "server_cpu_ms": statistics.median(cpu[name]) * 1000 if cpu[name]
                      else None,
                      "status": sorted(statuses[name]), "ratio": median / base,
                      "met": name == BASELINE or (median * 1000 < TARGET_MS
                                                  and statuses[name] == {200}),
                      "runs_ms": [t * 1000 for t in times[name]]})
    return {"db": str(db), "runs": runs, "pages": found, "load_before": load_before,
            "load_after": os.getloadavg()[0]}


def render(result: dict) -> list[str]:
    """One database's pages as printed."""
    from bench.report import _table

    out = [f"Datasette pages of {result['db']} over HTTP (`factdb serve`; median and p95 of "
           f"{result['runs']} rounds after a warm-up, and the server's median CPU time per "
           f"request; target < {TARGET_MS} ms)"]
    out += _table(["page", "median ms", "p95 ms", "server CPU ms", "bytes", "status", "ratio",
                   "target"],
                  [[p["page"], f"{p['median_ms']:.1f}", f"{p['p95_ms']:.1f}",
                    "n/a" if p["server_cpu_ms"] is None else f"{p['server_cpu_ms']:.1f}",
                    f"{p['bytes']:,}", ",".join(map(str, p["status"])),
                    f"{p['ratio']:.1f}x", "" if p["page"] == BASELINE
                    else ("met" if p["met"] else "MISSED")] for p in result["pages"]])
    out.append(f"load average: {result['load_before']:.1f} before, "
               f"{result['load_after']:.1f} after")
    return out
