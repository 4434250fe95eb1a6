"""Turn rows into text: an 80-column table, a JSON array of objects, or CSV with a header.

:func:`render` returns the text; :func:`write` writes JSON and CSV row by row as the rows
come (a table needs every row first, for its widths), the same text either way.
"""

from __future__ import annotations

import io
import math
from enum import StrEnum

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (type checkers know it)
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any, TextIO

MAX_CELL = 300  # characters of one value shown in a table (JSON and CSV keep everything)
MIN_TEXT = 16  # text is wrapped to no narrower than this, or the rows are shown as records
MAX_WORD = 40  # ids, dates and numbers up to this long are never wrapped in a grid
GAP = "  "


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: Format,
           width: int | None = 80) -> str:
    """The rows as text in ``fmt``; a table fits in ``width`` columns, or is never wrapped
    when ``width`` is None (output read by another program, not a terminal)."""
    if fmt is Format.table:
        return table(columns, rows, width)
    out = io.StringIO()
    write(columns, [rows], fmt, out)
    return out.getvalue()


def write(columns: Sequence[str], batches: Iterable[Sequence[Sequence[Any]]], fmt: Format,
          out: TextIO, width: int | None = 80) -> None:
    """Write rows, given in batches, to ``out`` as :func:`render` would show them. JSON and
    CSV begin only once the first batch came (a query that fails before its first row
    writes nothing), and the first batch is flushed at once."""
    if fmt is Format.table:
        out.write(table(columns, [row for batch in batches for row in batch], width))
    elif fmt is Format.json:
        _write_json(columns, batches, out)
    else:
        _write_csv(columns, batches, out)


def _write_json(columns: Sequence[str], batches: Iterable[Sequence[Sequence[Any]]],
                out: TextIO) -> None:
    import json  # (not needed for CSV or a table)

    # json.dumps(list, indent=2) of the rows, made one object at a time
    # Strictly valid JSON: every column kept (a repeated name gets a suffix), and the
    # infinities SQLite's floats can hold written as strings, as JSON has no number for them.
    encode = json.JSONEncoder(ensure_ascii=False, indent=2, default=_bytes,
                              allow_nan=False).encode
    keys = unique_names(columns)
    started = False
    for batch in batches:
        if not batch:
            continue
        parts = []
        for row in batch:
            obj = dict(zip(keys, map(_json_value, row), strict=True))
            text = encode(obj).replace("\n", "\n  ")
            parts.append(f",\n  {text}" if started else f"[\n  {text}")
            started = True
        out.write("".join(parts))
        if parts[0].startswith("["):  # the first rows: shown at once
            out.flush()
    out.write("\n]\n" if started else "[]\n")


def unique_names(columns: Sequence[str]) -> list[str]:
    """The column names, a repeated one numbered ``a``, ``a_2``, ``a_3`` (skipping any name
    another column has), so that no column hides another."""
    taken, used, names = set(columns), set(), []
    for name in columns:
        unique, n = name, 1
        while unique in used or (n > 1 and unique in taken):
            n += 1
            unique = f"{name}_{n}"
        used.add(unique)
        names.append(unique)
    return names


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def _bytes(value: Any) -> str:
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot show a {type(value).__name__} as JSON")


def _write_csv(columns: Sequence[str], batches: Iterable[Sequence[Sequence[Any]]],
               out: TextIO) -> None:
    import csv  # (not needed for JSON or a table)

    writer = csv.writer(out, lineterminator="\n")  # None is written as an empty field
    started = False
    for batch in batches:
        if not started:
            writer.writerow(columns)
            writer.writerows(batch)
            out.flush()
            started = True
        else:
            writer.writerows(batch)
    if not started:
        writer.writerow(columns)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = value.hex() if isinstance(value, bytes) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None = 80) -> str:
    """A grid when the columns fit in ``width`` (long text wrapped), else one block per row;
    with no ``width``, a grid of whole cells, one line per row."""
    if not rows:
        return ""
    cells = [[_cell(v) for v in row] for row in rows]
    if width is None:
        natural = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
        return _grid(columns, cells, natural, [_numeric(rows, i) for i in range(len(columns))])
    widths = _fit(columns, cells, width)
    if widths is None:
        return _records(columns, cells, width)
    return _grid(columns, cells, widths, [_numeric(rows, i) for i in range(len(columns))])


def _fit(columns: Sequence[str], cells: list[list[str]], width: int) -> list[int] | None:
    """Column widths that fit ``width``, narrowing the widest first; None if they cannot."""
    natural = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    least = [_narrowest(c, [row[i] for row in cells], natural[i]) for i, c in enumerate(columns)]
    slack = [n - m for n, m in zip(natural, least, strict=True)]
    excess = sum(natural) - (width - len(GAP) * (len(columns) - 1))
    if excess <= 0:
        return natural
    if excess > sum(slack):
        return None
    # Narrowing one character at a time from the column with the most slack (the first of
    # equals) levels the slacks down to some level, and takes one more from the first few
    # columns at it: the same widths, found by a binary search for the level.
    level = _level(slack, excess)
    cut = [max(0, s - level) for s in slack]
    more = excess - sum(cut)
    for i, s in enumerate(slack):
        if more and s >= level:
            cut[i] += 1
            more -= 1
    return [n - c for n, c in zip(natural, cut, strict=True)]


def _level(slack: list[int], excess: int) -> int:
    """The least level L such that cutting every slack down to L takes at most ``excess``."""
    low, high = 0, max(slack)
    while low < high:
        mid = (low + high) // 2
        if sum(s - mid for s in slack if s > mid) <= excess:
            high = mid
        else:
            low = mid + 1
    return low


def _narrowest(column: str, values: list[str], natural: int) -> int:
    if natural <= MAX_WORD and not any(" " in v for v in values):
        return natural  # an id, a date or a number: never wrapped
    return min(natural, max(len(column), MIN_TEXT))


def _numeric(rows: Sequence[Sequence[Any]], i: int) -> bool:
    values = [row[i] for row in rows if row[i] is not None]
    return bool(values) and all(isinstance(v, int | float) for v in values)


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width:  # what textwrap gives a cell that fits (see _cell: single spaces)
        return [text]
    import textwrap  # (only a cell too wide for its column needs it)

    return textwrap.wrap(text, width, break_on_hyphens=True) or [""]


def _grid(columns: Sequence[str], cells: list[list[str]], widths: list[int],
          numeric: list[bool]) -> str:
    def line(parts: Sequence[str]) -> str:
        return GAP.join(p.rjust(w) if num else p.ljust(w)
                        for p, w, num in zip(parts, widths, numeric, strict=True)).rstrip()

    wrapped = [[_wrap(c, w) for c, w in zip(row, widths, strict=True)] for row in cells]
    spaced = any(len(lines) > 1 for row in wrapped for lines in row)
    out = [line(columns), line(["-" * w for w in widths])]
    for n, row in enumerate(wrapped):
        if spaced and n:
            out.append("")
        for k in range(max(len(lines) for lines in row)):
            out.append(line([lines[k] if k < len(lines) else "" for lines in row]))
    return "\n".join(out) + "\n"


def _records(columns: Sequence[str], cells: list[list[str]], width: int) -> str:
    label = max(len(c) for c in columns)
    room = max(width - label - len(GAP), 20)
    out = []
    for n, row in enumerate(cells):
        if n:
            out.append("")
        for name, value in zip(columns, row, strict=True):
            lines = _wrap(value, room)
            out.append(f"{name.ljust(label)}{GAP}{lines[0]}".rstrip())
            out.extend(" " * (label + len(GAP)) + rest for rest in lines[1:])
    return "\n".join(out) + "\n"
