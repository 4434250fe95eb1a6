"""Export a factdb database for other tools: Parquet, CSV, JSON Lines, W3C Web Annotations.

The writers take a DB-API connection and a list of relations (tables and views with their
column types), so another database engine plugs in by listing its relations; the one
SQLite-specific part is ``relations.sqlite_relations``. This package's ``__init__`` stays
light (the CLI imports it to parse ``--format``): pyarrow is imported by the writers only.
"""

from __future__ import annotations

from enum import StrEnum


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    web_annotation = "web-annotation"
