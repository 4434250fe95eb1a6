"""The curator's commands: `check`, `locate`, `coverage`, `explain` (they read seeds, not a db)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from factdb.cli.common import DEFAULT_SEEDS, SeedsOption, err, user_errors

# What `check` counts, in order: (table, singular, plural).
COUNTED = (
    ("documents", "document", "documents"),
    ("actors", "actor", "actors"),
    ("actor_aliases", "alias", "aliases"),
    ("actor_roles", "role", "roles"),
    ("statements", "statement", "statements"),
    ("events", "event", "events"),
    ("event_sources", "event source", "event sources"),
    ("relations", "relation", "relations"),
    ("boilerplate_regions", "boilerplate region", "boilerplate regions"),
    ("skipped_passages", "skip", "skips"),
)
DocOption = Annotated[
    str | None, typer.Option("--doc", help="Only this document (its id).", show_default=False)
]


@user_errors
def check(seeds: SeedsOption = DEFAULT_SEEDS) -> None:
    """Validate the seeds without writing a database; list every problem (exit 1) or count."""
    from factdb.curate.check import check as run_check

    summary = run_check(seeds)
    parts = [_count(summary.counts[table], one, many) for table, one, many in COUNTED]
    print(f"{summary.root}: ok, {_count(summary.files, 'file', 'files')}: {', '.join(parts)}")
    for warning in summary.warnings:
        err(f"warning: {warning} (see `factdb query date-conflicts`)")


@user_errors
def locate(
    words: Annotated[str, typer.Argument(help="The words to find, as you would write them.")],
    doc: DocOption = None,
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Where some words occur (exit 0), or the closest passages and how they differ (exit 1)."""
    from factdb.curate.locate import locate as run_locate

    found = run_locate(seeds, words, doc)
    _warn_problems(found.problems)
    for hit in found.exact:
        where = f"occurrence {hit.occurrence} of {hit.count}"
        if hit.count > 1:
            where += f" (in a seed: `occurrence: {hit.occurrence}`)"
        if hit.boilerplate:
            where += f", in boilerplate ({hit.boilerplate})"
        print(f"{hit.document} {hit.start}-{hit.end} {where}")
        _show(hit.context)
    if found.exact:
        return
    if not found.near:
        err("not found, and no passage is close")
        raise typer.Exit(1)
    err("not found exactly; the closest passages:")
    for hit in found.near:
        what = "; ".join(hit.differences) or "small differences"
        place = f", in boilerplate ({hit.boilerplate})" if hit.boilerplate else ""
        print(f"{hit.document} {hit.start}-{hit.end} similarity {hit.ratio:.2f}{place}: {what}")
        _show(hit.context)
        print(f"  words: {hit.words}")
    raise typer.Exit(1)


@user_errors
def coverage(
    doc: DocOption = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 if anything is unaccounted for.")] = False,
    all_: Annotated[
        bool, typer.Option("--all", help="List every passage and what accounts for it.")
    ] = False,
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Whether every quote and attributed sentence is covered by a fact, boilerplate or a skip."""
    from factdb.curate.coverage import STATUSES
    from factdb.curate.coverage import coverage as run_coverage
    from factdb.evidence.locate import flatten

    report = run_coverage(seeds, doc)
    _warn_problems(report.problems, "records with problems cover nothing")
    width = max([len("document"), *(len(d.document) for d in report.documents)])
    heads = ("passages", *STATUSES)
    print(f"{'document':<{width}}  " + "  ".join(heads) + "  accounted")
    for d in report.documents:
        row = (len(d.items), *(d.count(s) for s in STATUSES))
        print(_row(d.document, width, heads, row, d.percent))
    if len(report.documents) > 1:
        row = (report.passages, *(report.count(s) for s in STATUSES))
        print(_row("total", width, heads, row, report.percent))
    shown = [(d.document, i) for d in report.documents for i in d.items
             if all_ or i.status == "unaccounted"]
    if shown:
        print("\nall passages:" if all_ else "\nunaccounted for:")
    for document, item in shown:
        p = item.passage
        cue = f' "{p.cue}"' if p.cue else ""
        how = "" if not all_ else f" {item.status}" + (f" ({', '.join(item.by)})" if item.by
                                                        else "")
        print(f"  {document} {p.start}-{p.end} {p.kind}{cue}{how}:")
        print(f"    {flatten(p.text)}")
    if strict and not report.complete:
        missing = report.count("unaccounted")
        err(f"coverage incomplete: {_count(missing, 'passage', 'passages')} unaccounted for"
            + (f", {_count(len(report.problems), 'seed problem', 'seed problems')}"
               if report.problems else ""))
        raise typer.Exit(1)


@user_errors
def explain(
    ident: Annotated[
        str, typer.Argument(metavar="ID", help="A document, actor, fact or relation id.")
    ],
    seeds: SeedsOption = DEFAULT_SEEDS,
) -> None:
    """Where a curated record was written, its evidence in context, and what relates to it."""
    from factdb.curate.explain import explain as run_explain

    found, problems = run_explain(seeds, ident)
    _warn_problems(problems, "records with problems show no evidence")
    for i, ex in enumerate(found):
        if i:
            print()
        print(f"{ex.kind} {ex.id}  ({ex.where})")
        width = max((len(k) for k, _ in ex.fields), default=0)
        for key, value in ex.fields:
            print(f"  {key:<{width}}  {value}")
        if ex.evidence:
            print("evidence:")
        for ev in ex.evidence:
            print(f"  {ev.document} {ev.start}-{ev.end} ({ev.what}):")
            _show(ev.context, indent=4)
        if ex.related:
            print("related:")
        for link in ex.related:
            print(f"  {link.kind} {link.id}: {link.how}" + (f"  ({link.where})"
                                                            if link.where else ""))


def _row(name: str, width: int, heads: tuple[str, ...], row, percent: float) -> str:
    cells = "  ".join(f"{n:>{len(h)}}" for h, n in zip(heads, row, strict=True))
    return f"{name:<{width}}  {cells}  {percent:>8.1f}%"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _warn_problems(problems, consequence: str = "") -> None:
    if problems:
        extra = f"; {consequence}" if consequence else ""
        err(f"warning: the seeds have {_count(len(problems), 'problem', 'problems')} "
            f"(see `factdb check`){extra}")


def _show(context, indent: int = 2) -> None:
    """One indented line of context with the match highlighted (bold on a terminal)."""
    pad = " " * indent
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.text import Text

        line = Text(pad + context.before)
        line.append(context.match, style="bold reverse")
        line.append(context.after)
        Console(soft_wrap=True, highlight=False).print(line)
    else:
        print(f"{pad}{context.before}>>{context.match}<<{context.after}")
