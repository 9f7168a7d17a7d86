"""Scenario fields named by path, as ``truce compare`` writes them: ``actors[hamas].reservation``,
``talks.breakdown_risk``, ``actors[egypt].budget``, ``actors[israel].stances.blockade.salience``.

A path is names joined by dots; a list of things with an ``id`` (actors, issues, levers, phases,
sources) takes ``[id]`` (or ``[0]``, a position from 0), and a mapping (``stances``) takes its
key after a dot or in brackets. A path is resolved against the validated scenario model, so a
misspelt name is refused with the names that exist at that point; it must end on a value a
sweep can set (a number, a distribution, text or true/false), never on a whole actor or list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from truce.scenario.distributions import Distribution

_SEGMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)((?:\[[^\[\]]+\])*)$")
_KEY = re.compile(r"\[([^\[\]]+)\]")


class PathError(ValueError):
    """A path that names no settable field of the scenario; the message says what exists there."""


@dataclass(frozen=True)
class FieldPath:
    """A resolved path: ``text`` as written, ``steps`` into the scenario's plain data (names and
    list positions), ``current`` the value there now, ``integer`` whether the field takes whole numbers."""

    text: str
    steps: tuple[str | int, ...]
    current: Any
    integer: bool


def parse(text: str) -> list[tuple[str, list[str]]]:
    """``actors[hamas].reservation`` -> ``[("actors", ["hamas"]), ("reservation", [])]``."""
    if not isinstance(text, str) or not text.strip():
        raise PathError("found an empty path; expected a field path such as actors[ID].reservation")
    segments = []
    for part in text.strip().split("."):
        match = _SEGMENT.match(part)
        if match is None:
            raise PathError(f"found {text!r}; expected names joined by dots, a list item as [id], e.g. actors[ID].reservation")
        segments.append((match.group(1), _KEY.findall(match.group(2))))
    return segments


def resolve(scenario: BaseModel, text: str) -> FieldPath:
    """Walk ``text`` through ``scenario`` (a validated model); :class:`PathError` names where it went wrong."""
    node: Any = scenario
    where = ""
    steps: list[str | int] = []
    for name, keys in parse(text):
        node = _child(node, name, where)
        steps.append(name)
        where = f"{where}.{name}" if where else name
        for key in keys:
            node, step = _item(node, key, where)
            steps.append(step)
            where = f"{where}[{key}]"
    if isinstance(node, BaseModel) and not isinstance(node, Distribution) or isinstance(node, (list, dict)):
        inside = _names(node)
        raise PathError(
            f"found {text!r}, which holds {'a list' if isinstance(node, list) else 'a group of fields'}; "
            f"expected a field holding a number, a distribution or text" + (f" (inside: {', '.join(inside)})" if inside else "")
        )
    integer = isinstance(node, int) and not isinstance(node, bool)
    return FieldPath(text=text.strip(), steps=tuple(steps), current=node, integer=integer)


def _child(node: Any, name: str, where: str) -> Any:
    there = where or "the scenario"
    if isinstance(node, BaseModel) and not isinstance(node, Distribution):
        fields = type(node).model_fields
        if name not in fields:
            raise PathError(f"found '{name}', which is not a field of {there}; expected one of: {', '.join(fields)}")
        return getattr(node, name)
    if isinstance(node, dict):
        if name not in node:
            keys = ", ".join(map(str, node)) or "none"
            raise PathError(f"found '{name}', which is not a key of {there}; expected one of: {keys}")
        return node[name]
    raise PathError(f"found '{name}' after {there}, which holds a single value; expected the path to end at {there}")


def _item(node: Any, key: str, where: str) -> tuple[Any, str | int]:
    if isinstance(node, dict):
        if key not in node:
            raise PathError(f"found [{key}], which is not a key of {where}; expected one of: {', '.join(map(str, node)) or 'none'}")
        return node[key], key
    if not isinstance(node, (list, tuple)):
        raise PathError(f"found [{key}] after {where}, which is not a list; expected a name after a dot")
    if key.isdigit():
        index = int(key)
        if index >= len(node):
            raise PathError(f"found [{key}], past the end of {where}; expected a position from 0 to {len(node) - 1} or an id")
        return node[index], index
    ids = [getattr(item, "id", None) for item in node]
    if key not in ids:
        known = ", ".join(str(i) for i in ids if i is not None)
        raise PathError(f"found [{key}], which is not an id in {where}; expected one of: {known or 'none (use a position from 0)'}")
    return node[ids.index(key)], ids.index(key)


def _names(node: Any) -> list[str]:
    if isinstance(node, BaseModel):
        return list(type(node).model_fields)
    if isinstance(node, dict):
        return [str(key) for key in node]
    return [str(getattr(item, "id", index)) for index, item in enumerate(node)]


def assign(data: dict, path: FieldPath, value: Any) -> None:
    """Set ``value`` at ``path`` in ``data`` (the scenario as plain data, e.g. ``model_dump(mode="json")``), in place."""
    node: Any = data
    for step in path.steps[:-1]:
        node = node[step]
    node[path.steps[-1]] = value
