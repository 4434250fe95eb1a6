"""One file per relation: Parquet and CSV (through Arrow, typed), JSON Lines (one object a row).

Types are kept as the database stores them: integers as int64, text as UTF-8 strings, dates
as their ``YYYY[-MM[-DD]]`` text beside their precision and earliest/latest columns, and
booleans as the 0/1 integers SQLite stores. A NULL stays null: an empty unquoted CSV field
(an empty string is written ``""``), ``null`` in JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from factdb.export.relations import BLOB, BOOLEAN, INTEGER, REAL, Relation, batches, json_safe

SUFFIXES = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl"}


def arrow_schema(relation: Relation) -> Any:
    import pyarrow as pa

    types = {INTEGER: pa.int64(), REAL: pa.float64(), BLOB: pa.binary(), BOOLEAN: pa.bool_()}
    return pa.schema([pa.field(c.name, types.get(c.type, pa.string())) for c in relation.columns])


def _arrow_batches(conn: Any, relation: Relation, write: Callable[[Any], None]) -> int:
    import pyarrow as pa

    schema = arrow_schema(relation)
    count = 0
    for rows in batches(conn, relation):
        columns = list(zip(*rows, strict=True))
        write(pa.record_batch([pa.array(values, type=field.type)
                               for values, field in zip(columns, schema, strict=True)],
                              schema=schema))
        count += len(rows)
    return count


def write_parquet(conn: Any, relation: Relation, path: Path) -> int:
    """Write the relation to a Parquet file (Snappy, read by DuckDB, pandas and Arrow)."""
    import pyarrow.parquet as pq

    with pq.ParquetWriter(path, arrow_schema(relation)) as writer:
        return _arrow_batches(conn, relation, writer.write_batch)


def write_csv(conn: Any, relation: Relation, path: Path) -> int:
    """Write the relation to a CSV file: a header line, RFC 4180 quoting, UTF-8."""
    import pyarrow.csv as pc

    with pc.CSVWriter(path, arrow_schema(relation)) as writer:
        return _arrow_batches(conn, relation, writer.write_batch)


def write_jsonl(conn: Any, relation: Relation, path: Path) -> int:
    """Write the relation as JSON Lines: one object a row, keys in column order, strict JSON
    (a non-finite real, which JSON cannot hold, becomes null)."""
    names = [c.name for c in relation.columns]
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    count = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for rows in batches(conn, relation):
            lines = []
            for row in rows:
                try:
                    lines.append(encode(dict(zip(names, row, strict=True))))
                except (ValueError, TypeError):  # rare: an infinity or bytes in the row
                    lines.append(encode({n: json_safe(v) for n, v in zip(names, row, strict=True)}))
            f.write("\n".join(lines) + "\n")
            count += len(rows)
    return count


WRITERS: dict[str, Callable[[Any, Relation, Path], int]] = {
    "parquet": write_parquet, "csv": write_csv, "jsonl": write_jsonl,
}
