"""Never touch what is not factdb's: through the real CLI, a file factdb did not make, a name
that looks like a URI or a pattern, a FIFO, a device or a symbolic link given as --db or
--output is refused (or, for a link, followed and said), and left exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from factdb.store.build import TMP_PREFIX
from factdb.store.db import APPLICATION_ID, SCHEMA_HEAD
from tests.conftest import FIXTURES, sha256

VALID = FIXTURES / "bad" / "_valid"
DEAD_PID = 2 ** 22 + 12345  # above Linux's pid_max default: never a live process


def application_id(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA application_id").fetchone()[0]


def another_app(db: Path, alembic: str | None = None) -> Path:
    """A SQLite database of another application (an Alembic one if ``alembic`` is given)."""
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.execute("INSERT INTO users VALUES ('keep me')")
    if alembic:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (alembic,))
    conn.commit()
    conn.close()
    return db


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != ".factdb-cache")


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("good") / "factdb.db"
    from factdb.store.build import build

    build(VALID, path)
    return path


# -- 1. a path is a file name, never a URI or a pattern ------------------------------------

# Each name, and the file that name means read as a URI (what factdb used to open).
AS_URI = {"notes#1.db": "notes", "what?mode=rwc.db": "what", "caf%C3%A9.db": "café.db"}


@pytest.mark.parametrize("name", list(AS_URI))
def test_a_name_with_uri_characters_names_that_file_only(cli, tmp_path, name):
    other = another_app(tmp_path / AS_URI[name])
    digest = sha256(other)
    target = another_app(tmp_path / name)  # another application's file under the very name
    target_digest = sha256(target)
    result = cli("build", "--seeds", VALID, "--db", target)
    assert result.exit_code == 1
    assert "is a SQLite database that factdb did not make" in result.stderr
    assert sha256(target) == target_digest
    target.unlink()
    result = cli("build", "--seeds", VALID, "--db", tmp_path / name)
    assert result.exit_code == 0, result.stderr
    assert application_id(tmp_path / name) == APPLICATION_ID
    result = cli("query", "said", "Berg", "--db", tmp_path / name)
    assert result.exit_code == 0, result.stderr
    assert "Anna Berg" in result.stdout
    assert sha256(other) == digest
    assert files(tmp_path) == sorted([name, other.name])  # no stray file a URI would make


def test_a_read_only_query_never_creates_a_file(cli, tmp_path):
    result = cli("query", "said", "Berg", "--db", tmp_path / "notes#1.db")
    assert result.exit_code == 1
    assert "database not found" in result.stderr
    assert files(tmp_path) == []


def test_the_temporary_file_sweep_matches_names_exactly(cli, tmp_path):
    """A database called `[x].db`: its own leftovers go, a pattern's matches stay."""
    own = tmp_path / f"{TMP_PREFIX}{DEAD_PID}-[x].db"
    pattern_match = tmp_path / f"{TMP_PREFIX}{DEAD_PID}-x.db"  # what glob('[x].db') matches
    own.write_bytes(b"half a database")
    pattern_match.write_bytes(b"someone else's")
    result = cli("build", "--seeds", VALID, "--db", tmp_path / "[x].db")
    assert result.exit_code == 0, result.stderr
    assert not own.exists()
    assert pattern_match.read_bytes() == b"someone else's"
    assert files(tmp_path) == sorted(["[x].db", pattern_match.name])


# -- 2. factdb's own databases, recognised by application_id -------------------------------

def test_every_database_factdb_makes_is_marked(cli, tmp_path):
    assert cli("build", "--seeds", VALID, "--db", tmp_path / "built.db").exit_code == 0
    assert application_id(tmp_path / "built.db") == APPLICATION_ID
    result = cli("db", "upgrade", "--create", "--db", tmp_path / "made.db")
    assert result.exit_code == 0, result.stderr
    assert application_id(tmp_path / "made.db") == APPLICATION_ID
    assert cli("db", "current", "--db", tmp_path / "made.db").stdout == f"{SCHEMA_HEAD}\n"


def test_the_mark_changes_the_header_only(good, tmp_path):
    """What the mark adds is the header's application_id: the content is as it was."""
    earlier = tmp_path / "earlier.db"
    shutil.copy(good, earlier)
    with sqlite3.connect(earlier) as conn:
        conn.execute("PRAGMA application_id = 0")
    dumps = [list(sqlite3.connect(p).iterdump()) for p in (good, earlier)]
    assert dumps[0] == dumps[1]
    a, b = good.read_bytes(), earlier.read_bytes()
    assert len(a) == len(b) and a[68:72] == b"FcDb" and b[68:72] == bytes(4)
    # 24-27: the change counter, 68-71: application_id, 92-95: version-valid-for
    header = {*range(24, 28), *range(68, 72), *range(92, 96)}
    assert {i for i in range(len(a)) if a[i] != b[i]} <= header


@pytest.mark.parametrize("alembic", [None, "ae1027a6acf"])
def test_build_refuses_another_application_s_database(cli, tmp_path, alembic):
    app = another_app(tmp_path / "app.db", alembic)
    digest = sha256(app)
    result = cli("build", "--seeds", VALID, "--db", app)
    tables = "alembic_version, users" if alembic else "users"
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"error: {app}: is a SQLite database that factdb did not make (application_id 0, "
        f"tables: {tables}); refusing to replace it (move it away or choose another --db)\n")
    assert sha256(app) == digest


def test_a_database_claimed_by_another_application_id_is_refused(cli, good, tmp_path):
    """factdb's very tables, but marked by another application: not factdb's."""
    db = tmp_path / "factdb.db"
    shutil.copy(good, db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA application_id = 42")
    digest = sha256(db)
    for args in (("build", "--seeds", VALID), ("db", "upgrade"), ("query", "said", "Berg")):
        result = cli(*args, "--db", db)
        assert result.exit_code == 1, args
        assert "factdb did not make (application_id 42, tables: actor_aliases, " in result.stderr
    assert sha256(db) == digest


@pytest.mark.parametrize("args", [("db", "upgrade"), ("db", "upgrade", "--create"),
                                  ("db", "downgrade", "-1"), ("db", "current"),
                                  ("db", "history"), ("query", "said", "Berg"),
                                  ("query", "sql", "SELECT 1"), ("serve",),
                                  ("datasette-config",)])
def test_no_command_reads_or_writes_another_alembic_application_s_database(cli, tmp_path, args):
    app = another_app(tmp_path / "app.db", "0003")  # even at a revision factdb has
    digest = sha256(app)
    result = cli(*args, "--db", app)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"error: {app}: is a SQLite database that factdb did not "
                                    "make (application_id 0, tables: alembic_version, users); "
                                    "refusing to ")
    assert sha256(app) == digest
    assert files(tmp_path) == ["app.db"]


def test_db_upgrade_makes_a_database_only_when_asked(cli, tmp_path):
    db = tmp_path / "new.db"
    result = cli("db", "upgrade", "--db", db)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {db}: database not found; build it with `factdb build --db {db}`, or make an "
        f"empty one with `factdb db upgrade --create --db {db}`\n")
    assert cli("db", "downgrade", "-1", "--db", db).exit_code == 1
    assert files(tmp_path) == []
    result = cli("db", "upgrade", "0099", "--create", "--db", db)  # a failed creation
    assert result.exit_code == 1 and "Can't locate revision" in result.stderr
    assert files(tmp_path) == []
    db.write_bytes(b"")  # an empty file is kept as it is, failed creation or not
    assert cli("db", "upgrade", "--db", db).stderr.startswith(f"error: {db}: is empty; ")
    assert cli("db", "upgrade", "0099", "--create", "--db", db).exit_code == 1
    assert files(tmp_path) == ["new.db"] and db.read_bytes() == b""


def test_a_database_an_earlier_factdb_built_is_still_factdb_s(cli, good, tmp_path):
    """Decided: no application_id, but factdb's tables at a revision factdb knows, is a
    database an earlier factdb built: read, replaced and migrated (and then marked)."""
    db = tmp_path / "factdb.db"
    shutil.copy(good, db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA application_id = 0")
    assert cli("query", "said", "Berg", "--db", db).exit_code == 0
    assert application_id(db) == 0  # reading changes nothing
    assert cli("db", "downgrade", "-1", "--db", db).exit_code == 0
    assert application_id(db) == APPLICATION_ID
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA application_id = 0")
    digest = sha256(db)
    assert cli("db", "upgrade", "0099", "--db", db).exit_code == 1  # failed: left as it was
    assert sha256(db) == digest
    assert cli("db", "upgrade", "--db", db).exit_code == 0
    assert application_id(db) == APPLICATION_ID
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA application_id = 0")
    assert cli("build", "--seeds", VALID, "--db", db).exit_code == 0
    assert application_id(db) == APPLICATION_ID


# -- 3. commands that write files overwrite only what they wrote ---------------------------

def test_datasette_config_never_overwrites_the_database(cli, good, tmp_path):
    db = tmp_path / "factdb.db"
    shutil.copy(good, db)
    digest = sha256(db)
    for force in ((), ("--force",)):
        result = cli("datasette-config", "--db", db, "--output", db, *force)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == (f"error: {db}: is the database itself; refusing to overwrite "
                                 "it with its configuration (choose another --output)\n")
        assert sha256(db) == digest


@pytest.mark.parametrize("kind", ["seed file", "sqlite", "json"])
def test_datasette_config_overwrites_only_a_file_it_wrote(cli, good, tmp_path, kind):
    other = tmp_path / "out"
    if kind == "sqlite":
        another_app(other)
    elif kind == "seed file":
        shutil.copy(VALID / "news.yaml", other)
    else:
        other.write_text('{"title": "my own metadata"}\n')
    digest = sha256(other)
    result = cli("datasette-config", "--db", good, "--output", other)
    what = "a SQLite database" if kind == "sqlite" else "a file"
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"error: {other}: exists and is {what} factdb did not write; "
                             "refusing to overwrite it (choose another --output, or pass "
                             "--force)\n")
    assert sha256(other) == digest
    assert cli("datasette-config", "--db", good, "--output", other, "--force").exit_code == 0
    assert "factdb_datasette_config" in json.loads(other.read_text())


def test_datasette_config_rewrites_its_own_file(cli, good, tmp_path):
    out = tmp_path / "metadata.json"
    for _ in range(2):
        result = cli("datasette-config", "--db", good, "--output", out)
        assert result.exit_code == 0, result.stderr
    content = json.loads(out.read_text())
    assert content["factdb_datasette_config"].startswith("written by `factdb datasette-config`")
    assert content["title"] == "Curated facts from news coverage"
    assert files(tmp_path) == ["metadata.json"]


# -- 4. only regular files -----------------------------------------------------------------

DB_COMMANDS = [("build", "--seeds", str(VALID)), ("query", "said", "Berg"),
               ("query", "sql", "SELECT 1"), ("serve",), ("datasette-config",),
               ("db", "upgrade"), ("db", "upgrade", "--create"), ("db", "downgrade", "-1"),
               ("db", "current"), ("db", "history")]


def a_device(tmp_path: Path) -> Path:
    """A character device to point --db at: a copy of /dev/null (made as root), so that a
    regression replaces nothing that matters; /dev/null itself otherwise (not writable)."""
    if os.geteuid() == 0:
        path = tmp_path / "null"
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        return path
    return Path("/dev/null")


@pytest.mark.parametrize("args", DB_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_db_naming_a_fifo_or_a_device_is_refused(cli, tmp_path, args, kind):
    if kind == "fifo":
        path, what = tmp_path / "pipe.db", "a named pipe (FIFO)"
        os.mkfifo(path)
        check = stat.S_ISFIFO
    else:
        path, what = a_device(tmp_path), "a character device"
        check = stat.S_ISCHR
    result = cli(*args, "--db", path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"error: {path}: is {what}, not a database file; choose "
                             "another --db\n")
    assert check(path.lstat().st_mode)
    assert [p for p in files(tmp_path) if p != path.name] == []


def test_datasette_config_output_naming_a_fifo_is_refused(cli, good, tmp_path):
    pipe = tmp_path / "metadata.json"
    os.mkfifo(pipe)
    result = cli("datasette-config", "--db", good, "--output", pipe, "--force")
    assert result.exit_code == 1
    assert result.stderr == (f"error: {pipe}: is a named pipe (FIFO), not a file to write; "
                             "choose another --output\n")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


def test_a_symbolic_link_is_followed_and_said_never_replaced(cli, good, tmp_path):
    real = tmp_path / "data"
    real.mkdir()
    shutil.copy(good, real / "facts.db")
    link = tmp_path / "factdb.db"
    link.symlink_to(Path("data") / "facts.db")
    result = cli("build", "--seeds", FIXTURES / "queries" / "seeds", "--db", link)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"{link} is a symbolic link: built the file it points "
                                    f"to, {real / 'facts.db'}\n")
    assert link.is_symlink() and os.readlink(link) == str(Path("data") / "facts.db")
    assert application_id(real / "facts.db") == APPLICATION_ID
    result = cli("query", "sql", "SELECT count(*) AS n FROM statements", "--db", link)
    assert result.stdout.split()[-1] == "8"  # the new build, read through the link
    assert files(tmp_path) == ["data", "factdb.db"]


def test_a_symbolic_link_loop_is_refused(cli, tmp_path):
    loop = tmp_path / "loop.db"
    loop.symlink_to("loop.db")
    for args in DB_COMMANDS:
        result = cli(*args, "--db", loop)
        assert result.exit_code in (1, 2), args
        assert "Traceback" not in result.output
        assert loop.is_symlink()
    result = cli("build", "--seeds", VALID, "--db", loop)
    assert result.stderr == (f"error: {loop}: is a symbolic link that points to itself (a "
                             "loop); choose another --db\n")
