"""Week and range precision: a date may be an ISO week (``2022-W04``) or an ISO 8601 range
(``2022-01-26/2022-02-04``) instead of being widened to the year around it.

The precision CHECK constraints of documents, events and statements allow ``week`` and
``range``. A downgrade turns such dates back into the narrowest month or year holding their
earliest day, as the build did before (their earliest/latest bounds are kept).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DATES = [("documents", "published_on"), ("events", "date"), ("statements", "said_on")]
OLD = "('year', 'month', 'day')"
NEW = "('year', 'month', 'week', 'day', 'range')"


# PostgreSQL's factdb_date_start/_end (SQL functions for direct SQL, made by migration 0002
# where the build targets PostgreSQL) learn weeks and ranges; the downgrade puts 0002's back.
_WEEK = "'^[0-9]{4}-W[0-9]{2}$'"
_YEAR = "'^[0-9]{4}$'"
_MONTH = "'^[0-9]{4}-[0-9]{2}$'"


def _pg_day(v: str, last: bool, weeks: bool) -> str:
    """SQL for the first (or last) day of the value in SQL expression ``v``."""
    week = (f"WHEN {v} ~ {_WEEK} THEN (to_date({v}, 'IYYY-\"W\"IW') + {6 if last else 0})::text "
            if weeks else "")
    if last:
        return (f"CASE {week}WHEN {v} ~ {_YEAR} THEN {v} || '-12-31' "
                f"WHEN {v} ~ {_MONTH} THEN (({v} || '-01')::date + interval '1 month' "
                f"- interval '1 day')::date::text ELSE {v}::date::text END")
    return (f"CASE {week}WHEN {v} ~ {_YEAR} THEN {v} || '-01-01' "
            f"WHEN {v} ~ {_MONTH} THEN ({v} || '-01')::date::text ELSE {v}::date::text END")


def pg_date_functions(weeks_and_ranges: bool) -> dict[str, str]:
    """CREATE OR REPLACE statements for factdb_date_start and factdb_date_end."""
    out = {}
    for name, last in (("factdb_date_start", False), ("factdb_date_end", True)):
        plain = _pg_day("btrim(value)", last, weeks_and_ranges)
        if weeks_and_ranges:
            end = f"split_part(btrim(value), '/', {2 if last else 1})"
            body = (f"WHEN strpos(value, '/') > 0 THEN {_pg_day(end, last, False)} "
                    f"ELSE {plain}")
        else:
            body = f"ELSE {plain}"
        out[name] = (f"CREATE OR REPLACE FUNCTION {name}(value text) RETURNS text LANGUAGE sql "
                     f"IMMUTABLE AS $$ SELECT CASE WHEN btrim(value) = '' THEN NULL {body} END $$")
    return out


def _recheck(old: str, new: str) -> None:
    """Widen (or narrow back) the precision CHECK constraints in place.

    SQLite's documented way for a constraint change that leaves the stored rows as they are
    (sqlite.org/lang_altertable.html, "other kinds of table schema changes"): edit the
    table's CREATE statement in the schema and bump schema_version. Recreating the tables
    (Alembic's batch mode) would also reorder their constraints from one run to the next.
    """
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # constraints are altered there as such
        for table, prefix in DATES:
            name = f"ck_{table}_{prefix}_precision"
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} "
                       f"CHECK ({prefix}_precision IN {new})")
        for statement in pg_date_functions(new != OLD).values():
            op.execute(statement)
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    for table, prefix in DATES:
        found = bind.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ? "
            "AND instr(sql, ?) > 0", (table, f"{prefix}_precision IN {old}")).scalar()
        if found != 1:
            raise RuntimeError(f"table {table} has no CHECK ({prefix}_precision IN {old})")
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?",
            (f"{prefix}_precision IN {old}", f"{prefix}_precision IN {new}", table))
    bind.exec_driver_sql(f"PRAGMA schema_version = {version + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    _recheck(OLD, NEW)


def downgrade() -> None:
    for table, prefix in DATES:
        same_month = f"substr({prefix}_earliest, 1, 7) = substr({prefix}_latest, 1, 7)"
        op.execute(
            f"UPDATE {table} SET "
            f"{prefix} = CASE WHEN {same_month} THEN substr({prefix}_earliest, 1, 7) "
            f"ELSE substr({prefix}_earliest, 1, 4) END, "
            f"{prefix}_precision = CASE WHEN {same_month} THEN 'month' ELSE 'year' END "
            f"WHERE {prefix}_precision IN ('week', 'range')")
    _recheck(NEW, OLD)
