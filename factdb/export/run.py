"""Export a database: check the folder, read one snapshot, write every file, swap it in."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factdb.errors import FactdbError
from factdb.export import ExportFormat
from factdb.export.folder import MANIFEST, check_output, staging, write_manifest
from factdb.export.relations import Relation, sqlite_relations

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class ExportedFile:
    file: str
    relation: str
    kind: str  # table, view, or annotations
    rows: int
    columns: tuple[tuple[str, str], ...] = ()  # (name, type) in order


@dataclass(frozen=True)
class ExportResult:
    output: Path
    format: ExportFormat
    files: tuple[ExportedFile, ...]
    database: dict[str, str]
    seconds: float


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def export_database(db: Path | str, fmt: ExportFormat, output: Path,
                    force: bool = False) -> ExportResult:
    """Export factdb's database ``db`` (a SQLite file, or a ``postgresql://`` URL) into the
    folder ``output``."""
    from factdb.store.db import is_url

    started = time.perf_counter()
    output = Path(output)
    if is_url(db):
        from factdb.export.pgsource import snapshot

        with snapshot(str(db), output) as snap:  # refuses what `factdb query` refuses
            check_output(output, force)
            files = export_connection(snap.conn, snap.relations, fmt, output, snap.source,
                                      snap.collate)
        return ExportResult(output, fmt, files, snap.source, time.perf_counter() - started)
    source, files = _export_sqlite(Path(db), fmt, output, force)
    return ExportResult(output, fmt, files, source, time.perf_counter() - started)


def _export_sqlite(db: Path, fmt: ExportFormat, output: Path,
                   force: bool) -> tuple[dict[str, str], tuple[ExportedFile, ...]]:
    from factdb.store.db import connect_readonly

    conn = connect_readonly(db)  # refuses a missing, foreign or out-of-date database
    try:
        check_output(output, force)
        if output.resolve() in db.resolve().parents:  # even --force must not delete it
            raise FactdbError(f"{output}: holds the database {db}, and an export replaces the "
                              "whole folder; choose another --output")
        conn.execute("BEGIN")  # every file from one snapshot of the database
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        relations = sqlite_relations(conn)
        source = {"path": str(db), "sha256": file_sha256(db), "schema_revision": revision}
        return source, export_connection(conn, relations, fmt, output, source)
    except sqlite3.DatabaseError as exc:
        raise FactdbError(f"{db}: could not read the database ({exc}); {output} is "
                          "unchanged") from None
    finally:
        conn.close()


def export_connection(conn: Any, relations: list[Relation], fmt: ExportFormat, output: Path,
                      source: dict[str, str], collate: str = "") -> tuple[ExportedFile, ...]:
    """Write ``relations`` read through the DB-API connection ``conn`` into ``output`` (checked
    already), with a manifest naming ``source`` (its path, schema revision, and a SQLite
    file's sha256); ``collate`` follows text sort keys (PostgreSQL: ``COLLATE "C"``)."""
    with staging(output) as folder:
        if fmt is ExportFormat.web_annotation:
            from factdb.export.annotations import FILE, write_annotations

            rows = write_annotations(conn, folder / FILE, collate)
            files: tuple[ExportedFile, ...] = (ExportedFile(FILE, "evidence", "annotations", rows),)
        else:
            from factdb.export.tables import SUFFIXES, WRITERS

            written = []
            for relation in relations:
                name = relation.name + SUFFIXES[fmt]
                rows = WRITERS[fmt](conn, relation, folder / name)
                written.append(ExportedFile(name, relation.name, relation.kind, rows,
                                            tuple((c.name, c.type) for c in relation.columns)))
            files = tuple(written)
        write_manifest(folder, {
            "factdb_export": MANIFEST_VERSION,
            "format": str(fmt),
            "database": source,
            "files": [_entry(f) for f in files],
        })
    return files


def _entry(file: ExportedFile) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": file.file, "relation": file.relation, "kind": file.kind,
                             "rows": file.rows}
    if file.columns:
        entry["columns"] = dict(file.columns)
    return entry


__all__ = ["MANIFEST", "ExportResult", "ExportedFile", "export_connection", "export_database"]
