"""Read one YAML seed file strictly: UTF-8 only, no duplicate keys, lines kept for errors.

PyYAML's LibYAML parser builds the node tree (fast, with line marks); we turn nodes into
plain Python values ourselves so that duplicate keys are refused and dates stay strings
(``2022-02`` and ``2022-02-01`` keep their precision; ``2022-02-30`` is not a crash).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from factdb.errors import Problem
from factdb.seeds.digests import record_digests

if TYPE_CHECKING:
    from factdb.store.cache import ParseCache

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - LibYAML is in the lock file's wheels
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 20 * 1024 * 1024
# Seed records nest a few levels; LibYAML's composer recurses in C and crashes the process
# on very deep nesting, so a text that could nest that deep (or holds an alias) has its
# shape checked on the event stream before it is composed (see _compose).
MAX_DEPTH = 32
SAFE_COMPOSE_DEPTH = 2000  # LibYAML composes 20,000 levels without crashing

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
# Kept as the text written: dates keep their precision; `<<` and `=` are plain words here.
_AS_TEXT = {_STR, "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:merge",
            "tag:yaml.org,2002:value"}
_NULLS = ("", "~", "null", "Null", "NULL")
_MAX_DIGITS = 100  # far below Python's 4300-digit limit on int()
_constructor = yaml.constructor.SafeConstructor()


def _null(node: yaml.ScalarNode) -> None:
    if node.value not in _NULLS:  # `!!null x` would otherwise drop the x in silence
        raise ValueError(node.value)


_SCALARS = {
    _INT: _constructor.construct_yaml_int,
    _FLOAT: _constructor.construct_yaml_float,
    _BOOL: _constructor.construct_yaml_bool,
    _NULL: _null,
}


@dataclass
class YamlFile:
    """A parsed seed file: its data, and its node tree for finding lines by field path."""

    name: str
    data: Any
    root: yaml.Node | None
    path: Path | None = None  # where to read the tree again after release()
    released: bool = False
    # Positions of each section and record, known without the tree (see record_positions).
    positions: dict[tuple, tuple[int, int]] | None = None
    key: bytes | None = None  # a hash of the file's bytes, where the parse cache made one
    digests: dict[tuple, bytes] | None = None  # its records' (digests.record_digests)

    def release(self) -> None:
        """Forget the data and node tree (many times the file's size); a later position()
        reads the file again. Keeps a large seeds folder's memory flat."""
        if self.path is not None:
            self.data, self.root, self.positions, self.released = None, None, None, True
            self.digests = None

    def position(self, path: tuple) -> tuple[int | None, int | None]:
        """1-based line and column of the deepest node that ``path`` reaches."""
        if self.positions is not None and path in self.positions:
            return self.positions[path]
        if self.released:
            self.root, self.released = _compose_again(self.path), False
        node = self.root
        if node is None:  # an empty file: point at its first line
            return 1, None
        for step in path:
            child = _child(node, step)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    def line(self, path: tuple) -> int | None:
        return self.position(path)[0]


def _compose_again(path: Path) -> yaml.Node | None:
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        return yaml.compose(text, Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def _child(node: yaml.Node, step: Any) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == step:
                return value
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) \
            and 0 <= step < len(node.value):
        return node.value[step]
    return None


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8, or explain where it is not."""
    try:
        size = path.stat().st_size  # before reading: a huge file is refused unread
        if size <= MAX_FILE_BYTES:
            raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, None, None, "", f"cannot read file: {exc.strerror}")]
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        msg = f"file is {size / 1048576:.1f} MiB; seed files are limited to {limit} MiB"
        return None, [Problem(name, None, None, "", msg + " (split it into several files)")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        return None, [Problem(name, line, column, "", msg)]


def record_positions(root: yaml.Node | None) -> dict[tuple, tuple[int, int]]:
    """Line and column of every section and of every item in a section's list."""
    found: dict[tuple, tuple[int, int]] = {}
    if not isinstance(root, yaml.MappingNode):
        return found
    for key, value in root.value:
        found[(key.value,)] = (value.start_mark.line + 1, value.start_mark.column + 1)
        if isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                found[(key.value, i)] = (item.start_mark.line + 1, item.start_mark.column + 1)
    return found


def load(path: Path, name: str, cache: ParseCache | None = None
         ) -> tuple[YamlFile | None, list[Problem]]:
    """Parse ``path``; on failure return every problem found, never raise.

    With a ``cache``, a file parsed before (same bytes) is not parsed again: its data and
    record positions come from the cache, and its tree is read only if a problem needs it.
    """
    if cache is None:
        return _parse(path, name)
    try:
        key = cache.key(path.read_bytes())
    except OSError:
        return _parse(path, name)
    hit = cache.get(key)
    if hit is not None:
        data, positions, digests = hit
        return YamlFile(name, data, None, path, released=True, positions=positions,
                        key=key, digests=digests), []
    source, problems = _parse(path, name)
    if source is not None and not problems:
        source.digests = record_digests(source.data)
        cache.put(key, (source.data, record_positions(source.root), source.digests))
        source.key = key
    return source, problems


def _parse(path: Path, name: str) -> tuple[YamlFile | None, list[Problem]]:
    text, problems = read_text(path, name)
    if text is None:
        try:
            readable = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:  # the file could not be read at all: nothing to place the problem in
            return None, problems
        return None, [_name_field(readable, p) for p in problems]
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        root, problems = _compose(text, name)
        if problems:
            return None, [_name_field(text, p) for p in problems]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        start, context = exc.context_mark, exc.context or ""
        if "\t" in reason or "tab" in reason:
            reason += " (YAML indents with spaces, not tabs)"
        elif exc.problem and exc.problem.startswith("but "):
            reason = f"{context}, {exc.problem}"
        elif context.startswith("while") and start and mark and start.line != mark.line:
            reason += f" ({context} that starts on line {start.line + 1})"
        return None, [Problem(name, line, column, "", f"YAML syntax error: {reason}")]
    except yaml.reader.ReaderError as exc:  # a control character: no mark, a position
        at = exc.position
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        problem = Problem(name, line, column, "", f"character U+{char:04X} is not allowed "
                          "in YAML (a control character); remove it")
        return None, [_name_field(text[:at] + " " + text[at + 1:], problem)]
    except yaml.YAMLError as exc:
        return None, [Problem(name, None, None, "", f"YAML error: {' '.join(str(exc).split())}")]
    problems = []
    data = _construct(root, name, (), problems) if root is not None else None
    return YamlFile(name, data, root, path), problems


def _name_field(text: str, problem: Problem) -> Problem:
    """Add the field path to a problem found before the file could be read as YAML (bad
    bytes, read here as U+FFFD; an alias), where the file still composes."""
    if problem.line is None or problem.column is None:
        return problem
    try:
        if _shape_problems(text, problem.file, allow_aliases=True):
            return problem
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return problem
    where, steps = (problem.line - 1, problem.column - 1), []
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        if isinstance(node, yaml.MappingNode):
            pairs = [(k.value, k.start_mark, v) for k, v in node.value]
        else:  # an item's marks may be its anchor's, elsewhere: it must hold the position
            pairs = [(i, v.start_mark, v) for i, v in enumerate(node.value)
                     if _at(v.start_mark) <= where < _at(v.end_mark)]
        before = [(step, child) for step, mark, child in pairs if _at(mark) <= where]
        if not before:
            break
        step, child = before[-1]
        steps.append(step)
        if not _at(child.start_mark) <= where < _at(child.end_mark):
            break  # the problem is in the key, or an alias points elsewhere
        node = child
    return replace(problem, field=_dotted(tuple(steps)))


def _at(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line, mark.column


def _compose(text: str, name: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The node tree, or the problems of its shape (see :func:`_shape_problems`); raises
    what composing raises.

    Checking the shape on the event stream first costs a third of parsing, so where the
    composer is safe (no alias, and nesting bounded far below what crashes it) the tree is
    composed at once and its depth checked after, with the same message at the same place.
    """
    if "*" in text or _depth_bound(text) > SAFE_COMPOSE_DEPTH:
        problems = _shape_problems(text, name)
        return (None, problems) if problems else (yaml.compose(text, Loader=_Loader), [])
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:  # the slow way, which raises just what it raised before
        problems = _shape_problems(text, name)
        return (None, problems) if problems else (yaml.compose(text, Loader=_Loader), [])
    deep = _too_deep(root)
    return (root, []) if deep is None else (None, [_deep_problem(name, deep.start_mark)])


def _depth_bound(text: str) -> int:
    """More than the deepest nesting ``text`` can hold: each flow collection opens with a
    bracket, and block collections nested two deep always indent (a sequence may sit at its
    mapping's column, nothing else may), so their depth is at most twice the longest line."""
    longest = max(map(len, text.split("\n")))
    return 2 * (longest + 1) + text.count("[") + text.count("{")


def _too_deep(root: yaml.Node | None) -> yaml.Node | None:
    """The first collection, in the file's order, nested more than MAX_DEPTH levels."""
    todo = [(root, 1)] if isinstance(root, yaml.CollectionNode) else []
    while todo:
        node, depth = todo.pop()
        if depth > MAX_DEPTH:
            return node
        children = (node.value if isinstance(node, yaml.SequenceNode)
                    else [n for pair in node.value for n in pair])
        todo += [(c, depth + 1) for c in reversed(children)
                 if isinstance(c, yaml.CollectionNode)]
    return None


def _deep_problem(name: str, mark: yaml.Mark) -> Problem:
    return Problem(name, mark.line + 1, mark.column + 1, "", f"nested more than {MAX_DEPTH} "
                   "levels deep; seed records need only a few")


def _shape_problems(text: str, name: str, allow_aliases: bool = False) -> list[Problem]:
    """Refuse what the composer cannot take safely: deep nesting, and aliases (which can
    multiply a small file into billions of values)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) and not allow_aliases:
            mark = event.start_mark
            return [Problem(name, mark.line + 1, mark.column + 1, "", f"YAML alias "
                            f"*{event.anchor} is not allowed in seed files; write the value out")]
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return [_deep_problem(name, event.start_mark)]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return []


def _construct(node: yaml.Node, name: str, path: tuple, problems: list[Problem]) -> Any:
    if isinstance(node, yaml.ScalarNode):
        if node.tag in _AS_TEXT:
            return node.value
        message = _scalar_problem(node)
        if message is None:
            try:
                return _SCALARS[node.tag](node)
            except (ValueError, IndexError, KeyError, TypeError):
                message = _not_a(node)
        mark = node.start_mark
        problems.append(Problem(name, mark.line + 1, mark.column + 1, _dotted(path), message))
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, name, (*path, i), problems) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                mark = key_node.start_mark
                where = (name, mark.line + 1, mark.column + 1, _dotted(path))
                problems.append(Problem(*where, "keys must be plain scalars"))
                continue
            key = key_node.value
            if key in result:
                mark = key_node.start_mark
                first = next(k for k, _ in node.value if k.value == key).start_mark.line + 1
                msg = f"duplicate key {key!r} (first given on line {first})"
                problems.append(
                    Problem(name, mark.line + 1, mark.column + 1, _dotted((*path, key)), msg)
                )
                continue
            result[key] = _construct(value_node, name, (*path, key), problems)
        return result
    return None  # pragma: no cover - aliases are resolved by compose


def _scalar_problem(node: yaml.ScalarNode) -> str | None:
    """What is wrong with a scalar before it is converted: a tag seed files do not use, a
    YAML 1.1 boolean word (``no`` for Norwegian reads as false), a number too long."""
    value, tag = node.value, _short(node.tag)
    if node.tag not in _SCALARS:
        return (f"YAML tag {tag} is not used in seed files; remove it (quote the value if "
                "it is text)")
    if node.tag == _BOOL and value.lower() in ("yes", "no", "on", "off"):
        meaning = "true" if value.lower() in ("yes", "on") else "false"
        return (f"{value!r} reads in YAML as the boolean {meaning}; quote it (\"{value}\") "
                f"if it is text, or write {meaning}")
    digits = sum(c.isdigit() for c in value)
    if node.tag in (_INT, _FLOAT) and digits > _MAX_DIGITS:
        return (f"a number of {digits} digits is longer than any seed field takes (at most "
                f"{_MAX_DIGITS}); quote it if it is text")
    return None


def _not_a(node: yaml.ScalarNode) -> str:
    kind = {_INT: "a whole number", _FLOAT: "a number", _BOOL: "true or false",
            _NULL: "empty (null)"}[node.tag]
    return (f"{node.value!r} is not {kind}, as its YAML tag {_short(node.tag)} says; "
            "remove the tag or correct the value")


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def _dotted(path: tuple) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


dotted = _dotted
