"""User-facing errors: every problem names its file, line, column and field."""

from __future__ import annotations

from dataclasses import dataclass


class FactdbError(Exception):
    """A mistake the user can fix; the CLI prints it without a traceback."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the seeds, located as precisely as it can be."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = _printable(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {_printable(self.field)}:" if self.field else ""
        return f"{where}:{field} {self.message}"


def _printable(text: str) -> str:
    """The text with unprintable characters (a carriage return typed into a key) escaped
    as ``repr`` escapes them, the way messages quote values with ``!r``."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


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
