"""The points of a sweep and the scenario variant at each.

- grid: every combination of the parameters' values (a range with ``steps`` gives evenly spaced
  values, both ends included), the last parameter varying fastest;
- random: ``points`` draws, each coordinate uniform in its range;
- latin: a Latin hypercube of ``points`` (McKay, Beckman & Conover 1979; scipy.stats.qmc):
  each range cut into ``points`` equal strata, each stratum of each parameter used exactly once.

Draws come from the sweep's seed (its own stream, apart from the tasks' seeds), so the same file
gives the same points. A field that takes whole numbers (``rounds``) gets its value rounded.
Each variant is the scenario as validated, the point's values set at their paths, validated again:
a value the scenario refuses (a reservation of 1.5) stops the sweep before any work, naming the
point, the parameter and the scenario's own message.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from truce.scenario.schema import Scenario
from truce.sweep.paths import FieldPath, PathError, assign, resolve
from truce.sweep.spec import MAX_POINTS, Sweep, SweepError

DESIGN_STREAM = 0
"""Spawn key of the design's draws; the tasks' seeds use keys from 1 on (:mod:`truce.sweep.tasks`)."""


@dataclass(frozen=True)
class Variant:
    """One point: its values by column, and the scenario there as JSON text (what a task compiles)."""

    index: int
    values: dict[str, Any]
    scenario_json: str


def field_paths(sweep: Sweep, scenario: Scenario, source: str) -> list[FieldPath]:
    """Every parameter's path resolved against the scenario; a bad one is a :class:`SweepError` (exit 2)."""
    paths, problems = [], []
    for k, parameter in enumerate(sweep.parameters):
        try:
            paths.append(resolve(scenario, parameter.path))
        except PathError as error:
            problems.append((f"parameters[{k}].path", str(error)))
    if problems:
        raise SweepError(source, tuple(problems))
    return paths


def point_values(sweep: Sweep, paths: list[FieldPath], source: str = "<sweep>") -> list[tuple[Any, ...]]:
    """The design's points: one tuple of values per point, in the parameters' order."""
    if sweep.design == "grid":
        axes = []
        for parameter, path in zip(sweep.parameters, paths):
            if parameter.values is not None:
                axes.append([_whole(value, path) for value in parameter.values])
            else:
                low, high = parameter.range
                axes.append([_fit(value, path) for value in np.linspace(low, high, parameter.steps)])
        count = int(np.prod([len(axis) for axis in axes], dtype=float))
        if count > MAX_POINTS:
            raise SweepError(source, (("parameters", f"found a grid of {count:,} points; expected at most {MAX_POINTS:,} (fewer values or steps)"),))
        return list(itertools.product(*axes))
    rng = np.random.default_rng(np.random.SeedSequence(sweep.seed, spawn_key=(DESIGN_STREAM,)))
    dimensions = len(sweep.parameters)
    if sweep.design == "random":
        unit = rng.random((sweep.points, dimensions))
    else:
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=dimensions, rng=rng).random(sweep.points)
    lows = np.array([parameter.range[0] for parameter in sweep.parameters])
    highs = np.array([parameter.range[1] for parameter in sweep.parameters])
    scaled = lows + unit * (highs - lows)
    return [tuple(_fit(value, path) for value, path in zip(row, paths)) for row in scaled]


def _whole(value: Any, path: FieldPath) -> Any:
    """A grid value as given, but 20.0 for a whole-number field is 20 (YAML writes either)."""
    if path.integer and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _fit(value: float, path: FieldPath) -> Any:
    """A plain Python number for the field: whole for a whole-number field, else a float."""
    return int(round(float(value))) if path.integer else float(value)


def variants(sweep: Sweep, scenario: Scenario, source: str) -> list[Variant]:
    """The scenario variant of every point, each validated; a refused value is a :class:`SweepError`."""
    from pydantic import ValidationError

    from truce.scenario.messages import describe

    paths = field_paths(sweep, scenario, source)
    base = scenario.model_dump(mode="json")
    columns = [parameter.column for parameter in sweep.parameters]
    found = []
    for index, values in enumerate(point_values(sweep, paths, source)):
        data = json.loads(json.dumps(base))
        for path, value in zip(paths, values):
            assign(data, path, value)
        try:
            variant = Scenario.model_validate(data)
        except ValidationError as error:
            where, message = next(iter(describe(error, data)))
            raise SweepError(source, (_refused(sweep, paths, index, values, where, message),)) from None
        found.append(Variant(index=index, values=dict(zip(columns, values)), scenario_json=variant.model_dump_json()))
    return found


def _refused(sweep: Sweep, paths: list[FieldPath], index: int, values: tuple, where: str, message: str) -> tuple[str, str]:
    """The problem of a point the scenario refuses, at the parameter whose field it is (when one is)."""
    from truce.scenario.messages import format_path

    setting = ", ".join(f"{parameter.column} = {value!r}" for parameter, value in zip(sweep.parameters, values))
    for k, (parameter, path) in enumerate(zip(sweep.parameters, paths)):
        if format_path(path.steps) == where:
            field = f"parameters[{k}].values" if parameter.values is not None else f"parameters[{k}].range"
            return field, f"{message} (at point {index}: {setting}; the scenario's {where})"
    return "parameters", f"at point {index} ({setting}) the scenario refuses {where}: {message}"
