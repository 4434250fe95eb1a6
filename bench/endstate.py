"""Prove two databases hold the same rows: an order-independent digest of every table."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def digests(db: Path, columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Per table: row count and the XOR of each row's hash (surrogate ids left out)."""
    conn = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
    try:
        out = {}
        for table, names in columns.items():
            acc, count = 0, 0
            for row in conn.execute(f"SELECT {', '.join(names)} FROM {table}"):
                digest = hashlib.blake2b(repr(row).encode(), digest_size=8).digest()
                acc ^= int.from_bytes(digest, "big")
                count += 1
            out[table] = f"{count}:{acc:016x}"
        for fts in ("documents_fts", "statements_fts", "events_fts"):
            (count,) = conn.execute(f"SELECT count(*) FROM {fts}_docsize").fetchone()
            out[fts] = str(count)
        return out
    finally:
        conn.close()


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """Tables whose digests differ."""
    return [t for t in sorted(set(a) | set(b)) if a.get(t) != b.get(t)]
