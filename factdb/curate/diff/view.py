"""A diff as text: lines for a reviewer (grouped by kind, long words cut) or JSON for tools."""

from __future__ import annotations

import json
from typing import Any

from factdb.curate.diff.compare import KINDS, Change, FieldChange, Kind
from factdb.curate.diff.sides import Diff

MAX_WORDS = 72  # characters of evidence words shown in a table line (JSON keeps everything)
MAX_VALUE = 40  # characters of a changed value shown (hashes, notes); JSON keeps everything
SIGNS = {"added": "+", "removed": "-", "changed": "~"}


def table(d: Diff) -> str:
    """The diff for a reader: a summary line, then each kind's changes under its heading."""
    head = f"{d.old.label} -> {d.new.label}, {d.seeds}/"
    if not d.changes:
        return f"{head}: no changes to the database\n"
    lines = [f"{head}: {_counts(d.changes)}"]
    for kind in KINDS:
        mine = sorted((c for c in d.changes if c.kind is kind), key=_order)
        if mine:
            lines += ["", f"{kind.plural}: {_counts(mine)}"]
            lines += [line for change in mine for line in _lines(change)]
    return "\n".join(lines) + "\n"


def _order(change: Change) -> tuple:
    """By id, then removed before changed before added (a rename reads - then +)."""
    row = change.row
    return (row[change.kind.ident], "-~+".index(SIGNS[change.change]),
            [(row[c] is not None, row[c]) for c in change.kind.key])


def _counts(changes: list[Change]) -> str:
    parts = []
    for what in ("added", "changed", "removed"):
        n = sum(c.change == what for c in changes)
        if n:
            parts.append(f"{n} {what}")
    return ", ".join(parts)


def _lines(change: Change) -> list[str]:
    kind, row = change.kind, change.row
    sign = SIGNS[change.change]
    if change.change != "changed":
        summary = [str(row[c]) for c in kind.summary if row[c] is not None]
        line = f"{sign} {kind.name} {row[kind.ident]}"
        if summary:
            line += f" ({', '.join(summary)})"
        if kind.words and row[kind.words] is not None:
            line += f": {_quoted(row[kind.words], MAX_WORDS)}"
        return [line]
    name = _name(kind, row)
    shown = {f.field for f in change.fields}
    lines = []
    for f in change.fields:
        if f.follows in shown:
            continue  # derived from a field whose change is shown already
        limit = MAX_WORDS if f.field == kind.words else MAX_VALUE
        quote = any(isinstance(v, str) and (" " in v or not v) for v in (f.old, f.new))
        line = (f"{sign} {name}: {f.field} {_value(f, f.old, limit, quote)} -> "
                f"{_value(f, f.new, limit, quote)}")
        if not lines and kind.words and kind.words not in shown and row[kind.words]:
            line += f" ({kind.words}: {_quoted(row[kind.words], MAX_WORDS)})"  # once
        lines.append(line)
    return lines


def _name(kind: Kind, row: dict[str, Any]) -> str:
    """The kind and id, and the rest of the key but the evidence words (shown after)."""
    rest = [str(row[c]) for c in kind.key if c not in (kind.ident, kind.words)
            and row[c] is not None]
    return f"{kind.name} {row[kind.ident]}" + (f" ({', '.join(rest)})" if rest else "")


def _value(f: FieldChange, value: Any, limit: int, quote: bool) -> str:
    """A value as a table shows it; text is quoted when either side has a space."""
    if value is None:
        return "(none)"
    if f.field == "at":
        return f"{value[0]}-{value[1]}"
    if isinstance(value, list):
        return "..".join("(none)" if v is None else str(v) for v in value)
    if f.field == "sha256":
        return f"{value[:12]}..."
    if f.field.startswith("is_"):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, str) and quote:
        return _quoted(text, limit)
    return _cut(text, limit)


def _quoted(text: str, limit: int) -> str:
    return f'"{_cut(text, limit)}"'


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word where one is near, marked with '...'."""
    text = " ".join(text.split())  # line breaks in evidence would break the line
    if len(text) <= limit:
        return text
    cut = text[:limit - 3]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "..."


def to_json(d: Diff) -> str:
    """The diff for tools: every value in full, field changes with their columns' values."""
    doc = {
        "old": {"label": d.old.label, "commit": d.old.commit},
        "new": {"label": d.new.label, "commit": d.new.commit},
        "seeds": d.seeds,
        "changes": [_change_json(c) for c in d.changes],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _change_json(change: Change) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": change.kind.name,
        "change": change.change,
        "id": change.row[change.kind.ident],
        "key": {c: change.row[c] for c in change.kind.key},
        "row": change.row,
    }
    if change.change == "changed":
        out["fields"] = [{"field": f.field, "old": f.old, "new": f.new}
                         for f in change.fields]
    return out
