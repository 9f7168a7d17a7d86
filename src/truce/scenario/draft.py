"""A draft agreement (the mediator's text on the table) as a package of the compiled problem.

A draft file is a YAML or JSON mapping from each issue (its id, or its
name) to the option the text settles it at::

    # the mediator's current text
    ceasefire: truce of weeks
    aid: 400                # a numeric issue: a value on its grid, in its units ("400 trucks/day" too)
    withdrawal: deferred    # an issue the scenario lets the parties leave open

Every issue must be given once. Labels match without regard to case or
surrounding spaces. Problems raise :class:`DraftError` (a :class:`ScenarioError`) naming the file,
the issue and what was expected; every problem is listed at once.
"""

from __future__ import annotations

import json
import math
import stat
from pathlib import Path
from typing import Any, TYPE_CHECKING

import numpy as np
import yaml

from truce.limits import Limits
from truce.scenario.loading import ScenarioError, read_yaml

if TYPE_CHECKING:
    from truce.problem import Problem

_SHOWN_OPTIONS = 12


class DraftError(ScenarioError):
    """A draft that cannot be read as a package of the scenario, with every problem found in it."""

    def __str__(self) -> str:
        if len(self.problems) == 1 and not self.problems[0][0]:
            return f"{self.source}: {self.problems[0][1]}"
        lines = [f"{self.source}: {len(self.problems)} problem(s) in the draft"]
        return "\n".join(lines + [f"  {path or '(top level)'}: {message}" for path, message in self.problems])


def load_draft(path: str | Path, problem: "Problem", limits: Limits | None = None) -> np.ndarray:
    """Read a draft file and return its package (one option index per issue)."""
    path = Path(path)
    limits = limits or Limits.from_env()
    source = str(path)
    try:
        status = path.stat()
    except OSError as error:
        reason = "no such file" if isinstance(error, FileNotFoundError) else f"cannot read ({error.strerror})"
        raise DraftError(source, (("", f"{reason}; expected a YAML or JSON draft: issue -> option"),)) from None
    if not stat.S_ISREG(status.st_mode):
        raise DraftError(source, (("", "is not a regular file; expected a YAML or JSON draft: issue -> option"),))
    with path.open("rb") as stream:
        content = stream.read(limits.max_file_bytes + 1)
    if len(content) > limits.max_file_bytes:
        raise DraftError(source, (("", f"larger than {limits.max_file_bytes:,} bytes; expected at most that (TRUCE_MAX_FILE_BYTES)"),))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DraftError(source, (("", f"not UTF-8 text ({error.reason} at byte {error.start}); expected a UTF-8 YAML or JSON file"),)) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else read_yaml(text)
    except json.JSONDecodeError as error:
        raise DraftError(source, ((f"line {error.lineno}, column {error.colno}", f"invalid JSON: {error.msg}"),)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise DraftError(source, ((where, f"invalid YAML: {getattr(error, 'problem', None) or error}"),)) from None
    return draft_package(data, problem, source=source)


def draft_package(data: Any, problem: "Problem", *, source: str = "<draft>") -> np.ndarray:
    """A mapping issue -> option (see the module docstring) as a package; ScenarioError lists every problem."""
    if not isinstance(data, dict):
        raise DraftError(source, (("", f"found {type(data).__name__ if data is not None else 'an empty file'}; expected a mapping from each issue to an option"),))
    lookup = {}
    for j, (issue_id, name) in enumerate(zip(problem.issue_ids, problem.issue_names)):
        lookup[_key(issue_id)] = j
        lookup.setdefault(_key(name), j)
    package = np.full(problem.n_issues, -1, dtype=np.int64)
    problems: list[tuple[str, str]] = []
    for key, value in data.items():
        j = lookup.get(_key(key)) if isinstance(key, str) else None
        if j is None:
            problems.append((str(key), f"not an issue of {problem.name}; expected one of: {', '.join(problem.issue_ids)}"))
            continue
        if package[j] >= 0:
            problems.append((str(key), f"issue {problem.issue_ids[j]} is given twice; expected each issue once"))
            continue
        index = _option(problem, j, value)
        if isinstance(index, str):
            problems.append((problem.issue_ids[j], index))
        else:
            package[j] = index
    for j in np.flatnonzero(package < 0):
        if not any(path == problem.issue_ids[j] for path, _ in problems):
            problems.append((problem.issue_ids[j], f"missing; expected {_expected(problem, j)}"))
    if problems:
        raise DraftError(source, tuple(problems))
    return package


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _option(problem: "Problem", j: int, value: Any) -> int | str:
    labels = problem.option_labels[j]
    if isinstance(value, str):
        for k, label in enumerate(labels):
            if _key(label) == _key(value):
                return k
        number = _leading_number(value)
        if number is None:
            return f"found {value[:60]!r}; expected {_expected(problem, j)}"
        value = number
    grid = problem.grids[j] if problem.grids is not None else None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or grid is None:
        return f"found {str(value)[:60]!r}; expected {_expected(problem, j)}"
    if not math.isfinite(value):
        return f"found {value}; expected {_expected(problem, j)}"
    nearest = int(np.argmin(np.abs(grid - value)))
    if abs(grid[nearest] - value) > 1e-9 * max(1.0, abs(value)):
        return f"found {value:g}, not a grid value; expected {_expected(problem, j)} (nearest: {grid[nearest]:g})"
    return nearest


def _leading_number(text: str) -> float | None:
    first = text.strip().split(" ")[0] if text.strip() else ""
    try:
        return float(first)
    except ValueError:
        return None


def _expected(problem: "Problem", j: int) -> str:
    labels = problem.option_labels[j]
    grid = problem.grids[j] if problem.grids is not None else None
    if grid is not None:
        step = f" in steps of {grid[1] - grid[0]:g}" if len(grid) > 1 else ""
        unit = problem.issue_units[j] if problem.issue_units else ""
        deferred = " or 'deferred'" if problem.deferrable and problem.deferrable[j] else ""
        return f"a value from {grid[0]:g} to {grid[-1]:g}{step}{(' ' + unit) if unit else ''}{deferred}"
    shown = ", ".join(repr(label) for label in labels[:_SHOWN_OPTIONS])
    more = f", ... ({len(labels)} options)" if len(labels) > _SHOWN_OPTIONS else ""
    return f"one of {shown}{more}"
