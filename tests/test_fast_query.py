"""The fast `factdb query` parser against Typer's: same options, same answers, same errors.

Both are made from factdb.cli.queryspec; each argument list below runs through Typer (the
real app, in-process) and through the fast path, and stdout, stderr and the exit status must
be identical. Where the fast parser declines (help, `--`, a bad value), Typer runs.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from factdb.cli import common, fast, queryspec
from factdb.cli.commands import app
from tests.conftest import ROOT

DB = "{db}"
# (argv after "query", whether the fast parser takes it)
MATRIX = [
    (["sql", "SELECT 1 AS one", "--db", DB], True),
    (["sql", "SELECT 1 AS one", f"--db={DB}", "--format=JSON"], True),
    (["sql", "SELECT 1", "--db", DB, "-f", "csv", "--timeout", "2.5"], True),
    (["sql", "SELECT 1", "--db", DB, "--timeout", "0"], True),
    (["sql", "SELECT 1", "--db", DB, "--timeout", "-1"], False),
    (["sql", "SELECT 1", "--db", DB, "--timeout", "1e1"], False),
    (["sql", "DROP TABLE actors", "--db", DB], True),
    (["sql", "SELECT nope", "--db", DB], True),
    (["sql", "", "--db", DB], True),
    (["sql", "--db", DB], False),
    (["sql", "SELECT 1", "SELECT 2", "--db", DB], False),
    (["sql", "SELECT 1", "--db", DB, "--format", "xml"], False),
    (["sql", "SELECT 1", "--db", DB, "--format"], False),
    (["sql", "SELECT 1", "--db", DB, "--help"], False),
    (["sql", "--", "SELECT 1", "--db", DB], False),
    (["sql", "SELECT 1", "--db", "{folder}"], False),
    (["sql", "SELECT 1", "--db", "{missing}"], True),
    (["said", "Lavrov", "--db", DB], True),
    (["said", "--db", DB, "lavrov", "--limit", "2", "-f", "json"], True),
    (["said", "Lavrov", "--db", DB, "--limit", "0"], True),
    (["said", "Lavrov", "--db", DB, "--limit", "-3"], False),
    (["said", "Nobody At All", "--db", DB], True),
    (["said", "--db", DB], False),
    (["said", "Lavrov", "--db", DB, "--nope", "1"], False),
    (["timeline", "--db", DB, "--from", "2022-02", "--to", "2022-03", "--format", "csv"], True),
    (["timeline", "--db", DB, "--from", "2022-02-30"], True),
    (["timeline", "--db", DB, "--from", "2090", "-f", "json"], True),
    (["timeline", "--db", DB, "--from", "2090", "-f", "csv"], True),
    (["timeline", "--db", DB, "--from", "2090"], True),
    (["timeline", "--db", DB, "--actor", "Lavrov", "--format", "Table"], True),
    (["timeline", "extra", "--db", DB], False),
    (["search", "security talks", "--db", DB, "--limit", "3", "-f", "json"], True),
    (["search", "-security", "--db", DB], False),
    (["search", '"*" ( - )', "--db", DB], True),
    (["sources", "nosuchevent", "--db", DB], True),
    (["document", "nodoc", "--db", DB, "-f", "csv"], True),
    (["conflicts", "--db", DB, "--limit", "1", "-f", "json"], True),
    (["corroborations", "--db", DB, "-f", "csv"], True),
    (["actor", "Lavrov", "--db", DB, "--format", "json"], True),
    (["said", "Lavrov", "--all", "--db", DB, "-f", "json"], True),
    (["timeline", "--db", DB, "--all", "--from", "2022-02"], True),
    (["conflicts", "--all", "--db", DB, "--limit", "2", "-f", "csv"], True),
    (["said", "Lavrov", "--db", DB, "--all=yes"], False),
    (["nosuchquery", "--db", DB], False),
    ([], False),
    (["--help"], False),
]


def _argv(args: list[str], db: Path, tmp: Path) -> list[str]:
    return [a.format(db=db, folder=tmp, missing=tmp / "missing.db") for a in args]


def _typer(argv: list[str]) -> tuple[str, str, int]:
    result = CliRunner().invoke(app, ["query", *argv], catch_exceptions=False)
    return result.stdout, result.stderr, result.exit_code


def _fast(argv: list[str]) -> tuple[str, str, int] | None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = fast.run(argv)
    return None if status is None else (out.getvalue(), err.getvalue(), status)


@pytest.mark.parametrize(("args", "taken"), MATRIX, ids=[" ".join(a) for a, _ in MATRIX])
def test_the_fast_path_answers_exactly_as_typer(seeds_db, tmp_path, args, taken):
    argv = _argv(args, seeds_db, tmp_path)
    assert (fast.parse(argv) is not None) == taken
    got = _fast(argv)
    if taken:
        assert got == _typer(argv)
    else:
        assert got is None


def test_both_parsers_are_made_from_the_same_definitions():
    group = get_command(app).commands["query"]
    specs = queryspec.commands()
    assert set(group.commands) == set(specs)
    for name, spec in specs.items():
        params = group.commands[name].params
        typer_args = [p.name for p in params if p.param_type_name == "argument"]
        typer_opts = {p.name: (tuple(p.opts), p.default) for p in params
                      if p.param_type_name == "option"}
        assert typer_args == [a.name for a in spec.arguments]
        assert typer_opts == {o.name: (o.flags, Path(o.default) if o.kind == "path"
                                       else o.default) for o in spec.options}
    assert Path(queryspec.DEFAULT_DB) == common.DEFAULT_DB


def test_the_entry_point_takes_the_fast_path_without_importing_typer(seeds_db):
    probe = ("import sys\nfrom factdb.cli import main\n"
             f"sys.argv = ['factdb', 'query', 'said', 'Lavrov', '--db', {str(seeds_db)!r}, "
             "'-f', 'json']\ntry:\n    main()\nexcept SystemExit as exc:\n"
             "    print(json.dumps([exc.code, 'typer' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", "import json\n" + probe], capture_output=True,
                         text=True, cwd=ROOT, check=True).stdout
    answer, status = out[:out.rindex("[")], json.loads(out[out.rindex("["):])
    assert status == [0, False]
    assert json.loads(answer) == json.loads(_typer(["said", "Lavrov", "--db", str(seeds_db),
                                                    "-f", "json"])[0])


# What the fast path once imported and no longer needs (milliseconds each): typing and
# dataclasses (with inspect and ast), pathlib (with urllib.parse), re, json, textwrap...
NOT_ON_THE_FAST_PATH = ("typer", "typing", "dataclasses", "inspect", "pathlib", "urllib.parse",
                        "re", "json", "textwrap", "calendar", "factdb.dates.values",
                        "factdb.evidence.names", "factdb.problems")


@pytest.mark.parametrize(("args", "needed"), [
    (["sql", "SELECT 1"], []),
    (["document", "{doc}", "-f", "csv"], ["re"]),  # the csv module imports re
    (["conflicts", "--limit", "2", "-f", "table"], []),
])
def test_the_fast_path_leaves_costly_modules_unimported(seeds_db, args, needed):
    import sqlite3

    doc = sqlite3.connect(seeds_db).execute("SELECT min(id) FROM documents").fetchone()[0]
    argv = ["factdb", "query", *(a.format(doc=doc) for a in args), "--db", str(seeds_db)]
    probe = (f"import sys\nsys.argv = {argv!r}\nfrom factdb.cli import main\n"
             "try:\n    main()\nexcept SystemExit as exc:\n    status = exc.code\n"
             f"print(status, sorted(m for m in {NOT_ON_THE_FAST_PATH!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.splitlines()[-1] == f"0 {needed}"


@pytest.mark.parametrize("columns", [None, "0", "abc", "57", "200"])
def test_the_table_width_is_shutils(monkeypatch, columns):
    import shutil

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert queryspec.terminal_width() == shutil.get_terminal_size((80, 24)).columns
