"""Pydantic's validation errors in the scenario's own terms: each problem is (field path, message),
and every message says what was found and what was expected (``found True; expected text``).

A field that takes one of several types (a stance's ``position``: an option name, a number or a
distribution) gets one error per alternative from pydantic, each under a location element naming
the alternative (``constrained-str``, ``dict[str,float]``); those become one problem at the field:
the errors of the alternative whose type the value has, or else "found X; expected A or B".
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from pydantic import ValidationError

from truce.scenario.distributions import UNION_TAGS
from truce.scenario.schema import ISSUE_KINDS, Findings

MAPPING_FIELDS = frozenset({"stances", "values", "notes", "provisions", "median_days", "hazard_ratios", "shape"})
"""Fields whose keys are user data (ids, options), never union tags."""
_ALTERNATIVE = re.compile(r"^(constrained-\w+|function-\w+\[.*|tagged-union\[.*|(dict|list|tuple|set|literal)\[.*\]|str|float|int|bool)$")
"""How pydantic names one alternative of a union in an error's location."""
_ALTERNATIVE_WORDS = {"str": "text", "constrained-str": "text", "float": "a number", "int": "a whole number", "bool": "true or false"}
_TYPE_MISMATCH = frozenset({
    "string_type", "dict_type", "list_type", "tuple_type", "float_type", "int_type", "bool_type", "model_type",
    "model_attributes_type", "uncertain_number", "is_instance_of", "date_type", "int_from_float", "float_parsing",
    "int_parsing", "bool_parsing",
})
"""Error types that say "this value is not of this alternative's type" (the alternative does not apply)."""
_EXPECTED = {
    "string_type": "text", "dict_type": "a mapping", "list_type": "a list", "tuple_type": "a list",
    "float_type": "a number", "float_parsing": "a number", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "bool_type": "true or false", "bool_parsing": "true or false",
    "model_type": "a mapping", "model_attributes_type": "a mapping", "finite_number": "a finite number (not NaN or infinity)",
    "date_type": "a date (YYYY-MM-DD)", "date_from_datetime_parsing": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)",
}
IDENTIFIER_WORDS = "an id of 1 to 64 lower-case letters, digits, '_' or '-'"


def describe(error: ValidationError | list[dict], data: Any = None) -> Iterator[tuple[str, str]]:
    """Every problem of ``error`` (raised validating ``data``; or its list of error items) as (path, message)."""
    items = error.errors(include_url=False) if isinstance(error, ValidationError) else error
    unions: dict[tuple, dict[str, list[dict]]] = {}
    order: list[tuple[tuple, Any]] = []
    for item in items:
        context_error = item.get("ctx", {}).get("error")
        if isinstance(context_error, Findings):
            order.append(((), list(context_error.findings)))
            continue
        location = list(item["loc"])
        split = _alternative_at(location)
        if split is None:
            order.append(((), [_problem(item, location)]))
            continue
        point = tuple(location[:split])
        if point not in unions:
            unions[point] = {}
            order.append((point, None))
        unions[point].setdefault(location[split], []).append(dict(item, loc=tuple(location[:split] + location[split + 1 :])))
    for point, problems in order:
        if problems is not None:
            yield from problems
            continue
        yield from _union_problems(point, unions[point], data)


def _alternative_at(location: list) -> int | None:
    """Index of the first element naming a union's alternative (not a user key under a mapping field)."""
    for index, element in enumerate(location):
        if isinstance(element, str) and _ALTERNATIVE.match(element):
            return index
    return None


def _union_problems(point: tuple, alternatives: dict[str, list[dict]], data: Any) -> Iterator[tuple[str, str]]:
    applying = {
        name: errors for name, errors in alternatives.items()
        if not (len(errors) == 1 and tuple(errors[0]["loc"]) == point and errors[0]["type"] in _TYPE_MISMATCH)
    }
    if len(applying) == 1:
        for item in next(iter(applying.values())):
            yield _problem(item, list(item["loc"]))
        return
    found = _short(_value_at(data, point)) if data is not None else _short(next(iter(alternatives.values()))[0].get("input"))
    wanted = " or ".join(dict.fromkeys(_alternative_words(name, errors) for name, errors in alternatives.items()))
    yield format_path(point), f"found {found}; expected {wanted}"


def _alternative_words(name: str, errors: list[dict]) -> str:
    if name in _ALTERNATIVE_WORDS:
        return _ALTERNATIVE_WORDS[name]
    if name.startswith("dict["):
        return "a mapping of names to numbers"
    if name.startswith("list[tuple["):
        return "a list of [x, value] points"
    if name.startswith("list["):
        return "a list"
    if name.startswith("tagged-union[") or errors[0]["type"] == "uncertain_number":
        return "a number or a distribution such as {triangular: [low, mode, high]}"
    return _expected(errors[0]) or name


def _value_at(data: Any, path: tuple) -> Any:
    """The value the user gave at ``path`` (a pydantic location; union tags are skipped)."""
    node = data
    for element in path:
        if isinstance(node, dict) and element in node:
            node = node[element]
        elif isinstance(node, list) and isinstance(element, int) and -len(node) <= element < len(node):
            node = node[element]
        elif not (isinstance(element, str) and (element in UNION_TAGS or element in ISSUE_KINDS)):
            return None
    return node


def _problem(item: dict, location: list) -> tuple[str, str]:
    path = format_path(location)
    kind = item["type"]
    found = _short(item.get("input"))
    message = item["msg"].removeprefix("Value error, ")
    context = item.get("ctx", {})
    if kind == "missing":
        if location and isinstance(location[-1], int):
            return path, f"missing; expected an item at position {location[-1] + 1} of this list"
        return path, "missing; expected this field (it is required)"
    if kind == "issue_kind":
        found_kind = item["input"].get("kind") if isinstance(item["input"], dict) else None
        return path + ".kind", f"found {_short(found_kind)}; {message}"
    if kind == "extra_forbidden":
        return path, "found an unknown field; expected only the fields `truce schema` lists here (check the spelling)"
    if kind == "string_pattern_mismatch":
        return path, f"found {found}; expected {IDENTIFIER_WORDS}"
    expected = _expected(item)
    if expected:
        return path, f"found {found}; expected {expected}"
    if message.startswith("found ") or "; found " in message or "expected" in message:
        return path, message if message.startswith("found ") or "; expected" in message else f"found {found}; {message}"
    if context.get("expected"):
        return path, f"found {found}; expected {context['expected']}"
    lowered = message[0].lower() + message[1:]
    return path, f"found {found}; expected {lowered.removeprefix('input should be ')}"


def _expected(item: dict) -> str | None:
    kind, context = item["type"], item.get("ctx", {})
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind == "string_too_short":
        return f"at least {context.get('min_length', 1)} character(s)"
    if kind == "string_too_long":
        return f"at most {context.get('max_length'):,} characters"
    if kind == "too_short":
        return f"at least {context.get('min_length')} item(s)"
    if kind == "too_long":
        return f"at most {context.get('max_length'):,} items"
    bounds = {"greater_than": "more than {gt}", "greater_than_equal": "at least {ge}", "less_than": "less than {lt}",
              "less_than_equal": "at most {le}"}
    if kind in bounds:
        return bounds[kind].format(**{key: f"{value:,}" if isinstance(value, int) else f"{value:g}" for key, value in context.items()})
    if kind == "literal_error":
        return f"{context.get('expected')}"
    if kind.startswith("date"):
        return "a date (YYYY-MM-DD)"
    return None


def format_path(location) -> str:
    """Turn a pydantic error location into ``actors[1].stances.blockade.position``."""
    parts: list[str] = []
    previous: Any = None
    for element in location:
        is_tag = isinstance(element, str) and (element in UNION_TAGS or element in ISSUE_KINDS)
        if is_tag and previous not in MAPPING_FIELDS and previous != "kind":
            previous = element
            continue
        if isinstance(element, int):
            parts.append(f"[{element}]")
        else:
            parts.append(("." if parts else "") + str(element))
        previous = element
    return "".join(parts)


def _short(value: Any) -> str:
    """A short quotation of a found value: never the whole input, whatever its size."""
    if isinstance(value, (dict, list, tuple)):
        return f"{kind_of(value)} of {len(value)} item(s)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value.bit_length() > 200:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    if value is None:
        return "nothing (null)"
    if isinstance(value, str):
        return repr(value if len(value) <= 57 else value[:54] + "...")
    return quote(repr(value), 60)


def quote(text: str, most: int) -> str:
    text = text if len(text) <= most else text[: most - 3] + "..."
    return repr(text)[1:-1] if not text.isprintable() else text


def kind_of(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", type(None): "nothing"}.get(type(value), type(value).__name__)
