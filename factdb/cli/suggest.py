"""`factdb suggest`: draft statements for unaccounted passages, ready to paste into a seed."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from factdb.cli.common import DEFAULT_SEEDS, SeedsOption, err, user_errors

if TYPE_CHECKING:
    from factdb.curate.suggest.drafts import Draft, NewActor, Suggestions


class SuggestFormat(StrEnum):
    yaml = "yaml"
    table = "table"
    json = "json"


@user_errors
def suggest(
    doc: Annotated[
        str | None, typer.Option("--doc", help="Only this document (its id).", show_default=False)
    ] = None,
    fmt: Annotated[
        SuggestFormat, typer.Option("--format", "-f", help="yaml (seed format), table or json.")
    ] = SuggestFormat.yaml,
    all_: Annotated[
        bool, typer.Option("--all", help="Draft for every passage, accounted for or not.")
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", help="Add the drafts to the seeds, each checked as "
                           "`factdb add statement` checks it (new actors first).")
    ] = False,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="With --write: only "
                            "the drafts at least this confident (0 to 1).")
    ] = 0.0,
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Draft statements (quotations and reported speech) for the passages no fact covers."""
    if write:
        if all_ or fmt is not SuggestFormat.yaml:
            err("error: --write writes the drafts for unaccounted passages; leave out --all "
                "and --format")
            raise typer.Exit(2)
        _write(seeds, doc, min_confidence)
        return
    from factdb.cli.curating import _warn_problems
    from factdb.curate.suggest.find import suggest as run_suggest

    found = run_suggest(seeds, doc, all_passages=all_)
    _warn_problems(found.problems, "records with problems cover nothing")
    if not found.drafts:
        what = "passage" if all_ else "unaccounted passage"
        err(f"nothing to suggest: no {what} holds a quotation or an attribution"
            + ("" if all_ else " (--all drafts for every passage)"))
        return
    if fmt is SuggestFormat.json:
        print(json.dumps([asdict(d) for d in found.drafts], ensure_ascii=False, indent=2))
    elif fmt is SuggestFormat.table:
        from factdb.query.output import Format, render

        columns = ("document", "offsets", "speech", "speaker", "confidence", "words", "cue")
        rows = [(d.document, f"{d.start}-{d.end}", d.speech, d.speaker or "?",
                 f"{d.confidence:.2f}", _flat(d.words), d.cue) for d in found.drafts]
        print(render(columns, rows, Format.table))
    else:
        print(seed_yaml(found, with_document=doc is None), end="")


def _write(seeds, doc: str | None, min_confidence: float) -> None:
    from factdb.curate.suggest.accept import write_drafts

    outcomes = write_drafts(seeds, doc, min_confidence)
    if not outcomes:
        err("nothing to write: no unaccounted passage holds a quotation or an attribution")
        return
    for o in outcomes:
        what = f"{o.kind} {o.id}" + ("" if o.confidence is None else
                                     f" (confidence {o.confidence:.2f})")
        if o.written:
            print(f"wrote {what} to {seeds / o.where}")
        else:
            print(f"not written: {what}: {o.reason}")
    written = sum(o.written for o in outcomes if o.kind == "statement")
    drafts = sum(o.kind == "statement" for o in outcomes)
    print(f"{written} of {_count(drafts, 'draft')} written"
          + ("; `factdb coverage` shows what is left" if written < drafts else ""))


def seed_yaml(found: Suggestions, with_document: bool = True) -> str:
    """The drafts as seed YAML: new actors, then statements, each with a comment saying why."""
    lines = [f"# factdb suggest: {_count(len(found.drafts), 'draft')} for "
             f"{_count(len({d.document for d in found.drafts}), 'document')}. Each is a guess:",
             "# check the speaker, the words and the date before pasting into a seed file."]
    if found.new_actors:
        lines += ["", "actors:"]
        for actor in found.new_actors:
            lines += _actor(actor)
    lines += ["", "statements:"]
    document = None
    for d in found.drafts:
        if d.document != document:
            document = d.document
            lines.append(f"  # -- {document}")
        lines += _statement(d, with_document)
    return "\n".join(lines) + "\n"


def _actor(actor: NewActor) -> list[str]:
    return [
        f"  # proposed: no known actor is named {actor.name!r}; its kind is a guess",
        f"  - id: {_scalar(actor.id)}",
        f"    name: {_scalar(actor.name)}",
        f"    kind: {actor.kind}",
        "    aliases:",
        f"      - name: {_scalar(actor.name)}",
        f"        seen_in: [{', '.join(actor.seen_in)}]",
    ]


def _statement(d: Draft, with_document: bool) -> list[str]:
    lines = [f"  # {d.speech}: {_flat(d.cue)}; confidence {d.confidence:.2f}"]
    for i, (key, value) in enumerate(d.seed(with_document).items()):
        lead = "  - " if i == 0 else "    "
        if key == "said":
            inner = ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items())
            lines.append(f"{lead}said: {{{inner}}}")
        elif value is None:
            lines.append(f"{lead}{key}: null  # who said it?")
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return lines


def _scalar(value: Any) -> str:
    """A YAML scalar that reads back as ``value``: plain where that is safe, else quoted."""
    if isinstance(value, int) or re.fullmatch(r"\d{4}-\d\d(?:-\d\d)?", str(value)):
        return str(value)  # the seed loader reads dates as text
    if any(c in value for c in "\n\r\t") or not value.isprintable():
        return json.dumps(value, ensure_ascii=False)  # one line, and valid YAML
    import yaml

    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_flow_style=True)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _count(n: int, one: str) -> str:
    return f"{n} {one}{'' if n == 1 else 's'}"
