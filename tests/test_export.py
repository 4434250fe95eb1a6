"""`factdb export`: every table and view read back with the same rows and types, every
annotation re-anchored in the document texts, and the folder replaced only whole."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from factdb.cli import app
from factdb.store.build import build
from factdb.store.db import SCHEMA_HEAD
from tests.conftest import FIXTURES, ROOT, SEEDS, sha256

FORMATS = ("parquet", "csv", "jsonl", "web-annotation")
URL = "https://example.org/news/first"
ARROW = {"integer": pa.int64(), "real": pa.float64(), "text": pa.string()}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real seeds, with a URL given to their first document (the seeds have none)."""
    seeds = tmp_path_factory.mktemp("seeds") / "seeds"
    shutil.copytree(SEEDS, seeds)
    first = sorted((seeds / "documents").glob("*.yaml"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(re.sub(r"^(  id: .*\n)", rf"\1  url: {URL}\n", text, count=1, flags=re.M),
                     encoding="utf-8")
    path = seeds.parent / "factdb.db"
    build(seeds, path)
    return path


@pytest.fixture(scope="module")
def exported(db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("exports")
    runner = CliRunner()
    for fmt in FORMATS:
        result = runner.invoke(app, ["export", "--format", fmt, "--output", str(out / fmt),
                                     "--db", str(db)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return {fmt: out / fmt for fmt in FORMATS}


def manifest(folder: Path) -> dict:
    return json.loads((folder / "factdb-export.json").read_text(encoding="utf-8"))


def db_rows(db: Path, relation: str, columns: dict[str, str]) -> list[dict]:
    """The relation's rows as the export should hold them: a text column's values as text,
    a table's rows in its primary key's order, a view's by all its columns (as text where
    the export writes text)."""
    conn = sqlite3.connect(db)
    try:
        names = list(columns)
        key = [r[1] for r in sorted(conn.execute(f'PRAGMA table_info("{relation}")'),
                                    key=lambda r: r[5]) if r[5]]
        order = [f'"{c}"' for c in key] or [
            f'CAST("{c}" AS TEXT)' if columns[c] == "text" else f'"{c}"' for c in names]
        rows = conn.execute("SELECT " + ", ".join(f'"{c}"' for c in names)
                            + f' FROM "{relation}" ORDER BY ' + ", ".join(order)).fetchall()
    finally:
        conn.close()
    return [{c: str(v) if columns[c] == "text" and v is not None else v
             for c, v in zip(names, row, strict=True)} for row in rows]


def test_every_table_and_view_is_exported_with_its_row_count(db, exported):
    conn = sqlite3.connect(db)
    found = conn.execute("SELECT type, name, sql FROM sqlite_master "
                         "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite%'").fetchall()
    fts = [name for _, name, sql in found if "VIRTUAL TABLE" in sql]
    expected = {name: kind for kind, name, _ in found if name != "alembic_version"
                and not any(name.startswith(f) for f in fts)}
    for view in ("statement_details", "event_timeline", "event_source_details",
                 "relation_details", "evidence"):
        assert expected[view] == "view"
    for fmt in ("parquet", "csv", "jsonl"):
        files = manifest(exported[fmt])["files"]
        assert {f["relation"]: f["kind"] for f in files} == expected
        assert sorted(p.name for p in exported[fmt].iterdir()) == sorted(
            [f["file"] for f in files] + ["factdb-export.json"])
        for f in files:
            assert f["file"] == f["relation"] + "." + fmt
            count = f'SELECT count(*) FROM "{f["relation"]}"'
            assert f["rows"] == conn.execute(count).fetchone()[0]
    conn.close()


def test_the_manifest_names_the_database(db, exported):
    for fmt in FORMATS:
        m = manifest(exported[fmt])
        assert m["format"] == fmt
        assert m["database"] == {"path": str(db), "sha256": sha256(db),
                                 "schema_revision": SCHEMA_HEAD}


def test_parquet_holds_every_row_with_its_type(db, exported):
    for f in manifest(exported["parquet"])["files"]:
        table = pq.read_table(exported["parquet"] / f["file"])
        assert table.schema == pa.schema([(c, ARROW[t]) for c, t in f["columns"].items()])
        assert table.num_rows == f["rows"]
        assert table.to_pylist() == db_rows(db, f["relation"], f["columns"])
    columns = manifest(exported["parquet"])["files"]
    types = {f["relation"]: f["columns"] for f in columns}
    assert types["statements"]["start_offset"] == "integer"
    assert types["documents"]["is_machine_translation"] == "integer"  # 0/1, as SQLite stores it
    assert types["documents"]["published_on"] == types["statements"]["said_on"] == "text"
    assert types["evidence"]["record_id"] == "text"  # statement ids and integer ids, mixed


def test_csv_reads_back_the_same_rows_with_csv_and_with_arrow(db, exported):
    for f in manifest(exported["csv"])["files"]:
        path = exported["csv"] / f["file"]
        expected = db_rows(db, f["relation"], f["columns"])
        with open(path, encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        assert header == list(f["columns"])
        assert rows == [["" if v is None else str(v) for v in row.values()] for row in expected]
        # Arrow, told the manifest's types, tells a NULL (empty) from an empty string ("")
        table = pcsv.read_csv(path, parse_options=pcsv.ParseOptions(newlines_in_values=True),
                              convert_options=pcsv.ConvertOptions(
                                  column_types={c: ARROW[t] for c, t in f["columns"].items()},
                                  strings_can_be_null=True, quoted_strings_can_be_null=False))
        assert table.to_pylist() == expected


def _no_constants(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def test_json_lines_are_strict_json_one_object_a_row(db, exported):
    for f in manifest(exported["jsonl"])["files"]:
        lines = (exported["jsonl"] / f["file"]).read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line, parse_constant=_no_constants) for line in lines]
        assert rows == db_rows(db, f["relation"], f["columns"])


def _texts() -> dict[str, str]:
    """The seeds' document texts by their sha256, as factdb reads them (a BOM kept)."""
    return {hashlib.sha256(p.read_bytes()).hexdigest(): p.read_bytes().decode("utf-8")
            for p in (SEEDS / "texts").iterdir()}


def test_every_evidence_span_is_an_annotation_that_reanchors_in_its_text(db, exported):
    folder = exported["web-annotation"]
    collection = json.loads((folder / "annotations.jsonld").read_text(encoding="utf-8"),
                            parse_constant=_no_constants)
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    page = collection["first"]
    assert (page["type"], page["startIndex"]) == ("AnnotationPage", 0)
    items = page["items"]
    conn = sqlite3.connect(db)
    evidence = conn.execute("SELECT table_name, record_id FROM evidence").fetchall()
    urls = dict(conn.execute("SELECT sha256, url FROM documents"))
    conn.close()
    assert collection["total"] == len(items) == len(evidence)
    assert manifest(folder)["files"] == [{"file": "annotations.jsonld", "relation": "evidence",
                                          "kind": "annotations", "rows": len(items)}]
    assert sorted(a["id"] for a in items) == sorted(f"urn:factdb:{t}:{r}" for t, r in evidence)
    assert URL in urls.values()
    texts = _texts()
    for a in items:
        assert a["type"] == "Annotation"
        assert a["motivation"] in ("describing", "identifying", "commenting")
        target = a["target"]
        if target["source"]["id"].startswith("urn:sha256:"):
            digest = target["source"]["id"].removeprefix("urn:sha256:")
            assert urls[digest] is None
        else:
            digest = target["state"]["cached"].removeprefix("urn:sha256:")
            assert target["source"]["id"] == urls[digest] == URL
        text = texts[digest]
        quote, position = target["selector"]
        assert (quote["type"], position["type"]) == ("TextQuoteSelector", "TextPositionSelector")
        start, end = position["start"], position["end"]
        prefix, suffix = quote.get("prefix", ""), quote.get("suffix", "")
        assert text[start:end] == quote["exact"] and quote["exact"]
        assert text[:start].endswith(prefix) and text[end:].startswith(suffix)
        assert len(prefix) == min(32, start) and len(suffix) == min(32, len(text) - end)
        # a tool anchoring by the quote alone finds this place among the quote's occurrences
        context = prefix + quote["exact"] + suffix
        hits = [m.start() + len(prefix) for m in re.finditer(f"(?={re.escape(context)})", text)]
        assert start in hits
        kind, record = a["id"].split(":")[2:]
        tags = [b["value"] for b in a["body"] if b["purpose"] == "tagging"]
        assert tags == [{"statements": "statement", "statement_pieces": "statement-piece",
                         "event_sources": "event-source",
                         "actor_roles": "actor-role", "actor_aliases": "actor-alias",
                         "skipped_passages": "skipped-passage"}[kind]]
        if kind == "statements":
            assert [b["value"] for b in a["body"] if b["purpose"] == "identifying"] == [record]


def test_the_export_needs_neither_sqlalchemy_nor_alembic(db, tmp_path):
    probe = ("import sys\nfrom pathlib import Path\nfrom factdb.export.run import export_database\n"
             "from factdb.export import ExportFormat\n"
             f"export_database(Path({str(db)!r}), ExportFormat.parquet, Path({str(tmp_path)!r}) "
             "/ 'out')\nprint(sorted(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout == "[]\n"


def test_an_export_replaces_its_own_previous_export(db, tmp_path, cli):
    out = tmp_path / "out"
    assert cli("export", "--format", "csv", "--output", out, "--db", db).exit_code == 0
    assert cli("export", "--format", "jsonl", "--output", out, "--db", db).exit_code == 0
    assert manifest(out)["format"] == "jsonl"
    assert not list(out.glob("*.csv"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary left


def test_force_replaces_a_folder_factdb_did_not_write(db, tmp_path, cli):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    assert cli("export", "--format", "csv", "--output", out, "--db", db).exit_code == 1
    assert (out / "notes.txt").read_text() == "mine\n"
    result = cli("export", "--format", "csv", "--output", out, "--db", db, "--force")
    assert result.exit_code == 0
    assert not (out / "notes.txt").exists() and manifest(out)["format"] == "csv"


def test_an_empty_folder_is_filled(db, tmp_path, cli):
    (tmp_path / "out").mkdir()
    assert cli("export", "--format", "web-annotation", "--output", tmp_path / "out",
               "--db", db).exit_code == 0
    assert (tmp_path / "out" / "annotations.jsonld").is_file()


# -- the errors: rows of docs/errors.md under "Exporting", each run as a real process ---------
HEADING = "### Exporting (`factdb export`)"


def _catalogue() -> list[tuple[str, str, list[str]]]:
    """(case, command, stderr lines) of the rows under this command's heading."""
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    section = text.split(HEADING, 1)[1].split("\n#", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 5 and cells[0].startswith("`"):
            spans = [[b[1:-1] if len(t) > 1 and b.startswith(" ") else b
                      for t, b in re.findall(r"(`+)(.+?)\1(?!`)", c.replace("\\|", "|"))]
                     for c in cells]
            rows.append((spans[0][0], spans[3][0], spans[4]))
    return rows


_MOUNTS: list[Path] = []


def _mount(folder: Path, options: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a file system needs root")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    _MOUNTS.append(folder)


def _export(tmp: Path, fmt: str, output: str) -> None:
    subprocess.run([sys.executable, "-m", "factdb", "export", "--format", fmt, "--output",
                    output], cwd=tmp, check=True, capture_output=True)


def _foreign(tmp: Path) -> None:
    conn = sqlite3.connect(tmp / "notes.db")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


def _read_only(tmp: Path) -> None:
    (tmp / "ro").mkdir()
    if os.geteuid() != 0:
        (tmp / "ro").chmod(0o555)
    else:  # root writes anywhere: only a read-only file system refuses it
        _mount(tmp / "ro", "size=1m,ro")


def _disk_full(tmp: Path) -> None:
    (tmp / "small").mkdir()
    _export(tmp, "csv", "out")
    room = sum(p.stat().st_size for p in (tmp / "out").iterdir()) + 64 * 1024
    _mount(tmp / "small", f"size={room}")
    shutil.copytree(tmp / "out", tmp / "small" / "out")
    shutil.rmtree(tmp / "out")


SETUPS = {
    "export-db-not-factdb": _foreign,
    "export-db-not-sqlite": lambda tmp: (tmp / "notes.txt").write_text("my notes\n"),
    "export-output-is-a-file": lambda tmp: (tmp / "notes.txt").write_text("my notes\n"),
    "export-output-not-writable": _read_only,
    "export-output-not-ours": lambda tmp: ((tmp / "out").mkdir(),
                                           (tmp / "out" / "notes.txt").write_text("mine\n")),
    "export-output-extra-files": lambda tmp: (_export(tmp, "csv", "out"),
                                              (tmp / "out" / "notes.txt").write_text("mine\n")),
    "export-output-holds-the-database": lambda tmp: ((tmp / "data").mkdir(), shutil.copy(
        tmp / "factdb.db", tmp / "data" / "factdb.db")),
    "export-disk-full": _disk_full,
}


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256(p) if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "factdb.db"
    build(FIXTURES / "queries" / "seeds", path)
    return path


@pytest.fixture
def workdir(tmp_path: Path, small_db: Path) -> Iterator[Path]:
    shutil.copy(small_db, tmp_path / "factdb.db")
    yield tmp_path
    while _MOUNTS:
        subprocess.run(["umount", str(_MOUNTS.pop())], check=True)


@pytest.mark.parametrize("case,command,stderr", _catalogue(), ids=lambda v: str(v)[:40])
def test_the_catalogued_mistakes_give_one_message_and_change_nothing(case, command, stderr,
                                                                      workdir):
    SETUPS.get(case, lambda tmp: None)(workdir)
    before = _snapshot(workdir)
    result = subprocess.run([sys.executable, "-m", "factdb", *shlex.split(command)[1:]],
                            cwd=workdir, capture_output=True, text=True)
    if case == "export-unknown-format":  # the option parser's usage error, in its box
        assert result.returncode == 2
        lines = [re.sub(r"^[│╭╰─ ]+|[│╮╯─ ]+$", "", x) for x in result.stderr.splitlines()]
        assert " ".join(x for x in lines if x).endswith(" ".join(stderr))
    else:
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr.splitlines() == stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(workdir) == before  # the database, the folders: nothing written or left


def test_an_export_removes_what_a_killed_export_left_beside_the_folder(db, tmp_path, cli):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    left = [tmp_path / f".factdb-export-{dead}-out-x1y2",
            tmp_path / f".factdb-export-{dead}-old-out",
            tmp_path / f".factdb-export-{os.getpid()}-out-live"]  # the last: a running export's
    for folder in left:
        folder.mkdir()
        (folder / "statements.csv").write_text("half\n")
    assert cli("export", "--format", "csv", "--output", tmp_path / "out", "--db", db).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", left[2].name])
