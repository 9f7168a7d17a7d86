"""Reading scenario files: safe YAML/JSON parsing, size limits, and error
messages that name the file, the path inside it, what was found and what
was expected."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from truce.scenario.distributions import UNION_TAGS
from truce.scenario.schema import ISSUE_KINDS, Findings, Scenario

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Scenario files larger than this are refused before parsing."""

_BUILTIN_PACKAGE = "truce.scenario.builtin"
_MAPPING_FIELDS = frozenset({"stances", "values", "notes"})
"""Fields whose keys are user data (ids, options), never union tags."""


class ScenarioError(Exception):
    """A scenario that cannot be used, with every problem found in it.

    ``problems`` holds (path inside the file, what was found and what was expected).
    """

    def __init__(self, source: str, problems: tuple[tuple[str, str], ...]):
        super().__init__(source, problems)
        self.source = source
        self.problems = problems

    def __str__(self) -> str:
        if len(self.problems) == 1 and not self.problems[0][0]:
            return f"{self.source}: {self.problems[0][1]}"
        lines = [f"{self.source}: {len(self.problems)} problem(s) in the scenario"]
        lines += [f"  {path or '(top level)'}: {message}" for path, message in self.problems]
        return "\n".join(lines)


def builtin_scenarios() -> dict[str, str]:
    """The built-in scenarios: name -> one-line description."""
    catalogue = {}
    for entry in sorted(resources.files(_BUILTIN_PACKAGE).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = yaml.safe_load(entry.read_text(encoding="utf-8"))
            catalogue[entry.name.removesuffix(".yaml")] = data.get("name", "")
    return catalogue


def load(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name, or a YAML/JSON scenario file by path.

    Raises :class:`ScenarioError` naming the file, each problem's path inside
    it, what was found and what was expected.
    """
    text = str(name_or_path)
    builtin = resources.files(_BUILTIN_PACKAGE) / f"{text}.yaml"
    if "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml", ".json")) and builtin.is_file():
        return parse(builtin.read_text(encoding="utf-8"), source=f"built-in scenario '{text}'")
    return load_file(name_or_path)


def load_file(path: str | Path) -> Scenario:
    """Load a YAML/JSON scenario file (never a built-in name)."""
    path = Path(path)
    if not path.is_file():
        known = ", ".join(builtin_scenarios())
        raise ScenarioError(
            str(path),
            (("", f"no such file, and no built-in scenario of that name; expected a file path or one of: {known}"),),
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ScenarioError(str(path), (("", f"file is {size} bytes; expected at most {MAX_FILE_BYTES} bytes"),))
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(str(path), (("", f"not UTF-8 text ({error.reason} at byte {error.start})"),)) from None
    return parse(content, source=str(path), json_only=path.suffix.lower() == ".json")


def parse(text: str, *, source: str = "<scenario>", json_only: bool = False) -> Scenario:
    """Validate scenario text (YAML, which includes JSON) into a :class:`Scenario`."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ScenarioError(source, (("", f"scenario text exceeds {MAX_FILE_BYTES} bytes"),))
    try:
        data = json.loads(text) if json_only else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise ScenarioError(source, ((f"line {error.lineno}, column {error.colno}", f"invalid JSON: {error.msg}"),)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ScenarioError(source, ((where, f"invalid YAML: {problem}"),)) from None
    return validate(data, source=source)


def validate(data: Any, *, source: str = "<scenario>") -> Scenario:
    """Validate already-parsed data (a dict) into a :class:`Scenario`."""
    if not isinstance(data, dict):
        raise ScenarioError(source, (("", f"found {type(data).__name__}; expected a mapping with name, actors, issues"),))
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(source, tuple(_describe(error))) from None


def format_path(location: tuple[Any, ...]) -> str:
    """Turn a pydantic error location into ``actors[1].stances.blockade.position``."""
    parts: list[str] = []
    previous: Any = None
    for element in location:
        is_tag = isinstance(element, str) and (element in UNION_TAGS or element in ISSUE_KINDS)
        if is_tag and previous not in _MAPPING_FIELDS and previous != "kind":
            previous = element
            continue
        if isinstance(element, int):
            parts.append(f"[{element}]")
        else:
            parts.append(("." if parts else "") + str(element))
        previous = element
    return "".join(parts)


def _describe(error: ValidationError):
    for item in error.errors(include_url=False):
        context_error = item.get("ctx", {}).get("error")
        if isinstance(context_error, Findings):
            yield from context_error.findings
            continue
        found = _short(item.get("input"))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            yield format_path(item["loc"]), "missing; this field is required"
        elif item["type"] == "issue_kind":
            kind = item["input"].get("kind") if isinstance(item["input"], dict) else None
            yield format_path(item["loc"]) + ".kind", f"found {_short(kind)}; {message}"
        elif item["type"] == "extra_forbidden":
            yield format_path(item["loc"]), "unknown field; check its spelling against `truce schema`"
        elif message.startswith("found ") or "; found " in message:
            yield format_path(item["loc"]), message
        else:
            yield format_path(item["loc"]), f"found {found}; {message[0].lower()}{message[1:]}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
