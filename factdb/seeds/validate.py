"""Validate a section's records against the seed format, and say what is wrong plainly.

Pydantic does the checking (factdb/seeds/format.py); this turns its errors into one message
per mistake, with a suggestion where a name is misspelt.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import TypeAdapter, ValidationError

from factdb.dates import words
from factdb.seeds.format import SECTIONS, DateSeed, Record

_ADAPTERS = {name: TypeAdapter(list[model]) for name, model in SECTIONS.items()}

Report = Any  # Callable[[tuple, str], None]: a problem at a path in the file


def validate(section: str, items: list, single: bool, report: Report,
             invalid_ids: set[str]) -> list[tuple[int, Record]]:
    """The records of ``items`` that are valid, with their index; report the others.

    A ``single`` record (``document:``) is the section itself, not an item of a list. The ids
    of invalid records go into ``invalid_ids``, so references to them are not reported too.
    """
    model = SECTIONS[section]
    dates = _DATE_FIELDS[section]
    try:  # all at once first: validating one by one costs more, so only on a problem
        records = _ADAPTERS[section].validate_python(items)
        if not any(_date_errors(dates, item) for item in items):
            return list(enumerate(records))
    except ValidationError:
        pass
    valid = []
    for i, item in enumerate(items):
        errors = _date_errors(dates, item)
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            errors = [*exc.errors(), *errors]
        if not errors:
            valid.append((i, record))
            continue
        at = (section,) if single else (section, i)
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            invalid_ids.add(item["id"])
        # "unknown field 'speker' (did you mean 'speaker'?)" says it all: drop the
        # matching "missing required field 'speaker'".
        meant = {
            (e["loc"][:-1], closest(e["loc"][-1], _fields_at(model, e["loc"][:-1])))
            for e in errors if e["type"] == "extra_forbidden"}
        for err in errors:
            if err["type"] == "missing" and (tuple(err["loc"][:-1]), err["loc"][-1]) in meant:
                continue
            report((*at, *err["loc"]), _message(err, model))
    return valid


def _date_errors(fields: tuple[str, ...], item: Any, at: tuple = ()) -> list[dict]:
    """What a record's dates lack, in pydantic's shape: a date needs a ``value`` and a
    ``basis`` unless the build understands its ``words`` (it then computes both). An event
    source's own ``date`` too."""
    errors: list[dict] = []
    if not fields or not isinstance(item, dict):
        return errors
    if not at and isinstance(item.get("sources"), list):
        for i, source in enumerate(item["sources"]):
            errors += _date_errors(("date",), source, ("sources", i))
    for name in fields:
        seed = item.get(name)
        if not isinstance(seed, dict):
            continue
        text = seed.get("words")
        to_compute = seed.get("value") is None and isinstance(text, str) and bool(text)
        if seed.get("value") is None and not to_compute:
            errors.append({"type": "missing", "loc": (*at, name, "value")})
        elif to_compute and not words.understood(text):
            errors.append({"type": "date_words", "loc": (*at, name, "words"),
                           "msg": _not_understood(text)})
        if seed.get("basis") is None and not to_compute:
            errors.append({"type": "missing", "loc": (*at, name, "basis")})
    return errors


def _not_understood(text: str) -> str:
    try:
        words.explain(text, None)
    except ValueError as exc:
        return str(exc)
    raise AssertionError(f"{text!r} is understood")  # pragma: no cover - callers check first


def _message(err: dict, model: type[Record]) -> str:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        return f"unknown field {loc[-1]!r}{suggest(loc[-1], known)}"
    if kind == "missing":
        return f"missing required field {loc[-1]!r}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping, found a {type_name(err.get('input'))}"
    if kind == "list_type":
        return f"expected a list, found a {type_name(err.get('input'))}"
    if kind == "literal_error":
        return f"{err['input']!r} is not allowed; {err['msg'][0].lower()}{err['msg'][1:]}"
    if kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "speaker", "actor"):
        return (f"{err['input']!r} is not a valid id; use lower-case words joined "
                "by hyphens, such as 'sergey-lavrov'")
    message = err["msg"]
    if "input" in err and not isinstance(err["input"], dict | list):
        message += f" (got {err['input']!r})"
    return message


def closest(word: Any, choices: Any) -> str | None:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def suggest(word: Any, choices: Any) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to ``word``, else nothing."""
    close = closest(word, choices)
    return f" (did you mean {close!r}?)" if close else ""


def type_name(value: Any) -> str:
    """What a YAML value is, in the curator's words."""
    return {dict: "mapping", list: "list", str: "string", int: "number", float: "number",
            bool: "true/false", type(None): "empty value"}.get(type(value), type(value).__name__)


def _fields_at(model: type[Record], loc: tuple) -> tuple[str, ...]:
    """Field names of the (nested) model that a validation location points into."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        info = getattr(current, "model_fields", {}).get(step)
        if info is None:
            break
        current = _inner_model(info.annotation)
    return tuple(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    return None


# Each section's fields that hold a curated date.
_DATE_FIELDS = {name: tuple(f for f, info in model.model_fields.items()
                            if _inner_model(info.annotation) is DateSeed)
                for name, model in SECTIONS.items()}
