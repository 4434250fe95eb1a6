"""Every command with arbitrary arguments: an answer or one message, never a traceback.

Hypothesis builds argument lists from the real command and option names (read from the
Typer app) and values that have broken factdb before: any Unicode, bytes that are not UTF-8,
huge and odd numbers, paths with ``#?*[]`` and newlines, names too long for the file system.
Each list runs in-process (Typer's CliRunner) in a temporary folder holding a small built
database and a copy of the seeds. Asserted: no exception but SystemExit, exit status 0, 1 or
2, and no file changed outside that folder (the repository's seeds/ and fixtures/ hashed
before and after). ``serve`` is left out: given good arguments, it would serve.
Examples: FACTDB_CLI_FUZZ_EXAMPLES (default 300); FACTDB_CLI_FUZZ_RANDOM=1 for new ones.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from factdb.cli import app
from factdb.store.build import build
from tests.conftest import FIXTURES, ROOT

VALID = FIXTURES / "bad" / "_valid"
EXAMPLES = int(os.environ.get("FACTDB_CLI_FUZZ_EXAMPLES", "300"))
RANDOM = bool(os.environ.get("FACTDB_CLI_FUZZ_RANDOM"))  # else the same examples every run
LEFT_OUT = {("serve",)}


def _commands() -> list[tuple[tuple[str, ...], list[str], list[str], int]]:
    """(path, value options, flags, number of arguments) of every command."""
    found = []

    def walk(command, path: tuple[str, ...]) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
            return
        if path in LEFT_OUT:
            return
        options = [o for p in command.params if p.param_type_name == "option"
                   and not p.is_flag for o in p.opts]
        flags = [o for p in command.params if p.param_type_name == "option" and p.is_flag
                 for o in p.opts]
        arguments = sum(1 for p in command.params if p.param_type_name == "argument")
        found.append((path, options, flags, arguments))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _commands()
ODD = ["", "-", "--", "-1", "0", "1", "2", "99999999999999999999", "9" * 5000, "²", "٣", "1e999",
       "nan", "-inf", "0x10", "1_000", " 1 ", "head", "base", "+1", "-5", "json", "csv",
       "table", "factdb.db", "seeds", "seeds/news.yaml", "seeds/texts/bridge.txt", ".",
       "notes#1.db", "a?b*.db", "[x].db", "line\nbreak", "tab\there", "a" * 300,
       "d" * 250, "Berg", "Anna Berg", "Mäki", "Ma\u0308ki", "bridge-news", "anna-berg",
       "berg-bridge-opens-next-spring", "on Tuesday", "2022-03-01", "2022-02-30",
       "Berg\udcff", "\udcff", "x\rcarriage", "SELECT 1e999, 1 AS a, 2 AS a",
       "select * from statements", "'; drop table actors; --",
       "/dev/null", "seeds/", "out", "metadata.json", "-security", "\u202eRTL",
       "\ufeffbom", "🙂", "ＦＵＬＬ"]


def _safe(value: str) -> str:
    """Keep writes inside the folder: no absolute path (but /dev/null) and no `..`. No NUL
    either: a command line cannot hold one (argv is C strings)."""
    value = value.replace("\x00", "")
    if (value.startswith("/") and value != "/dev/null") or ".." in value:
        return value.replace("/", "_").replace("..", "_")
    return value


VALUES = st.one_of(st.sampled_from(ODD), st.text(max_size=40),
                   st.integers().map(str), st.floats().map(str)).map(_safe)


@st.composite
def argument_lists(draw) -> list[str]:
    path, options, flags, arguments = draw(st.sampled_from(COMMANDS))
    args = list(path)
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["option", "flag", "value", "help"]))
        if kind == "option" and options:
            args += [draw(st.sampled_from(options)), draw(VALUES)]
        elif kind == "flag" and flags:
            args.append(draw(st.sampled_from(flags)))
        elif kind == "help":
            args.append(draw(st.sampled_from(["--help", "--nope", "-x"])))
        else:
            args.append(draw(VALUES))
    if draw(st.booleans()):
        args += [draw(VALUES) for _ in range(arguments)]
    return args


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and ".factdb-cache" not in p.parts:
            h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    here = tmp_path_factory.mktemp("cli-fuzz")
    shutil.copytree(VALID, here / "seeds")
    build(here / "seeds", here / "factdb.db")
    old = Path.cwd()
    os.chdir(here)
    try:
        yield here
    finally:
        os.chdir(old)


def test_the_commands_are_found():
    names = {p for p, *_ in COMMANDS}
    assert {("build",), ("query", "sql"), ("add", "statement"), ("db", "downgrade")} <= names


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(args=argument_lists())
def test_any_arguments_give_an_answer_or_one_message(folder: Path, args: list[str]):
    before = {d: _digest(d) for d in (ROOT / "seeds", FIXTURES)}
    result = CliRunner().invoke(app, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args, result.exception, result.output[-2000:])
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output
    assert {d: _digest(d) for d in (ROOT / "seeds", FIXTURES)} == before
    assert Path.cwd() == folder
