"""One thing wrong with the seeds (:class:`Problem`), located by file, line, column, field.

Imported as ``factdb.errors.Problem``; it lives here, a dataclass, so that ``factdb.errors``
stays cheap to import on `factdb query`'s way (dataclasses brings inspect and ast).
"""

from __future__ import annotations

from dataclasses import dataclass


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
