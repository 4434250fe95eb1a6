"""The curated seed format: what each YAML record may hold, declared once with pydantic.

A seed file is a mapping with any of these sections: ``document`` (one document),
``actors``, ``statements``, ``events``, ``relations``. Statements in a file that has a
``document`` belong to it unless they name another. See README "Seed format".
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=1, max_length=120)
]
Text = Annotated[str, StringConstraints(min_length=1)]
Occurrence = Annotated[int, Field(ge=1)]

# `factdb add document` writes this in front of what it could not know; check and build
# refuse a value that still starts with it, naming its file, line and field.
PLACEHOLDER = "TO FILL:"


def _filled(value: object) -> object:
    if isinstance(value, str) and value.startswith(PLACEHOLDER):
        raise PydanticCustomError("still_to_fill", "still to fill: replace the placeholder")
    return value


# A seed text's file number ("000", "001"): meaningless to a reader, and wrong once files
# are renumbered. Notes, descriptions and inferred_from name the outlet or article instead.
_FILE_NUMBER = re.compile(r"(?<![\w.,-])0\d{2}(?![\w-])")


def _no_file_number(value: str) -> str:
    found = _FILE_NUMBER.search(value)
    if found:
        raise PydanticCustomError(
            "file_number", "cites the seed file number {number}: name the outlet or the "
            "article instead",
            {"number": repr(found.group())})
    return value



Prose = Annotated[Text, AfterValidator(_no_file_number)]  # words for a reader

Fillable = BeforeValidator(_filled)  # (last in an Annotated: it runs before the type's checks)
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class DateSeed(Record):
    """When something happened or was said, with how we know.

    ``value`` and ``basis`` may be left out when the build understands the ``words``: it
    computes the date from the anchor (basis: inferred). validate.py says when they are
    required.
    """

    value: Text | None = None
    precision: Literal["year", "month", "week", "day", "range"] | None = None
    basis: Literal["stated", "inferred"] | None = None
    words: Text | None = None
    anchor: Slug | None = None
    inferred_from: Prose | None = None
    earliest: Text | None = None
    latest: Text | None = None


class PublishedSeed(DateSeed):
    """A document's publication date: ``factdb add document`` may leave it to fill."""

    value: Annotated[Text | None, Fillable] = None
    basis: Annotated[Literal["stated", "inferred"] | None, Fillable] = None


class Passage(Record):
    """Some exact words of a document; ``occurrence`` picks one when they repeat."""

    words: Text
    occurrence: Occurrence | None = None


class Boilerplate(Passage):
    kind: Literal[
        "navigation", "headline-repeat", "caption", "credit", "comment-form", "related-links",
        "see-also", "author-blurb", "advert", "other",
    ]
    until: Text | None = None
    to_end: bool = False


class Skip(Passage):
    reason: Text


class DocumentSeed(Record):
    id: Slug
    file: Text
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    title: Annotated[Text, Fillable]
    publisher: Slug | None = None
    author: Text | None = None
    url: Text | None = None
    language: Annotated[Language, Fillable]
    machine_translation: bool = False
    translated_from: Language | None = None
    published: PublishedSeed
    boilerplate: list[Boilerplate] = []
    skips: list[Skip] = []
    republished_from: Slug | None = None  # the outlet (actor) whose report this page carries
    note: Prose | None = None


class Role(Passage):
    role: Text
    document: Slug


class Alias(Record):
    """A spelling of an actor's name, and the documents it is seen in."""

    name: Text
    seen_in: list[Slug] = []


class ActorSeed(Record):
    id: Slug
    name: Text
    kind: Literal["person", "organisation", "government-body", "state", "media-outlet"]
    description: Prose | None = None
    party: Text | None = None
    aliases: list[Alias] = []
    roles: list[Role] = []


Status = Literal["preferred", "normal", "deprecated"]


class Reviewed(Record):
    """A fact's review status: a deprecated fact stays, with why (facts.py checks the reason)."""

    status: Status = "normal"
    status_reason: Text | None = None


class StatementSeed(Passage, Reviewed):
    """``words`` or, for a quote interrupted by its attribution or elided, ``pieces``: its
    passages in the order of the text (facts.py checks that exactly one is given)."""

    words: Text | None = None  # type: ignore[assignment]
    pieces: list[Passage] = []
    id: Slug
    speaker: Slug
    document: Slug | None = None
    speech: Literal["direct", "reported"]
    said: DateSeed | None = None
    venue: Text | None = None
    relayed_by: Slug | None = None
    origin: Slug | None = None  # whose words these first were: an actor or a document
    note: Prose | None = None


class Source(Passage):
    document: Slug
    relayed_by: Slug | None = None
    origin: Slug | None = None
    date: DateSeed | None = None  # the date this document gives, read against its own date


class Participant(Record):
    actor: Slug
    role: Text | None = None


class EventSeed(Reviewed):
    id: Slug
    description: Prose
    kind: Text | None = None
    date: DateSeed | None = None  # when not given: the most precise of its sources' dates
    place: Text | None = None
    participants: list[Participant] = []
    sources: Annotated[list[Source], Field(min_length=1)]
    note: Prose | None = None


class RelationSeed(Record):
    id: Slug
    kind: Literal["corroborates", "contradicts"]
    fact: Slug
    fact_document: Slug | None = None
    other: Slug
    other_document: Slug | None = None
    note: Prose


SECTIONS: dict[str, type[Record]] = {
    "document": DocumentSeed,
    "actors": ActorSeed,
    "statements": StatementSeed,
    "events": EventSeed,
    "relations": RelationSeed,
}
