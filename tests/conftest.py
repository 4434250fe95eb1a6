"""Shared fixtures: the real seeds built once per session, and a CLI runner."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factdb.cli import app
from factdb.store.build import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from the real seeds; treat it as read-only."""
    path = tmp_path_factory.mktemp("seeds") / "factdb.db"
    build(SEEDS, path)
    return path


@pytest.fixture
def cli():
    """Run the real CLI in-process: ``cli("query", "said", "Lavrov")`` -> click Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return invoke


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
