"""What a canned query is: a name, a title, a description, SQL with named parameters, and
those parameters with how the CLI asks for and checks each (the SQL is in
:mod:`factdb.query.registry`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# How a parameter's value is checked (and resolved) before the SQL runs in the CLI:
# "actor" and "event" resolve a name or words to exactly one record (several matches are
# listed, and the user asked which); "date" is a partial date; "search" must hold words;
# "limit" is a whole number of rows, at least 1; "flag" is a yes or a no (an option without a
# value in the CLI, see factdb.query.sqlparts.YES).
Check = Literal["text", "actor", "event", "document", "date", "search", "limit", "flag"]


@dataclass(frozen=True)
class Param:
    """One named SQL parameter, and how the CLI asks for it."""

    name: str
    help: str
    required: bool = False
    flag: str | None = None  # the CLI option for an optional parameter; default --NAME
    check: Check = "text"
    metavar: str = "TEXT"

    @property
    def option(self) -> str:
        return self.flag or f"--{self.name.replace('_', '-')}"


@dataclass(frozen=True)
class CannedQuery:
    name: str
    title: str
    description: str
    sql: str
    params: tuple[Param, ...] = ()
