"""A tournament spec: which strategies play which scenarios, how often and with which seed.

A spec is a YAML (or JSON) file::

    name: Time-dependent strategies on two domains
    strategies:
      - boulware                 # a registered strategy (`truce strategies`)
      - conceder:e=3             # with parameters, as --strategy takes them
      - {strategy: time-dependent, parameters: {e: 0.5}, label: patient}
    scenarios:
      - two-issue-trade          # a built-in scenario
      - domains/fishing.yaml     # a scenario file, relative to the spec
    repetitions: 20              # negotiations per match, played as one batch
    seed: 0

:func:`read_spec` validates it with pydantic (errors name the file, the field such as
``strategies[2]``, what was found and what was expected) and :func:`resolve` loads every
scenario and makes every strategy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, field_validator

from truce.errors import InputError
from truce.scenario import ScenarioError, load
from truce.scenario.loading import _limits, check_shape, read_yaml
from truce.scenario.messages import describe, kind_of
from truce.scenario.schema.common import Findings, Number, Text, _Model
from truce.simulate.strategies import Strategy, make

MAX_STRATEGIES = 64
MAX_SCENARIOS = 256
MAX_REPETITIONS = 100_000


class SpecError(ScenarioError):
    """A tournament spec that cannot be used: ``problems`` holds (field path, what was found and what was expected)."""

    what = "tournament spec"


class StrategyEntry(_Model):
    """A strategy written as a mapping: its registered name, its parameters and the label it is ranked by."""

    strategy: str = Field(description="A registered strategy name (`truce strategies`).")
    parameters: dict[str, Number | str] = Field(default_factory=dict, description="Parameter name -> value, e.g. {e: 0.5}.")
    label: Text | None = Field(None, description="The name in the results (default: NAME:key=value,...).")

    @property
    def text(self) -> str:
        """The entry as ``make`` reads it: ``time-dependent:e=0.5``."""
        arguments = ",".join(f"{key}={value:g}" if isinstance(value, float) else f"{key}={value}" for key, value in self.parameters.items())
        return f"{self.strategy}:{arguments}" if arguments else self.strategy


class TournamentSpec(_Model):
    """Strategies x scenarios x role assignments, each match a batch of ``repetitions`` negotiations."""

    truce_tournament: Literal[1] = Field(1, description="Format version.")
    name: Text = "Tournament"
    description: Text = ""
    strategies: list[str | StrategyEntry] = Field(min_length=1, max_length=MAX_STRATEGIES)
    scenarios: list[Text] = Field(min_length=1, max_length=MAX_SCENARIOS, description="Built-in scenario names or paths relative to the spec.")
    repetitions: int = Field(10, ge=1, le=MAX_REPETITIONS, description="Negotiations per match (one batch of the engine).")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="The same seed gives the same table.")
    rounds: int | None = Field(None, ge=1, description="The deadline of every negotiation (default: each scenario's own rounds).")
    self_play: bool = Field(True, description="Whether a strategy also meets itself (as in NegMAS's cartesian tournaments).")
    assignments: Literal["all", "rotation"] = Field(
        "all", description="all: every assignment of strategies to roles; rotation: each combination of strategies in its cyclic rotations."
    )
    first_proposer: Literal["alternate", "random"] = Field(
        "alternate", description="alternate: run i of a match starts with role i mod P; random: drawn per run."
    )
    noise: Number = Field(0.1, ge=0, description="Spread of each party's estimate of the others' priorities (as `truce simulate --noise`).")
    discounted: bool = Field(
        False, description="Score each seat's utility discounted to the round the negotiation ended, no-deal value included (ANAC 2011-2013)."
    )

    @field_validator("strategies")
    @classmethod
    def _strategies_known(cls, strategies: list[str | StrategyEntry]) -> list[str | StrategyEntry]:
        findings, labels = [], {}
        for i, entry in enumerate(strategies):
            text = entry if isinstance(entry, str) else entry.text
            try:
                make(text)
            except InputError as error:
                findings.append((f"strategies[{i}]", f"found '{text}': {error}"))
                continue
            label = strategy_label(entry)
            if label in labels:
                findings.append((f"strategies[{i}]", f"found '{label}' again (also strategies[{labels[label]}]); expected each strategy once, or a distinct label"))
            labels.setdefault(label, i)
        if findings:
            raise Findings(findings)
        return strategies


def strategy_label(entry: str | StrategyEntry) -> str:
    if isinstance(entry, str):
        return entry.strip()
    return entry.label or entry.text


@dataclass(frozen=True)
class Contestant:
    """A strategy of the tournament: the label it is ranked by and the unit that plays."""

    label: str
    strategy: Strategy


@dataclass(frozen=True, eq=False)
class Venue:
    """A scenario of the tournament: how the spec names it and its compiled problem."""

    name: str
    problem: object


def read_spec(path: str | Path) -> tuple[TournamentSpec, str, Path]:
    """Parse and validate a spec file: the spec, its name in messages, and its folder (scenario paths are relative to it)."""
    path = Path(path)
    source, limits = str(path), _limits()
    if not path.is_file():
        what = "is not a regular file" if path.exists() else "no such file"
        raise SpecError(source, (("", f"{what}; expected a YAML or JSON tournament spec"),))
    if path.stat().st_size > limits.max_file_bytes:
        raise SpecError(source, (("", f"is {path.stat().st_size:,} bytes; expected at most {limits.max_file_bytes:,}"),))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(source, (("", f"cannot read ({error}); expected a readable UTF-8 tournament spec"),)) from None
    return parse_spec(text, source), source, path.resolve().parent


def parse_spec(text: str, source: str = "<tournament>") -> TournamentSpec:
    """Validate spec text (YAML, which includes JSON)."""
    try:
        data = read_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SpecError(source, ((where, f"invalid YAML: {getattr(error, 'problem', None) or error}; expected well-formed YAML"),)) from None
    except (RecursionError, ValueError) as error:
        raise SpecError(source, (("", f"cannot read ({type(error).__name__}); expected plain YAML"),)) from None
    if not isinstance(data, dict):
        raise SpecError(source, (("", f"found {kind_of(data)}; expected a mapping with strategies and scenarios"),))
    shape = check_shape(data, _limits())
    if shape is not None:
        raise SpecError(source, (shape,))
    try:
        return TournamentSpec.model_validate(data)
    except ValidationError as error:
        raise SpecError(source, tuple(describe(error, data))) from None


def resolve(spec: TournamentSpec, source: str, folder: Path | None) -> tuple[list[Contestant], list[Venue]]:
    """Every strategy made and every scenario loaded and compiled, checked against each other:
    a scenario file's own problems name that file; a missing one, or a strategy a scenario cannot
    take, names the spec's field."""
    contestants = [Contestant(strategy_label(entry), make(entry if isinstance(entry, str) else entry.text)) for entry in spec.strategies]
    venues, findings = [], []
    for i, name in enumerate(spec.scenarios):
        target = name if folder is None or _is_builtin(name) or Path(name).is_absolute() else str(folder / name)
        try:
            problem = load(target).compile()
        except ScenarioError as error:
            if len(error.problems) == 1 and not error.problems[0][0] and error.source == target:
                findings.append((f"scenarios[{i}]", f"found '{name}': {error.problems[0][1]}"))
                continue
            raise
        venues.append(Venue(name, problem))
        parties = problem.n_parties
        for k, contestant in enumerate(contestants):
            if contestant.strategy.name == "spe" and parties != 2:
                findings.append((f"strategies[{k}]", f"found 'spe' with scenarios[{i}] '{name}' of {parties} parties; expected two-party scenarios only (the subgame-perfect strategy is defined for two)"))
        if not spec.self_play and len(contestants) < parties:
            findings.append(("self_play", f"found false with {len(contestants)} strategies for scenarios[{i}] '{name}' of {parties} parties; expected at least {parties} strategies, or self_play: true"))
    if findings:
        raise SpecError(source, tuple(dict.fromkeys(findings)))
    return contestants, venues


def _is_builtin(name: str) -> bool:
    from truce.scenario import builtin_scenarios

    return "/" not in name and "\\" not in name and not name.endswith((".yaml", ".yml", ".json")) and name in builtin_scenarios()
