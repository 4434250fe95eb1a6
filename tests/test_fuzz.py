"""Fuzzing the build: mutated seeds either build a database that holds every invariant, or
are refused with a user error that leaves the target untouched. Never anything else.

Mutations start from fixtures/bad/_valid (three seed files and a document text): keys and
values are dropped, duplicated, retyped, garbled and swapped; files are truncated, lines
deleted or repeated, bytes inserted; the document text is edited (with its sha256 updated,
so the words must be found again). Examples: FACTDB_FUZZ_EXAMPLES (default 50), e.g.

    FACTDB_FUZZ_EXAMPLES=2000 uv run pytest tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from factdb.errors import FactdbError, SeedErrors
from factdb.store.build import EVIDENCE, build
from factdb.store.cache import CACHE_DIR
from factdb.store.migrate import head
from tests.conftest import FIXTURES, sha256

VALID = FIXTURES / "bad" / "_valid"
SEED_FILES = sorted(p.name for p in VALID.glob("*.yaml"))
TEXT = "texts/bridge.txt"
EXAMPLES = int(os.environ.get("FACTDB_FUZZ_EXAMPLES", "50"))

# A problem line: "file:line[:col]: [field:] message"; a file-level one may have no line.
PROBLEM = re.compile(r"^(?P<file>[^:]+\.(yaml|yml|txt))(:\d+(:\d+)?)?: \S")

_good: dict[str, Path] = {}


def _good_db() -> Path:
    """A database built from the unmutated seeds, made once."""
    if "db" not in _good:
        path = Path(tempfile.mkdtemp(prefix="factdb-fuzz-")) / "good.db"
        build(VALID, path)
        _good["db"] = path
    return _good["db"]


# -- mutations ----------------------------------------------------------------------------------
def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Every path into a YAML value, the root included."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*path, i))
    return found


def _get(node: Any, path: tuple) -> Any:
    for step in path:
        node = node[step]
    return node


def _garble(data: st.DataObject, text: str) -> str:
    if not text:
        return data.draw(st.text(max_size=3))
    at = data.draw(st.integers(0, len(text) - 1))
    how = data.draw(st.sampled_from(["insert", "delete", "replace", "case", "cut"]))
    char = data.draw(st.characters(codec="utf-8"))
    if how == "insert":
        return text[:at] + char + text[at:]
    if how == "delete":
        return text[:at] + text[at + 1:]
    if how == "replace":
        return text[:at] + char + text[at + 1:]
    if how == "case":
        return text.swapcase()
    return text[:at]


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**12), st.floats(allow_nan=True),
    st.text(max_size=12), st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)),
    st.sampled_from(["", " ", "2022-02-30", "2022-13", "2022-03", "0000-01-01", "yesterday",
                     "anna-berg", "bridge-news", "olli-maki", "council-approves-bridge-budget",
                     "berg-bridge-opens-next-spring", "maki-council-approved-budget",
                     "Berg said", "Berg", "day", "month", "inferred", "stated", "to_end"]),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3),
                   st.dictionaries(st.text(max_size=6), SCALARS, max_size=3))


def _mutate_data(data: st.DataObject, doc: Any) -> Any:
    """One change to a parsed seed file: drop, duplicate, retype, rename, garble or swap."""
    doc = copy.deepcopy(doc)
    paths = _paths(doc)
    path = data.draw(st.sampled_from(paths))
    how = data.draw(st.sampled_from(["drop", "duplicate", "retype", "rename", "garble", "swap"]))
    if not path:
        return data.draw(VALUES) if how == "retype" else doc
    parent, step = _get(doc, path[:-1]), path[-1]
    value = parent[step]
    if how == "drop":
        del parent[step]
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(step, copy.deepcopy(value))
    elif how == "retype":
        parent[step] = data.draw(VALUES)
    elif how == "rename" and isinstance(parent, dict):
        new = _garble(data, str(step))
        parent.pop(step)
        parent[new] = value
    elif how == "garble" and isinstance(value, str):
        parent[step] = _garble(data, value)
    elif how == "swap":
        other = data.draw(st.sampled_from(paths))
        parent[step] = copy.deepcopy(_get(doc, other)) if other else value
    return doc


def _mutate_bytes(data: st.DataObject, raw: bytes) -> bytes:
    """One change to a file's bytes: truncate, delete or repeat a line, insert bytes."""
    how = data.draw(st.sampled_from(["truncate", "delete-line", "repeat-line", "insert"]))
    if how == "truncate":
        return raw[:data.draw(st.integers(0, len(raw)))]
    lines = raw.splitlines(keepends=True)
    if how in ("delete-line", "repeat-line") and lines:
        i = data.draw(st.integers(0, len(lines) - 1))
        lines[i:i + 1] = [] if how == "delete-line" else [lines[i], lines[i]]
        return b"".join(lines)
    at = data.draw(st.integers(0, len(raw)))
    junk = data.draw(st.one_of(
        st.binary(min_size=1, max_size=4),
        st.sampled_from([b"\t", b"\r\n", b"\xef\xbb\xbf", b": ", b"- ", b"[", b"&a ", b"*a",
                         b"\n---\n", b"'", b'"', b"#", b"\x00"]),
    ))
    return raw[:at] + junk + raw[at:]


def _edit_text(data: st.DataObject, seeds: Path) -> None:
    """Change the document text and update its sha256, so every span is looked up anew."""
    path = seeds / TEXT
    text = path.read_bytes().decode("utf-8")
    path.write_bytes(_garble(data, text).encode("utf-8", "surrogatepass"))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    news = seeds / "news.yaml"
    old = hashlib.sha256((VALID / TEXT).read_bytes()).hexdigest()
    news.write_bytes(news.read_bytes().replace(old.encode(), digest.encode()))


def _mutate(data: st.DataObject, seeds: Path) -> list[str]:
    """Apply one to three mutations to a copy of the valid seeds; say what was done."""
    done = []
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        kind = data.draw(st.sampled_from(["data", "data", "bytes", "text"]))
        if kind == "text":
            _edit_text(data, seeds)
            done.append("edit the document text")
            continue
        name = data.draw(st.sampled_from(SEED_FILES))
        path = seeds / name
        raw = path.read_bytes()
        if kind == "bytes":
            path.write_bytes(_mutate_bytes(data, raw))
        else:
            try:
                doc = yaml.safe_load(raw)
            except yaml.YAMLError:
                continue  # an earlier mutation broke the YAML: nothing to walk
            dumped = yaml.safe_dump(_mutate_data(data, doc), allow_unicode=True, sort_keys=False)
            path.write_text(dumped, encoding="utf-8")
        done.append(f"{kind} {name}")
    return done


# -- invariants of a built database ---------------------------------------------------------------
DATES = {
    "documents": "published_on", "statements": "said_on", "events": "date",
}


def assert_invariants(db: Path) -> None:
    conn = sqlite3.connect(db)
    # SQLite's length() stops at a NUL character, which a fuzzed text may hold; offsets are
    # Python string indices, so the text's length is Python's.
    conn.create_function("pylen", 1, lambda text: None if text is None else len(text))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head(),)]
        for table, rows, doc, start, end, words in EVIDENCE:
            bad = conn.execute(
                f"SELECT t.rowid FROM {rows} t JOIN documents d ON d.id = t.{doc} "
                f"WHERE t.{start} < 0 OR t.{end} > pylen(d.text) OR t.{start} >= t.{end} "
                f"OR substr(d.text, t.{start} + 1, t.{end} - t.{start}) IS NOT t.{words}"
            ).fetchall()
            assert bad == [], f"{table}: offsets do not hold their words"
        bad = conn.execute(
            "SELECT b.rowid FROM boilerplate_regions b JOIN documents d ON d.id = b.document_id "
            "WHERE b.start_offset < 0 OR b.end_offset > pylen(d.text) "
            "OR b.start_offset >= b.end_offset").fetchall()
        assert bad == [], "boilerplate regions outside their text"
        for table, col in DATES.items():
            bad = conn.execute(
                f"SELECT {col}, {col}_precision, {col}_earliest, {col}_latest FROM {table} "
                f"WHERE {col} IS NOT NULL AND NOT ("
                f"  date({col}_earliest) IS {col}_earliest AND date({col}_latest) IS {col}_latest"
                f"  AND {col}_earliest <= {col}_latest"
                f"  AND CASE {col}_precision"
                f"    WHEN 'day' THEN date({col}) IS {col} AND {col}_earliest = {col}"
                f"      AND {col}_latest = {col}"
                f"    WHEN 'month' THEN date({col} || '-01') IS {col} || '-01'"
                f"      AND substr({col}_earliest, 1, 7) = {col}"
                f"      AND substr({col}_latest, 1, 7) = {col}"
                f"    WHEN 'year' THEN {col} GLOB '[0-9][0-9][0-9][0-9]'"
                f"      AND substr({col}_earliest, 1, 4) = {col}"
                f"      AND substr({col}_latest, 1, 4) = {col}"
                f"    WHEN 'week' THEN {col} GLOB '[0-9][0-9][0-9][0-9]-W[0-9][0-9]'"
                f"      AND strftime('%w', {col}_earliest) = '1'"
                f"      AND julianday({col}_latest) - julianday({col}_earliest) = 6"
                f"    WHEN 'range' THEN instr({col}, '/') > 0"
                f"      AND substr({col}_earliest, 1, instr({col}, '/') - 1)"
                f"        = substr({col}, 1, instr({col}, '/') - 1)"
                f"      AND substr({col}_latest, 1, length({col}) - instr({col}, '/'))"
                f"        = substr({col}, instr({col}, '/') + 1)"
                f"    ELSE 0 END)").fetchall()
            assert bad == [], f"{table}.{col}: invalid dates {bad}"
        bad = conn.execute("SELECT id FROM relations WHERE fact_id = other_fact_id "
                           "AND fact_document_id IS other_document_id").fetchall()
        assert bad == [], "a relation links a fact to itself"
    finally:
        conn.close()


# -- the properties -------------------------------------------------------------------------------
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextlib.contextmanager
def _mutated(data: st.DataObject) -> Iterator[tuple[Path, Path, str, str]]:
    """A temporary folder with mutated seeds and a good database at the target:
    yields (seeds, target, what was mutated, the target's sha256 before the build)."""
    with tempfile.TemporaryDirectory(prefix="factdb-fuzz-") as tmp:
        seeds = Path(tmp) / "seeds"
        shutil.copytree(VALID, seeds)
        note = _mutate(data, seeds)
        target = Path(tmp) / "factdb.db"
        shutil.copy(_good_db(), target)
        yield seeds, target, note, sha256(target)


@FUZZ
@given(data=st.data())
def test_mutated_seeds_build_soundly_or_are_refused_without_harm(data):
    with _mutated(data) as (seeds, target, note, before):
        try:
            build(seeds, target)
        except SeedErrors as exc:
            event("refused: problems in the seeds")
            assert exc.problems, note
            assert sha256(target) == before, note
        except FactdbError:
            event("refused: another user error")
            assert sha256(target) == before, note
        else:
            event("built")
            assert_invariants(target)
        kept = sorted(p.name for p in target.parent.iterdir() if p.name != CACHE_DIR)
        assert kept == ["factdb.db", "seeds"], note


@settings(FUZZ, max_examples=max(10, EXAMPLES // 5))
@given(data=st.data())
def test_mutated_seeds_through_the_cli_exit_1_with_located_problems(data):
    from typer.testing import CliRunner

    from factdb.cli import app

    with _mutated(data) as (seeds, target, note, before):
        result = CliRunner().invoke(app, ["build", "--seeds", str(seeds), "--db", str(target)],
                                    catch_exceptions=False)
        assert "Traceback" not in result.output, note
        assert result.exit_code in (0, 1), note
        if result.exit_code == 0:
            assert_invariants(target)
            return
        assert sha256(target) == before, note
        # Lines end in \n only: splitlines() would also split a file name holding \x1e
        lines = result.stderr.rstrip("\n").split("\n")
        if lines[0].startswith("error: "):
            assert len(lines) == 1, note
        else:
            assert re.fullmatch(r"\d+ problems? found in the seeds", lines[-1]), note
            for line in lines[:-1]:
                assert PROBLEM.match(line), (line, note)


def test_the_valid_seeds_hold_every_invariant(tmp_path: Path):
    build(VALID, tmp_path / "factdb.db")
    assert_invariants(tmp_path / "factdb.db")
