"""Write seed files the way a curator would: one record appended, every other byte kept.

LibYAML's node marks say where the section ends and how its items are indented; ruamel.yaml
renders the new record in the seeds' style (block mappings, ``- `` items two spaces in,
long lines never wrapped, strings quoted only where needed). The record's text is then spliced in
after the section's last item, so comments, order, quoting and layout of everything else
stay exactly as they were, and a diff shows only the new lines.

Writes are atomic (a temporary file in the same folder, then ``os.replace``) and happen
under a lock on the seeds folder, so two ``factdb add`` at once never lose a record.
"""

from __future__ import annotations

import errno
import fcntl
import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from factdb.errors import FactdbError

_PLAIN_ONLY = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"  # the seed reader keeps these as strings
_RESOLVER = yaml.resolver.Resolver()
try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - LibYAML is in the lock file's wheels
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.width = 4096  # long quotes stay on one line, as curators write them
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    return y


def render(record: dict[str, Any]) -> str:
    """A record as a block mapping at column 0, strings quoted where the seed reader
    (YAML 1.1) would otherwise read a number, true/false or null."""
    buf = io.StringIO()
    _yaml().dump(_quoted(record), buf)
    return buf.getvalue()


def _quoted(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            if item is not None:
                out[key] = _quoted(item)
        return out
    if isinstance(value, list):
        if value and all(isinstance(v, str) for v in value):
            from ruamel.yaml.comments import CommentedSeq

            seq = CommentedSeq(_quoted(v) for v in value)
            seq.fa.set_flow_style()  # seen_in: [a, b], as the seeds write id lists
            return seq
        return [_quoted(v) for v in value]
    if isinstance(value, str):
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if tag not in (_PLAIN_ONLY, _TIMESTAMP) or value != value.strip() or not value:
            return DoubleQuotedScalarString(value)
        if tag == _TIMESTAMP and len(value) == 10:  # plain, as curators write days (the
            try:                                   # seed reader keeps them as strings)
                return date.fromisoformat(value)
            except ValueError:
                return DoubleQuotedScalarString(value)
    return value


def as_item(record: dict[str, Any], indent: int) -> str:
    """A record rendered as one ``- `` item of a block sequence whose dash is at ``indent``."""
    lines = render(record).splitlines()
    pad = " " * indent
    out = [f"{pad}- {lines[0]}"] + [f"{pad}  {line}" if line else "" for line in lines[1:]]
    return "\n".join(out) + "\n"


def append_record(text: str, section: str, record: dict[str, Any], name: str
                  ) -> tuple[str, int]:
    """``text`` (a seed file) with ``record`` added at the end of its ``section`` list, and
    the (1-based) line where the record starts.

    A missing section is added at the end of the file. Raises FactdbError when the file
    has no place for it (not a mapping of sections, a section that is not a block list).
    (LibYAML's node marks locate things: reading the file round-trip costs far more.)
    """
    root, lines = _compose(text, name)
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise FactdbError(f"{name}: is not a mapping of sections; cannot add to it")
    pairs = root.value if root is not None else []
    keys = [k.value for k, _ in pairs]
    if section not in keys:
        body = "".join(lines)
        sep = "\n" if body.strip() else ""
        return _insert([body, sep, f"{section}:\n"], 3, as_item(record, 2), blank=False)
    i = keys.index(section)
    key, seq = pairs[i]
    next_line = pairs[i + 1][0].start_mark.line if i + 1 < len(pairs) else len(lines)
    if isinstance(seq, yaml.ScalarNode) and seq.tag == "tag:yaml.org,2002:null":
        # `statements:` with nothing after it
        at = _section_end(lines, key.start_mark.line + 1, next_line, i + 1 < len(pairs))
        return _insert(lines, at, as_item(record, 2), blank=False)
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value:
        raise FactdbError(f"{name}:{key.start_mark.line + 1}: {section}: is not a block list "
                          "of records (`- id: ...` lines); cannot add to it")
    first, last = seq.value[0].start_mark, seq.value[-1].start_mark
    dash = lines[first.line].rfind("-", 0, first.column)
    # records set apart by a blank line stay so (one record alone: the seeds' convention)
    blank = len(seq.value) == 1 or not lines[last.line - 1].strip()
    at = _section_end(lines, last.line + 1, next_line, i + 1 < len(pairs))
    return _insert(lines, at, as_item(record, max(dash, 0)), blank)


def _compose(text: str, name: str) -> tuple[yaml.Node | None, list[str]]:
    """The file's YAML node tree (marks locate things) and its lines, the last one ended."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise FactdbError(f"{name}: cannot be read as YAML ({' '.join(str(exc).split())}); "
                          "fix it first (`factdb check` says where)") from None
    lines = text.splitlines(keepends=True)
    if text and not text.endswith("\n"):
        lines[-1] += "\n"
    return root, lines


def add_to_record(text: str, section: str, ident: str, key: str, item: dict[str, Any],
                  name: str) -> tuple[str, int]:
    """``text`` with ``item`` added at the end of the ``key`` list of the record ``ident`` in
    ``section`` (the key is created, at the end of the record, when missing); and the
    1-based line of the new item. Every other byte is kept."""
    root, lines = _compose(text, name)
    pairs = root.value if isinstance(root, yaml.MappingNode) else []
    keys = [k.value for k, _ in pairs]
    seq = pairs[keys.index(section)][1] if section in keys else None
    items = seq.value if isinstance(seq, yaml.SequenceNode) else []
    found = [n for n, rec in enumerate(items) if isinstance(rec, yaml.MappingNode) and any(
        k.value == "id" and getattr(v, "value", None) == ident for k, v in rec.value)]
    if not found:
        raise FactdbError(f"{name}: no record with id {ident!r} in its {section}: list")
    n = found[0]
    record = items[n]
    if record.flow_style:
        raise FactdbError(f"{name}:{record.start_mark.line + 1}: {ident} is written as one "
                          "{...} mapping; write it as a block to add to it")
    after = items[n + 1].start_mark.line if n + 1 < len(items) else (
        _next_key_line(pairs, section, len(lines)))
    fields = {k.value: (k, v) for k, v in record.value}
    if key not in fields:
        column = record.value[0][0].start_mark.column
        at = _item_end(lines, record.start_mark.line + 1, after)
        body = f"{' ' * column}{key}:\n" + _list_item(item, column + 2, False)
        return "".join(lines[:at]) + body + "".join(lines[at:]), at + 2
    k, value = fields[key]
    ends = [k2.start_mark.line for k2, _ in record.value
            if k2.start_mark.line > k.start_mark.line]
    end = min(ends, default=after)  # the line of the record's next key
    if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null":
        at = _item_end(lines, k.start_mark.line + 1, end)
        body = _list_item(item, k.start_mark.column + 2, False)
        return "".join(lines[:at]) + body + "".join(lines[at:]), at + 1
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        raise FactdbError(f"{name}:{k.start_mark.line + 1}: {ident}: {key}: is a [...] list; "
                          "write it as a block list (one `- ` line per item) to add to it; "
                          "nothing was written")
    if not isinstance(value, yaml.SequenceNode) or not value.value:
        raise FactdbError(f"{name}:{k.start_mark.line + 1}: {ident}: {key}: is not a block "
                          "list (`- ...` lines); cannot add to it; nothing was written")
    first, last = value.value[0], value.value[-1]
    dash = lines[first.start_mark.line].rfind("-", 0, first.start_mark.column)
    at = _item_end(lines, last.start_mark.line + 1, end)
    flow = isinstance(last, yaml.MappingNode) and last.flow_style
    return "".join(lines[:at]) + _list_item(item, max(dash, 0), flow) + "".join(lines[at:]), \
        at + 1


def _item_end(lines: list[str], first: int, next_line: int) -> int:
    """The index of the line after an item's last content line: blank lines and comments
    before what follows (the next key or record, which they introduce) stay after the new
    item."""
    end = next_line
    while end > first and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _next_key_line(pairs: list, section: str, default: int) -> int:
    keys = [k.value for k, _ in pairs]
    i = keys.index(section)
    return pairs[i + 1][0].start_mark.line if i + 1 < len(pairs) else default


def _list_item(item: dict[str, Any], indent: int, flow: bool) -> str:
    """One ``- `` item: a block mapping, or (as the items before it) a ``{...}`` one."""
    if not flow:
        return as_item(item, indent)
    value = _quoted(item)
    value.fa.set_flow_style()
    buf = io.StringIO()
    _yaml().dump(value, buf)
    return f"{' ' * indent}- {buf.getvalue().strip()}\n"


def _section_end(lines: list[str], first: int, next_key: int, more: bool) -> int:
    """The index of the line after a section's last content line (blank lines, and comments
    just before the next section, which belong to it, are left after the new record)."""
    end = next_key
    while end > first and (not lines[end - 1].strip() or
                           (more and lines[end - 1].startswith("#"))):
        end -= 1
    return end


def _insert(lines: list[str], at: int, item: str, blank: bool) -> tuple[str, int]:
    """The lines with ``item`` inserted before line index ``at``; and its 1-based line."""
    before = "".join(lines[:at])
    line = before.count("\n") + (2 if blank else 1)
    return before + ("\n" if blank else "") + item + "".join(lines[at:]), line


# -- writing ---------------------------------------------------------------------------------
@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the seeds folder (the folder itself: no lock file is left)."""
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise FactdbError(f"{root}: cannot open the seeds folder ({exc.strerror})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # (releases the lock)


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` whole or not at all (temporary file, then rename)."""
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _write_error(folder, exc) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is None:
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _write_error(folder, exc) from None


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _write_error(folder.parent, exc) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_error(folder: Path, exc: OSError) -> FactdbError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "it is read-only" if exc.errno == errno.EROFS else "permission denied"
        return FactdbError(f"{folder}: cannot write there ({why}); nothing was written. "
                           "Make the seeds folder writable, or pass --seeds DIR")
    return FactdbError(f"{folder}: cannot write there ({exc.strerror}); nothing was written")
