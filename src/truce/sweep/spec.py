"""The sweep file: which scenario, which of its fields to vary and how, what to compute at each point.

One pydantic model is the single truth for the format (as for scenarios): it validates the YAML,
and its errors are worded by :mod:`truce.scenario.messages` (``FILE: FIELD: found ...; expected ...``).
The scenario is a built-in name or a path relative to the sweep file's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import Field, Strict, StringConstraints, ValidationError, model_validator

from truce.errors import ProblemsError
from truce.scenario.schema.common import Number, _Model

MAX_POINTS = 100_000
"""Points of one sweep at most (a grid's product of value counts, or ``points``)."""
MAX_TASKS = 1_000_000
"""Tasks of one sweep at most (points x chunks per point)."""
MAX_SWEEP_BYTES = 1_000_000

Whole = Annotated[int, Strict()]
Value = Union[Annotated[bool, Strict()], Whole, Number, Annotated[str, StringConstraints(min_length=1, max_length=200)]]


class SweepError(ProblemsError):
    """A sweep file that cannot be used, with every problem found in it (exit 2)."""

    what = "sweep file"


class Parameter(_Model):
    """One scenario field to vary: ``values`` to take in turn, or a ``range`` to spread points over."""

    path: Annotated[str, StringConstraints(min_length=1, max_length=300)] = Field(
        description="The field by its path in the scenario, e.g. actors[hamas].reservation or talks.breakdown_risk."
    )
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\[\]-]+$", max_length=300)] | None = Field(
        None, description="The column's name in the results (default: the path)."
    )
    values: list[Value] | None = Field(None, min_length=1, max_length=MAX_POINTS, description="Grid: the values to take, in order.")
    range: tuple[Number, Number] | None = Field(None, description="[low, high]: random and latin designs draw in it; a grid takes `steps` evenly spaced values.")
    steps: Whole | None = Field(None, ge=2, le=MAX_POINTS, description="Grid with a range: how many evenly spaced values, both ends included.")

    @model_validator(mode="after")
    def _one_way(self) -> "Parameter":
        if (self.values is None) == (self.range is None):
            raise ValueError("found " + ("both values and range" if self.values is not None else "neither values nor range")
                             + "; expected exactly one of values: [...] or range: [low, high]")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"found range {list(self.range)}; expected [low, high] with low < high")
        if self.values is not None and self.steps is not None:
            raise ValueError("found steps with values; expected steps only with a range")
        return self

    @property
    def column(self) -> str:
        return self.name or self.path


class SimulateOptions(_Model):
    """The simulation at each point, as ``truce simulate`` takes it."""

    protocol: Literal["alternating", "single-text"] | None = Field(None, description="Default: single-text when a single_text lever is in force, else alternating.")
    strategy: Annotated[str, StringConstraints(min_length=1, max_length=200)] | dict[str, Annotated[str, StringConstraints(min_length=1, max_length=200)]] | None = Field(
        None, description="A strategy for every party (see `truce strategies`), or party id -> strategy."
    )
    rounds: Whole | None = Field(None, ge=1, le=100_000, description="Most rounds (default: the scenario's).")
    noise: Number = Field(0.1, ge=0, le=10, description="Spread of each party's estimate of the others' priorities.")
    first_proposer: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field("random", description="random, alternate or a party id.")
    all_at_once: Annotated[bool, Strict()] = Field(False, description="With phases: one agreement on every issue instead of phase by phase.")


class ForecastOptions(_Model):
    """The forecast at each point (``analysis: forecast``), as ``truce forecast`` takes it."""

    model: Literal["compromise", "smp", "expected_utility"] = Field("smp", description="compromise, smp (KTAB's Spatial Model of Politics) or expected_utility.")
    rounds: Whole | None = Field(None, ge=1, le=100_000, description="smp: most rounds (default 100); expected_utility: rounds (default 10).")
    stochastic: Annotated[bool, Strict()] = Field(False, description="smp: stochastic state transitions, seeded per point from the sweep's seed.")


class BacktestOptions(_Model):
    """The back-test at each point (``analysis: backtest``), as ``truce backtest`` takes it (the simulation from ``simulate``)."""

    floor: Number = Field(1e-3, gt=0, le=1, description="A probability of 0 counts as this in the log scores.")
    forecast_model: Literal["compromise", "smp", "expected_utility"] = Field("smp", description="The spatial forecast set against the real terms.")


class Sweep(_Model):
    """A sweep: one scenario, the fields to vary, the design of the points, the runs at each point."""

    scenario: Annotated[str, StringConstraints(min_length=1, max_length=4096)] | None = Field(
        None, description="A built-in scenario name or a scenario file (relative to the sweep file's folder). Required, but with analysis: backtest."
    )
    cases: Annotated[str, StringConstraints(min_length=1, max_length=4096)] | None = Field(
        None, description="analysis: backtest: a case file (relative to the sweep file's folder) or a shipped one by name (israel-hamas); "
        "each parameter's path is set in every case's scenario."
    )
    analysis: Literal["simulate", "durability", "whatif", "forecast", "backtest"] = Field(
        "simulate", description="simulate: P(deal), rounds, utilities; durability: those and P(a deal still in force after hold_days) (ceasefires); "
        "whatif: P(deal) and P(lasting deal) with each lever switched, paired against the point's own levers; forecast: where each issue settles; "
        "backtest: the back-test's scores over the cases of `cases`."
    )
    design: Literal["grid", "random", "latin"] = Field(
        "grid", description="grid: every combination of the parameters' values; random: points drawn uniformly in the ranges; "
        "latin: a Latin hypercube over the ranges (scipy.stats.qmc)."
    )
    points: Whole | None = Field(None, ge=1, le=MAX_POINTS, description="random and latin: how many points.")
    parameters: list[Parameter] = Field(min_length=1, max_length=50)
    runs: Whole = Field(1000, ge=1, le=10_000_000, description="Monte Carlo runs at each point.")
    runs_per_task: Whole = Field(
        1000, ge=1, le=10_000_000, description="Runs of one task (one batched engine call); a point's runs are split into tasks of this size."
    )
    seed: Whole = Field(0, ge=0, le=2**63 - 1, description="The sweep's seed: the design's draws and every task's seed come from it.")
    paired: Annotated[bool, Strict()] = Field(
        True, description="true: task k of every point gets the same seed (common random numbers, so points differ by their inputs only); "
        "false: every task its own seed."
    )
    hold_days: Whole = Field(90, ge=1, le=100_000, description="durability and whatif: the days a deal must still be in force after.")
    simulate: SimulateOptions = Field(default_factory=SimulateOptions)
    forecast: ForecastOptions = Field(default_factory=ForecastOptions)
    backtest: BacktestOptions = Field(default_factory=BacktestOptions)

    @property
    def source(self) -> str:
        """What the sweep varies: the scenario, or the case file of a back-test."""
        return self.cases if self.analysis == "backtest" else self.scenario

    @property
    def chunks(self) -> int:
        """Tasks per point (one for a forecast, which plays no Monte Carlo runs; a back-test has one per case instead)."""
        return 1 if self.analysis == "forecast" else -(-self.runs // self.runs_per_task)


def read(path: str | Path) -> tuple[Sweep, str]:
    """The sweep file at ``path``, validated, and its text; :class:`SweepError` names each problem."""
    from truce.scenario.loading import read_yaml

    source = str(path)
    try:
        content = Path(path).read_bytes()[: MAX_SWEEP_BYTES + 1]
    except OSError as error:
        raise SweepError(source, (("", f"cannot read ({error.strerror or error}); expected a readable sweep file (YAML)"),)) from None
    if len(content) > MAX_SWEEP_BYTES:
        raise SweepError(source, (("", f"is larger than {MAX_SWEEP_BYTES:,} bytes; expected a short YAML sweep file"),))
    try:
        text = content.decode("utf-8-sig")
        data = read_yaml(text)
    except UnicodeDecodeError as error:
        raise SweepError(source, (("", f"not UTF-8 text ({error.reason}); expected a UTF-8 YAML file"),)) from None
    except Exception as error:  # yaml.YAMLError and the loader's value errors
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)[:200]
        raise SweepError(source, ((where, f"invalid YAML: {problem}; expected well-formed YAML"),)) from None
    return validate(data, source), text


def validate(data: object, source: str = "<sweep>") -> Sweep:
    """Validate parsed data into a :class:`Sweep`: the fields, then how they fit together."""
    from truce.scenario.messages import describe, kind_of

    if not isinstance(data, dict):
        raise SweepError(source, (("", f"found {kind_of(data)}; expected a mapping with scenario, parameters, runs"),))
    try:
        sweep = Sweep.model_validate(data)
    except ValidationError as error:
        raise SweepError(source, tuple(_worded(where, message) for where, message in describe(error, data))) from None
    problems = design_problems(sweep)
    if problems:
        raise SweepError(source, tuple(problems))
    return sweep


def _worded(where: str, message: str) -> tuple[str, str]:
    """An unknown field is told with the fields that exist there (the scenario's wording points to `truce schema`)."""
    if not message.startswith("found an unknown field"):
        return where, message
    parent = where.rsplit(".", 1)[0] if "." in where else ""
    model = Parameter if parent.startswith("parameters[") else {"simulate": SimulateOptions, "forecast": ForecastOptions, "backtest": BacktestOptions}.get(parent, Sweep)
    return where, f"found an unknown field; expected one of: {', '.join(model.model_fields)} (check the spelling)"


def design_problems(sweep: Sweep) -> list[tuple[str, str]]:
    """What does not fit the design: a range without steps on a grid, values on a random design, ..."""
    problems = []
    if sweep.analysis == "backtest":
        if sweep.cases is None:
            problems.append(("cases", "missing; expected the case file the back-test scores (a path or a shipped name, e.g. israel-hamas)"))
        if sweep.scenario is not None:
            problems.append(("scenario", "found a scenario with analysis: backtest; expected none (each case names its scenario; the paths are set in each)"))
    else:
        if sweep.scenario is None:
            problems.append(("scenario", "missing; expected a built-in scenario name or a scenario file"))
        if sweep.cases is not None:
            problems.append(("cases", f"found a case file with analysis: {sweep.analysis}; expected cases only with analysis: backtest"))
    for k, parameter in enumerate(sweep.parameters):
        if sweep.design == "grid" and parameter.range is not None and parameter.steps is None:
            problems.append((f"parameters[{k}].steps", "missing; expected steps: N with a range on the grid design (or values: [...])"))
        if sweep.design != "grid" and parameter.range is None:
            problems.append((f"parameters[{k}].values", f"found values; expected range: [low, high] with the {sweep.design} design"))
    if sweep.design != "grid" and sweep.points is None:
        problems.append(("points", f"missing; expected how many points the {sweep.design} design draws"))
    if sweep.design == "grid" and sweep.points is not None:
        problems.append(("points", f"found {sweep.points}; expected none with the grid design (one point per combination of values)"))
    columns = [parameter.column for parameter in sweep.parameters]
    for k, column in enumerate(columns):
        if column in columns[:k]:
            problems.append((f"parameters[{k}]", f"found the column {column!r} a second time; expected each path (or name) once"))
    return problems
