"""Stop a running query: after a time limit, or when the user presses Ctrl-C.

SQLite runs a statement in C, where Python's own Ctrl-C handling never gets a turn; a
progress handler, called every :data:`STEPS` virtual-machine steps, is where both the
deadline and a pending Ctrl-C are noticed, and the statement is abandoned there.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from contextlib import contextmanager

from factdb.errors import FactdbError

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (type checkers know it)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import FrameType
    from typing import Any

STEPS = 10_000  # SQLite VM steps between checks: well under a millisecond of work
DEFAULT_TIMEOUT = 30.0  # seconds an ad hoc query may run


class _Stop:
    """The progress handler: asks SQLite to stop once Ctrl-C was pressed or time is up."""

    def __init__(self, timeout: float) -> None:
        self.deadline = time.monotonic() + timeout if timeout > 0 else None
        self.timeout = timeout
        self.interrupted = False
        self.timed_out = False

    def __call__(self) -> int:
        if self.interrupted:
            return 1
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.timed_out = True
            return 1
        return 0

    def on_sigint(self, signum: int, frame: FrameType | None) -> None:
        self.interrupted = True

    def raise_if_stopped(self) -> None:
        if self.interrupted:
            raise KeyboardInterrupt
        if self.timed_out:
            raise FactdbError(
                f"query stopped after {self.timeout:g} s (--timeout); make it cheaper (a WHERE, "
                "a LIMIT, a recursive CTE that ends) or give it longer: --timeout SECONDS, "
                "0 for no limit")


@contextmanager
def guarded(conn: Any, timeout: float = 0,
            steps: int = STEPS) -> Iterator[None]:
    """Run the body's queries on ``conn`` so that Ctrl-C stops them (KeyboardInterrupt) and
    so do ``timeout`` seconds (a FactdbError; 0 means no limit), checked every ``steps``."""
    if not isinstance(conn, sqlite3.Connection):  # a server: its own timeout; Ctrl-C
        conn.set_timeout(timeout)                  # cancels the statement (psycopg)
        yield
        return
    stop = _Stop(timeout)
    conn.set_progress_handler(stop, steps)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, stop.on_sigint)
    try:
        yield
    except (FactdbError, sqlite3.Error):
        stop.raise_if_stopped()  # SQLite's "interrupted", said as what stopped it
        raise
    finally:
        conn.set_progress_handler(None, 0)
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    stop.raise_if_stopped()  # Ctrl-C pressed after SQLite's last step
