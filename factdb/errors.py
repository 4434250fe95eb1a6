"""User-facing errors: every problem names its file, line, column and field."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (type checkers know it)
if TYPE_CHECKING:
    from factdb.problems import Problem


class FactdbError(Exception):
    """A mistake the user can fix; the CLI prints it without a traceback."""


class SeedErrors(FactdbError):
    """All the problems found in one pass over the seeds."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_problem_key)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [str(p) for p in self.problems]
        super().__init__("\n".join([*lines, f"{count} {noun} found in the seeds"]))


def _problem_key(p: Problem) -> tuple:
    return (p.file, p.line or 0, p.column or 0, p.field, p.message)


def __getattr__(name: str) -> object:
    if name == "Problem":  # `from factdb.errors import Problem`, loaded when first asked for
        from factdb.problems import Problem

        return Problem
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
