"""Reading scenario files: safe YAML/JSON parsing, size limits, and error
messages that name the file, the path inside it, what was found and what
was expected."""

from __future__ import annotations

import json
import stat
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from truce.errors import MAX_PROBLEMS_SHOWN, ScenarioError  # noqa: F401 - importable from here too
from truce.limits import DOCS, LimitError, Limits, check_levers, check_size, env_name, over
from truce.scenario.messages import describe, format_path, kind_of, quote  # noqa: F401 - format_path importable from here too
from truce.scenario.placeholders import placeholder_problems
from truce.scenario.schema import Scenario

MAX_FILE_BYTES = Limits.max_file_bytes
"""Scenario files larger than this are refused before parsing (the default of ``TRUCE_MAX_FILE_BYTES``)."""
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (about ten times faster: the 2 MiB cap is read in well under a
second), else the pure-Python one. Both refuse every tag but YAML's own, give the same line and column
for a syntax error, share the nodes of an alias (so :func:`check_shape` counts an alias tree without
expanding it), and libyaml refuses nesting past 1,000 levels where the Python one raises RecursionError
(tests/scenario/test_yaml_loaders.py runs each case through both)."""


def read_yaml(text: str, loader: type = SAFE_LOADER) -> Any:
    """Parse YAML text with the safe loader (the C one when available)."""
    return yaml.load(text, Loader=loader)

_BUILTIN_PACKAGE = "truce.scenario.builtin"


def builtin_scenarios() -> dict[str, str]:
    """The built-in scenarios: name -> one-line description (the files are read once per process)."""
    return dict(_builtin_catalogue())


@lru_cache(maxsize=1)
def _builtin_catalogue() -> tuple[tuple[str, str], ...]:
    # The package's files do not change while it runs; reading all of them took about 39 ms of CPU,
    # on every GET /api/scenarios and every lookup of a built-in name.
    catalogue = []
    for entry in sorted(resources.files(_BUILTIN_PACKAGE).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = read_yaml(entry.read_text(encoding="utf-8"))
            catalogue.append((entry.name.removesuffix(".yaml"), data.get("name", "")))
    return tuple(catalogue)


def load(name_or_path: str | Path, limits: Limits | None = None) -> Scenario:
    """Load a built-in scenario by name, or a YAML/JSON scenario file by path.

    Raises :class:`ScenarioError` naming the file, each problem's path inside
    it, what was found and what was expected; ``limits`` (default: from the
    environment) caps the file's size and the scenario's.
    """
    text = str(name_or_path)
    builtin = resources.files(_BUILTIN_PACKAGE) / f"{text}.yaml"
    if "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml", ".json")) and builtin.is_file():
        return parse(builtin.read_text(encoding="utf-8"), source=f"built-in scenario '{text}'", limits=limits)
    return load_file(name_or_path, limits)


def load_file(path: str | Path, limits: Limits | None = None) -> Scenario:
    """Load a YAML/JSON scenario file (never a built-in name)."""
    limits = limits or _limits()
    path = Path(path)
    source = str(path)
    try:
        status = path.stat()
    except OSError as error:
        if path.is_symlink() or not isinstance(error, FileNotFoundError):
            raise ScenarioError(source, (("", f"cannot read ({error.strerror}); expected a readable scenario file"),)) from None
        known = ", ".join(builtin_scenarios())
        raise ScenarioError(
            source,
            (("", f"no such file, and no built-in scenario of that name; expected a file path or one of: {known}"),),
        ) from None
    if stat.S_ISDIR(status.st_mode):
        raise ScenarioError(source, (("", "is a folder; expected a YAML or JSON scenario file"),))
    if not stat.S_ISREG(status.st_mode):
        raise ScenarioError(source, (("", "is not a regular file (a device, pipe or socket); expected a YAML or JSON scenario file"),))
    if status.st_size > limits.max_file_bytes:
        raise ScenarioError(source, (("", _file_too_big(status.st_size, limits)),))
    try:
        with path.open("rb") as stream:
            content = stream.read(limits.max_file_bytes + 1)
    except OSError as error:
        raise ScenarioError(source, (("", f"cannot read ({error.strerror}); expected a readable scenario file"),)) from None
    if len(content) > limits.max_file_bytes:
        raise ScenarioError(source, (("", _file_too_big(len(content), limits)),))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            source, (("", f"not UTF-8 text ({error.reason} at byte {error.start}); expected a UTF-8 YAML or JSON file"),)
        ) from None
    return parse(text, source=source, json_only=path.suffix.lower() == ".json", limits=limits)


def parse(
    text: str, *, source: str = "<scenario>", json_only: bool = False, limits: Limits | None = None, loader: type = SAFE_LOADER
) -> Scenario:
    """Validate scenario text (YAML, which includes JSON) into a :class:`Scenario` (``loader``: a PyYAML safe loader class)."""
    limits = limits or _limits()
    if len(text) > limits.max_file_bytes or len(text.encode("utf-8", "surrogatepass")) > limits.max_file_bytes:
        raise ScenarioError(source, (("", _file_too_big(len(text.encode("utf-8", "surrogatepass")), limits)),))
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(text) if json_only else read_yaml(text, loader)
    except json.JSONDecodeError as error:
        raise ScenarioError(source, ((f"line {error.lineno}, column {error.colno}", f"invalid JSON: {error.msg}; expected well-formed JSON"),)) from None
    except yaml.YAMLError as error:
        raise ScenarioError(source, _yaml_problem(error, text, limits)) from None
    except RecursionError:
        raise ScenarioError(source, (("", f"nested more than {limits.max_depth} levels deep; expected at most {limits.max_depth} levels of mappings and lists"),)) from None
    except ValueError as error:
        raise ScenarioError(source, (("", _unreadable_value(str(error))),)) from None
    return validate(data, source=source, limits=limits)


def validate(data: Any, *, source: str = "<scenario>", limits: Limits | None = None) -> Scenario:
    """Validate already-parsed data (a dict) into a :class:`Scenario`, within ``limits``."""
    limits = limits or _limits()
    if not isinstance(data, dict):
        raise ScenarioError(source, (("", f"found {kind_of(data)}; expected a mapping with name, actors, issues"),))
    problem = check_shape(data, limits)
    if problem is not None:
        raise ScenarioError(source, (problem,))
    remaining = placeholder_problems(data)
    if remaining:  # a draft of `truce draft` not yet filled in: say what remains, not a type error
        raise ScenarioError(source, remaining)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(source, tuple(describe(error, data))) from None
    except RecursionError:
        raise ScenarioError(source, (("", f"nested more than {limits.max_depth} levels deep; expected at most {limits.max_depth} levels of mappings and lists"),)) from None
    try:
        check_size(len(scenario.actors), len(scenario.parties), [len(issue.labels) + issue.deferrable for issue in scenario.issues], limits)
        check_levers(len(scenario.levers), limits)
        if scenario.rounds > limits.max_rounds:
            raise LimitError(f"rounds: {over('rounds', scenario.rounds, limits.max_rounds, 'max_rounds')}", "rounds")
    except LimitError as error:
        raise ScenarioError(source, ((error.path, str(error).removeprefix(f"{error.path}: ")),)) from None
    return scenario


def check_shape(data: Any, limits: Limits) -> tuple[str, str] | None:
    """(path, message) if ``data`` nests deeper than the cap, loops back on itself (a recursive
    YAML alias) or holds more values than the cap once YAML aliases are expanded.

    A YAML alias tree ("billion laughs") shares its nodes, so parsing it is fast but every
    consumer that walks it would expand it; the expanded size is counted here without
    expanding anything (each shared node is sized once), so the check takes time linear
    in the file, not in the expansion.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(data, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        key = id(node)
        if done:
            children = node.values() if isinstance(node, dict) else node
            total = 1 + sum(sizes.get(id(child), 1) for child in children)
            total += len(node) if isinstance(node, dict) else 0
            sizes[key] = total
            open_nodes.discard(key)
            if total > limits.max_nodes:
                return "", (
                    f"holds more than {limits.max_nodes:,} values once YAML aliases are expanded; expected at most "
                    f"{limits.max_nodes:,} (cap {env_name('max_nodes')}, see {DOCS})"
                )
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            return "", "a YAML alias refers to a mapping or list that contains it; expected a tree without loops"
        if depth > limits.max_depth:
            return "", f"nested more than {limits.max_depth} levels deep; expected at most {limits.max_depth} levels of mappings and lists"
        open_nodes.add(key)
        stack.append((node, depth, True))
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1, False) for child in children if isinstance(child, (dict, list)))
    return None


def _limits() -> Limits:
    try:
        return Limits.from_env()
    except LimitError as error:
        raise ScenarioError("environment", (("", str(error)),)) from None


def _file_too_big(size: int, limits: Limits) -> str:
    return over("", size, limits.max_file_bytes, "max_file_bytes", unit="bytes").args[0]


def _unreadable_value(reason: str) -> str:
    if "integer string conversion" in reason:
        return "an integer has more than 4,300 digits; expected numbers of ordinary size"
    return f"a value cannot be read ({quote(reason, 120)}); expected plain YAML values (text, numbers, true/false)"


def _yaml_problem(error: yaml.YAMLError, text: str, limits: Limits) -> tuple[tuple[str, str]]:
    """The problem of a YAML syntax error, worded alike for the C and the Python loader."""
    if isinstance(error, yaml.reader.ReaderError):
        character = error.character if isinstance(error.character, str) else chr(error.character)
        return (("", f"found the control character #x{ord(character):04x} at position {error.position}; "
                 "expected text (YAML does not allow control characters)"),)
    mark = getattr(error, "problem_mark", None)
    where = _where(text, mark.line, mark.column) if mark else ""
    problem = getattr(error, "problem", None) or str(error)
    if "nesting depth" in problem:
        return ((where, f"nested more than {limits.max_depth} levels deep; expected at most {limits.max_depth} levels of mappings and lists"),)
    if isinstance(error, yaml.constructor.ConstructorError) and "constructor for the tag" in problem:
        tag = problem.rsplit("tag ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        return ((where, f"invalid YAML: tag {quote(tag, 60)} is not allowed (safe loading); expected plain YAML (mappings, lists, text, numbers, true/false)"),)
    if mark is not None and _character_at(text, mark.line, mark.column) == "\t":
        return ((where, "invalid YAML: found a tab; expected spaces, not tabs, for indentation"),)
    context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
    started = f" ({context} that starts on line {context_mark.line + 1})" if context and context_mark else ""
    return ((where, f"invalid YAML: {quote(problem, 200)}{started}; expected well-formed YAML or JSON (check this line and the one before it)"),)


def _where(text: str, line: int, column: int) -> str:
    """``line L, column C`` of a mark; past the end of a text with no final newline (where libyaml puts
    the end of the stream, and the Python loader the end of the last line), the end of the last line."""
    lines = text.split("\n")
    if line >= len(lines):
        line, column = len(lines) - 1, len(lines[-1])
    return f"line {line + 1}, column {column + 1}"


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""
