"""Reading a seed file composes its tree in one pass where that is safe; what it gives back
(data, problems, positions) must be exactly what checking the event stream first gave."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factdb.seeds import yamlfile


def _two_pass(text: str, name: str) -> tuple:
    """The reference: the shape checked on the event stream, then the tree composed."""
    problems = yamlfile._shape_problems(text, name)
    return (None, problems) if problems else (yaml.compose(text, Loader=yamlfile._Loader), [])


def _read_both(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> tuple:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    fast = yamlfile._parse(path, "s.yaml")
    with monkeypatch.context() as m:
        m.setattr(yamlfile, "_compose", _two_pass)
        slow = yamlfile._parse(path, "s.yaml")
    return fast, slow


def _outcome(parsed: tuple) -> tuple:
    source, problems = parsed
    if source is None:
        return None, problems
    return source.data, yamlfile.record_positions(source.root), problems


def _nested(depth: int, flow_from: int, compact: bool) -> str:
    """A record nested ``depth`` levels, block style down to ``flow_from``, then flow."""
    lines, indent = ["statements:"], 0
    for level in range(1, min(depth, flow_from)):
        if level % 2:
            lines.append(" " * indent + ("- - x" if compact and level == 3 else "- note: a"))
            indent += 2
        else:
            lines.append(" " * indent + f"k{level}:")
            indent += 2
    flow = max(depth - flow_from + 1, 0)
    lines.append(" " * indent + "deep: " + "[" * flow + "1" + "]" * flow)
    return "\n".join(lines) + "\n"


CASES = [
    "document:\n  id: a\n  title: x\n",
    "actors: " + "[" * 32 + "]" * 32 + "\n",  # exactly the limit
    "actors: " + "[" * 33 + "]" * 33 + "\n",  # one past it
    "a:\n- b:\n  - c:\n    - [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x\n",
    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x\n",
    "? [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n: v\n",
    "a: " + "[" * 33 + "]" * 33 + "\nb: " + "[" * 40 + "]" * 40 + "\n",  # the first is said
    "- [" + "[" * 33 + "]" * 33 + ", " + "[" * 35 + "]" * 35 + "]\n",
    "a: &x [1, 2]\nb: *x\n",  # an alias: refused
    "a: '*not an alias*'\n",
    "a: [1, 2\nb: c\n",  # a syntax error
    "actors: " + "[" * 40 + "\n",  # too deep, then a syntax error: depth is said first
    "a: " + "[" * 5 + "\n\tb: c\n",  # a tab
    "a: b\na: c\n",  # a duplicate key
    "a: \x07\n",  # a control character
    "",
    "# only a comment\n",
    "a: " + "x" * 1500 + "\nb: " + "[" * 35 + "1" + "]" * 35 + "\n",  # the slow path
] + [_nested(d, f, c) for d in (30, 33, 36) for f in (5, 20, 40) for c in (False, True)]


@pytest.mark.parametrize("text", CASES)
def test_one_pass_reads_as_two_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      text: str):
    fast, slow = _read_both(tmp_path, text, monkeypatch)
    assert _outcome(fast) == _outcome(slow)


def test_the_limit_is_found_on_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The cases above take the one-pass path (else they would prove nothing about it)."""
    taken = []
    real = yamlfile._too_deep
    monkeypatch.setattr(yamlfile, "_too_deep", lambda root: taken.append(1) or real(root))
    source, problems = yamlfile._parse(_write(tmp_path, CASES[2]), "s.yaml")
    assert taken and source is None
    assert [(p.line, p.column) for p in problems] == [(1, 40)]
    assert "nested more than 32 levels deep" in problems[0].message


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


_leaf = st.one_of(st.integers(-5, 5), st.text("ab :-[]{}#'\"\n*&!|>", max_size=6),
                  st.booleans(), st.none())
_tree = st.recursive(_leaf, lambda kids: st.one_of(
    st.lists(kids, max_size=3), st.dictionaries(st.text("abk", min_size=1, max_size=3), kids,
                                                max_size=3)), max_leaves=60)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(value=_tree, flow=st.sampled_from([None, True, False]), cut=st.integers(0, 400),
       wrap=st.integers(0, 40))
def test_any_yaml_reads_as_two_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      value, flow, cut, wrap):
    """Dumped trees, wrapped in many brackets and cut short anywhere: the same outcome."""
    text = yaml.safe_dump({"statements": value}, default_flow_style=flow, width=40)
    text = text.replace("statements:", "statements: " + "[" * wrap, 1) if wrap else text
    if cut < len(text):
        text = text[:cut]
    fast, slow = _read_both(tmp_path, text, monkeypatch)
    assert _outcome(fast) == _outcome(slow)
