"""`factdb add document|actor|statement|event|relation|alias|role`: one record, checked, or
nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from factdb.cli.common import DEFAULT_SEEDS, SeedsOption, err, user_errors

app = typer.Typer(
    no_args_is_help=True,
    help="Add a record to the seeds: checked as `factdb check` would, written only if sound.",
)


def _opt(help: str, *names: str, **more):
    return typer.Option(*names, help=help, show_default=False, **more)


Id = Annotated[str | None, _opt("The new record's id (lower-case words joined by hyphens); "
                                "proposed when left out.", "--id")]
Note = Annotated[str | None, _opt("A note for readers of the record.", "--note")]
Occurrence = Annotated[int | None, _opt("Which occurrence of --words (1, 2, ...), when they "
                                        "occur more than once.", "--occurrence", min=1)]
InferredFrom = Annotated[str | None, _opt(
    "Why a date value is inferred, when the text does not state it: makes it "
    "`basis: inferred` with this note.", "--inferred-from")]
DATE_HELP = ("a value (2023-03-02, 2023-03, 2023, the ISO week 2023-W09, or a range "
             "2023-03-01/2023-03-05), the text's words (\"on Thursday\"), or "
             "both (\"2023-03-02 on Thursday\"); words are read from the document's "
             "publication date")


def _report(added, seeds: Path) -> None:
    where = f"{seeds / added.file}:{added.line}"
    if added.kind in ("alias", "role"):
        print(f"added {added.kind} to actor {added.id} in {where}")
    else:
        print(f"added {added.kind} {added.id} to {where}")
    for note in added.notes:
        print(f"  {note}")
    if added.todo:
        print(f"still to fill in {seeds / added.file} (then `factdb check`):")
        for problem in added.todo:
            print(f"  line {problem.line}: {problem.field}")


@app.command(epilog="Example: factdb add document article.txt --id ferry-strike --publisher "
             "\"Harbour Herald\" --published 2023-03-03 --language en")
@user_errors
def document(
    path: Annotated[Path, typer.Argument(help="The article's text (UTF-8), copied into "
                                              "seeds/texts/ byte for byte.")],
    id: Id = None,
    title: Annotated[str | None, _opt("Title (default: the text's first line).")] = None,
    publisher: Annotated[str | None, _opt("The media outlet: an actor's id or name.")] = None,
    author: Annotated[str | None, _opt("Who wrote it, as the page gives it.")] = None,
    url: Annotated[str | None, _opt("Where it was published.")] = None,
    published: Annotated[str | None, _opt(f"Publication date: {DATE_HELP}.")] = None,
    inferred_from: InferredFrom = None,
    language: Annotated[str | None, _opt("Language code of the text, such as en.")] = None,
    translated_from: Annotated[str | None, _opt(
        "For a machine translation: the original's language code.")] = None,
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Add an article: its text to seeds/texts/<id>.txt, its metadata to
    seeds/documents/<id>.yaml (what is not given is left marked TO FILL)."""
    from factdb.curate.add.records import add_document

    _report(add_document(seeds, path, id=id, title=title, publisher=publisher, author=author,
                         url=url, published=published, inferred_from=inferred_from,
                         language=language, translated_from=translated_from), seeds)


@app.command(epilog="Example: factdb add statement --document ferry-strike --speaker Berg "
             "--speech direct --words \"We will not sail on Monday\" --said \"on Thursday\" "
             "--venue \"a press conference\"")
@user_errors
def statement(
    document: Annotated[str, _opt("The document's id.", "--document")],
    speaker: Annotated[str, _opt("Who said it: an actor's id or any of its names.")],
    speech: Annotated[str, _opt("direct (a quote) or reported.", metavar="direct|reported")],
    words: Annotated[str, _opt("The document's exact words.")],
    id: Id = None,
    occurrence: Occurrence = None,
    said: Annotated[str | None, _opt(f"When it was said: {DATE_HELP}.")] = None,
    inferred_from: InferredFrom = None,
    venue: Annotated[str | None, _opt("Where or how it was said.")] = None,
    relayed_by: Annotated[str | None, _opt("An actor (id or name) whose report the "
                                           "document passes on.")] = None,
    note: Note = None,
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Add a statement to its document's seed file."""
    from factdb.curate.add.records import add_statement

    _check_choice("--speech", speech, ("direct", "reported"))
    _report(add_statement(seeds, document=document, speaker=speaker, speech=speech,
                          words=words, id=id, occurrence=occurrence, said=said,
                          inferred_from=inferred_from, venue=venue, relayed_by=relayed_by,
                          note=note), seeds)


@app.command(epilog="Example: factdb add event --description \"Ferry crews strike\" --date "
             "\"on Monday\" --document ferry-strike --words \"crews walked out on Monday\" "
             "--participant \"Ferry Workers Union:strikers\" --place Tromsø")
@user_errors
def event(
    description: Annotated[str, _opt("What happened, in one sentence.")],
    date: Annotated[str, _opt(f"When: {DATE_HELP}.")],
    document: Annotated[str, _opt("The document that reports it (its id).")],
    words: Annotated[str, _opt("The document's exact words that report it.")],
    id: Id = None,
    kind: Annotated[str | None, _opt("What kind of event (free text: strike, meeting...).")] = None,
    place: Annotated[str | None, _opt("Where.")] = None,
    participant: Annotated[list[str] | None, _opt(
        "An actor (id or name), optionally with a role: \"Anna Berg:mayor\". Repeatable.",
        metavar="ACTOR[:ROLE]")] = None,
    occurrence: Occurrence = None,
    relayed_by: Annotated[str | None, _opt("An actor whose report the document passes "
                                           "on.")] = None,
    inferred_from: InferredFrom = None,
    note: Note = None,
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Add an event, with one source, to seeds/events.yaml."""
    from factdb.curate.add.records import add_event

    _report(add_event(seeds, description=description, date=date, document=document,
                      words=words, id=id, kind=kind, place=place, participants=participant,
                      occurrence=occurrence, relayed_by=relayed_by,
                      inferred_from=inferred_from, note=note), seeds)


@app.command(epilog="Example: factdb add relation --kind contradicts --fact "
             "berg-no-sailing-monday --other union-ferries-sail --note \"Berg says ... ; the "
             "union says ...\"")
@user_errors
def relation(
    kind: Annotated[str, _opt("corroborates or contradicts.",
                              metavar="corroborates|contradicts")],
    fact: Annotated[str, _opt("A statement or event id.")],
    other: Annotated[str, _opt("The other statement or event id.")],
    note: Annotated[str, _opt("What is compared, in one line.")],
    id: Id = None,
    fact_document: Annotated[str | None, _opt("For an event: which document's report of "
                                              "--fact.")] = None,
    other_document: Annotated[str | None, _opt("For an event: which document's report of "
                                               "--other.")] = None,
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Add a corroboration or contradiction to seeds/relations.yaml."""
    from factdb.curate.add.records import add_relation

    _check_choice("--kind", kind, ("corroborates", "contradicts"))
    _report(add_relation(seeds, kind=kind, fact=fact, other=other, note=note, id=id,
                         fact_document=fact_document, other_document=other_document), seeds)


ACTOR_KINDS = ("person", "organisation", "government-body", "state", "media-outlet")


@app.command(epilog="Example: factdb add actor --name \"Anna Berg\" --kind person --alias Berg "
             "--seen-in ferry-strike --description \"mayor of Tromsø\"")
@user_errors
def actor(
    name: Annotated[str, _opt("The actor's full name.")],
    kind: Annotated[str, _opt("One of: " + ", ".join(ACTOR_KINDS) + ".", metavar="KIND")],
    id: Id = None,
    description: Annotated[str | None, _opt("Who they are, in a few words.")] = None,
    party: Annotated[str | None, _opt("A person's political party.")] = None,
    alias: Annotated[list[str] | None, _opt("Another spelling of the name. Repeatable.")] = None,
    seen_in: Annotated[list[str] | None, _opt(
        "A document that names the actor (its names are looked up there). Repeatable.")] = None,
    role: Annotated[str | None, _opt("A role the document gives (with --document and "
                                     "--words).")] = None,
    document: Annotated[str | None, _opt("The document that gives --role.")] = None,
    words: Annotated[str | None, _opt("The document's words that give --role.")] = None,
    occurrence: Occurrence = None,
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Add an actor (a person, organisation, state...) to seeds/actors.yaml."""
    from factdb.curate.add.records import add_actor

    _check_choice("--kind", kind, ACTOR_KINDS)
    _report(add_actor(seeds, name=name, kind=kind, id=id, description=description,
                      party=party, aliases=alias, seen_in=seen_in, role=role,
                      document=document, words=words, occurrence=occurrence), seeds)


@app.command(epilog="Example: factdb add alias --actor anna-berg --name \"A. Berg\" --seen-in "
             "ferry-strike")
@user_errors
def alias(
    actor: Annotated[str, _opt("The actor: its id or any of its names.")],
    name: Annotated[str, _opt("The new name, as the document writes it.")],
    seen_in: Annotated[list[str] | None, _opt(
        "A document that names the actor so (the name is looked up there). Repeatable.")
    ] = None,
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Add a name to an actor already in the seeds (its aliases: list)."""
    from factdb.curate.add.extend import add_alias

    _report(add_alias(seeds, actor=actor, name=name, seen_in=seen_in or []), seeds)


@app.command(epilog="Example: factdb add role --actor \"Anna Berg\" --role \"Mayor of Tromsø\" "
             "--document ferry-strike --words \"Tromsø's mayor, Anna Berg\"")
@user_errors
def role(
    actor: Annotated[str, _opt("The actor: its id or any of its names.")],
    role: Annotated[str, _opt("The role, as the document gives it.")],
    document: Annotated[str, _opt("The document that gives it (its id).")],
    words: Annotated[str, _opt("The document's words that give it.")],
    occurrence: Occurrence = None,
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Add a role to an actor already in the seeds (its roles: list)."""
    from factdb.curate.add.extend import add_role

    _report(add_role(seeds, actor=actor, role=role, document=document, words=words,
                     occurrence=occurrence), seeds)


def _check_choice(option: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        err(f"error: {option}: {value!r} is not allowed; use one of: {', '.join(allowed)}")
        raise typer.Exit(1)
