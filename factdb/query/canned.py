"""What a canned query is: a name, a title, a description, SQL with named parameters, and
those parameters with how the CLI asks for and checks each (the SQL is in
:mod:`factdb.query.registry`).

Named tuples from :mod:`collections`, not dataclasses or typing.NamedTuple: this module is on
every `factdb query` command's way, and dataclasses and typing cost milliseconds to import.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (type checkers know it)

if TYPE_CHECKING:
    from typing import Literal

    # How a parameter's value is checked (and resolved) before the SQL runs in the CLI:
    # "actor" and "event" resolve a name or words to exactly one record (several matches are
    # listed, and the user asked which); "date" is a partial date; "search" must hold words;
    # "limit" is a whole number of rows, at least 1; "flag" is a yes or a no (an option
    # without a value in the CLI, see factdb.query.sqlparts.YES).
    Check = Literal["text", "actor", "event", "document", "date", "search", "limit", "flag"]


class Param(namedtuple("Param", "name help required flag check metavar",
                       defaults=(False, None, "text", "TEXT"))):
    """One named SQL parameter, and how the CLI asks for it."""

    __slots__ = ()
    name: str
    help: str
    required: bool
    flag: str | None  # the CLI option for an optional parameter; default --NAME
    check: Check
    metavar: str

    @property
    def option(self) -> str:
        return self.flag or f"--{self.name.replace('_', '-')}"


class CannedQuery(namedtuple("CannedQuery", "name title description sql params",
                             defaults=((),))):
    """One canned query."""

    __slots__ = ()
    name: str
    title: str
    description: str
    sql: str
    params: tuple[Param, ...]
