"""Placeholders: the values of a drafted scenario that a person must supply.

A placeholder is a mapping with the single key ``placeholder`` whose
text says what to put there, written where the value belongs::

    reservation: {placeholder: "a number in [0, 1): what no agreement is worth to Hamas"}

It is not a value of any field: the loader refuses a file that still holds
one, listing each with its path (``actors[0].reservation``) and its text,
before any other check, so that an unfilled draft says what remains to be
done rather than giving a type error. ``truce draft`` writes them.
"""

from __future__ import annotations

from typing import Any, Iterator

KEY = "placeholder"


def placeholder(what: str) -> dict[str, str]:
    """A placeholder asking for ``what`` (the expected value first, then what it means)."""
    return {KEY: what}


def is_placeholder(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get(KEY), str)


def find_placeholders(data: Any) -> Iterator[tuple[str, str]]:
    """(path, text) of every placeholder in parsed scenario data, in file order (paths as the loader
    writes them: ``actors[1].stances.blockade.salience``). Walks without recursion."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, node = stack.pop()
        if is_placeholder(node):
            yield path, node[KEY]
        elif isinstance(node, dict):
            children = [(f"{path}.{key}" if path else str(key), value) for key, value in node.items()]
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([(f"{path}[{index}]", value) for index, value in enumerate(node)]))


def placeholder_problems(data: Any) -> tuple[tuple[str, str], ...]:
    """The loader's problems for the placeholders that remain (empty when every one is filled)."""
    return tuple(
        (path, f"placeholder to fill in: found a placeholder; expected {text}")
        for path, text in find_placeholders(data)
    )
