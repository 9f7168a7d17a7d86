"""The scenario file format: pydantic models, the single truth for it.

These models validate YAML/JSON scenario files, produce the shipped JSON
Schema (``truce schema``) and document every field. Structural checks
(types, ranges of single fields) are pydantic's; the checks that relate
fields to each other (a stance names a known issue, a position is one of
the issue's options, ids are unique) live in :meth:`Scenario._cross_references`
and report the path of each problem inside the file.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    model_validator,
)

from truce.scenario.distributions import Distribution, Uncertain, check_within, nominal

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]+$", min_length=1, max_length=64)]
Number = Annotated[float, Strict()]
Text = Annotated[str, StringConstraints(max_length=20_000)]

MAX_OPTIONS_PER_ISSUE = 1001
"""A numeric issue's grid may hold at most this many points."""


class Findings(ValueError):
    """Cross-reference problems found in a scenario, each with its path in the file."""

    def __init__(self, findings: list[tuple[str, str]]):
        super().__init__("; ".join(f"{path}: {message}" for path, message in findings))
        self.findings = findings


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """A document the scenario's numbers come from; notes cite it by id."""

    id: Identifier
    title: Text
    url: Text | None = None
    note: Text | None = None


class _IssueBase(_Model):
    id: Identifier = Field(description="Unique issue id, [a-z0-9_-]+; stances are keyed by it.")
    name: Text = Field(description="Human-readable name.")
    description: Text = ""
    note: Text | None = Field(None, description="Where the issue and its options come from.")


class OrderedIssue(_IssueBase):
    """Named options with a natural order (e.g. maintained < eased < lifted)."""

    kind: Literal["ordered"]
    options: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        min_length=2, max_length=MAX_OPTIONS_PER_ISSUE
    )

    @property
    def labels(self) -> list[str]:
        return list(self.options)


class CategoricalIssue(_IssueBase):
    """Named options without an order; actors value them through a ``values`` table."""

    kind: Literal["categorical"]
    options: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        min_length=2, max_length=MAX_OPTIONS_PER_ISSUE
    )

    @property
    def labels(self) -> list[str]:
        return list(self.options)


class NumericIssue(_IssueBase):
    """A quantity on a range, discretised on a grid of ``step`` for the discrete engines."""

    kind: Literal["numeric"]
    unit: Text = ""
    range: tuple[Number, Number] = Field(description="[low, high] of the quantity.")
    step: Number = Field(gt=0, description="Grid spacing used by the discrete engines.")

    @model_validator(mode="after")
    def _range_and_grid(self) -> "NumericIssue":
        low, high = self.range
        if not low < high:
            raise ValueError(f"range [low, high] needs low < high; found {list(self.range)}")
        points = int(np.floor((high - low) / self.step + 1e-9)) + 1
        if points > MAX_OPTIONS_PER_ISSUE:
            raise ValueError(
                f"range {list(self.range)} with step {self.step:g} gives {points} grid points; "
                f"expected at most {MAX_OPTIONS_PER_ISSUE} (use a larger step)"
            )
        return self

    @property
    def grid(self) -> np.ndarray:
        """The grid points: low, low + step, ..., and high itself."""
        low, high = self.range
        grid = low + self.step * np.arange(int(np.floor((high - low) / self.step + 1e-9)) + 1)
        if high - grid[-1] > 1e-9 * max(1.0, abs(high)):
            grid = np.append(grid, high)
        return grid

    @property
    def labels(self) -> list[str]:
        unit = f" {self.unit}" if self.unit else ""
        return [f"{x:g}{unit}" for x in self.grid]


Issue = Annotated[
    Union[
        Annotated[OrderedIssue, Tag("ordered")],
        Annotated[CategoricalIssue, Tag("categorical")],
        Annotated[NumericIssue, Tag("numeric")],
    ],
    Discriminator(
        lambda v: v.get("kind") if isinstance(v, dict) else getattr(v, "kind", None),
        custom_error_type="issue_kind",
        custom_error_message="expected kind to be one of ordered, categorical, numeric",
    ),
]
ISSUE_KINDS = frozenset({"ordered", "categorical", "numeric"})


class Stance(_Model):
    """An actor's ideal position on one issue and how much the issue matters to it."""

    position: Union[Annotated[str, StringConstraints(min_length=1, max_length=200)], Uncertain] = Field(
        description="An option name (ordered, categorical) or a number in the issue's range (numeric)."
    )
    salience: Uncertain = Field(description="How much the issue matters, in [0, 1]; normalised per actor.")
    tolerance: Uncertain | None = Field(
        None,
        description="Numeric issues: the distance from the position at which the value reaches 0 "
        "(default: the issue's whole span).",
    )
    values: dict[str, Number] | list[tuple[Number, Number]] | None = Field(
        None,
        description="Explicit value table overriding the linear shape: option -> value in [0, 1] "
        "(ordered, categorical), or piecewise-linear [x, value] points (numeric).",
    )
    note: Text | None = Field(None, description="Where the position and salience come from.")


Role = Literal["party", "mediator", "stakeholder"]


class Actor(_Model):
    """A party (holds a veto), a mediator or a stakeholder."""

    id: Identifier
    name: Text
    role: Role = "party"
    description: Text = ""
    capability: Uncertain = Field(1.0, description="Relative influence, > 0 (forecasting, pressure).")
    reservation: Uncertain = Field(0.0, description="Parties: utility of no agreement, in [0, 1).")
    cost_of_delay: Uncertain = Field(0.0, description="Parties: utility lost per round without agreement, in [0, 1].")
    discount: Uncertain = Field(
        1.0, description="Parties: per-round discount factor on the value of a deal, in (0, 1]; 1 = no discounting."
    )
    trust: Uncertain = Field(
        1.0,
        description="Parties: belief, in [0, 1], that the other side will comply with a signed agreement "
        "(before guarantees and monitoring).",
    )
    exposure: Uncertain = Field(
        0.0,
        description="Parties: utility lost, beyond no deal, if the other side defects after this party has "
        "implemented its side, in [0, 1]. With exposure 0, trust has no effect on what a party accepts.",
    )
    stances: dict[Identifier, Stance] = Field(default_factory=dict, description="Per issue id.")
    notes: dict[str, Text] = Field(
        default_factory=dict,
        description="Per field name (capability, reservation, cost_of_delay, trust, ...): where the number comes from.",
    )


class Lever(_Model):
    """Something a mediator or stakeholder can do to change the negotiation.

    ``guarantee`` (a third party guarantees compliance) and ``monitoring``
    (observers on the ground) raise the named parties' trust: each closes
    the fraction ``trust_gain`` of the gap to full trust,
    ``trust' = trust + trust_gain * (1 - trust)``.
    """

    id: Identifier
    by: Identifier = Field(description="Id of the actor who pulls the lever.")
    kind: Literal["guarantee", "monitoring"]
    parties: list[Identifier] | None = Field(None, description="Parties affected (default: every party).")
    trust_gain: Uncertain = Field(description="Fraction of the gap to full trust closed, in [0, 1].")
    active: bool = Field(True, description="Part of the baseline negotiation.")
    cost: Number = Field(0.0, ge=0, description="Cost to the actor who pulls it, in the units of its budget.")
    note: Text | None = None


class Scenario(_Model):
    """A negotiation: who takes part, what is on the table, and what each side wants."""

    truce: Literal[1] = Field(1, description="Format version.")
    name: Text
    description: Text = ""
    sources: list[Source] = Field(default_factory=list)
    rounds: Annotated[int, Strict()] = Field(40, ge=1, le=100_000, description="Default deadline for protocols.")
    actors: list[Actor] = Field(min_length=2, max_length=1000)
    issues: list[Issue] = Field(min_length=1, max_length=200)
    levers: list[Lever] = Field(default_factory=list, description="Mediator levers (guarantees, monitoring).")
    notes: dict[str, Text] = Field(default_factory=dict, description="Scenario-wide notes and assumptions.")

    @model_validator(mode="after")
    def _cross_references(self) -> "Scenario":
        findings = list(_find_problems(self))
        if findings:
            raise Findings(findings)
        return self

    # --- lookups -----------------------------------------------------------
    @property
    def parties(self) -> list[Actor]:
        return [actor for actor in self.actors if actor.role == "party"]

    def issue(self, issue_id: str) -> OrderedIssue | CategoricalIssue | NumericIssue:
        return next(issue for issue in self.issues if issue.id == issue_id)

    def compile(self) -> "Problem":  # noqa: F821 - resolved at call time
        """Compile to the array form every engine works on."""
        from truce.problem import Problem

        return Problem.from_scenario(self)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        schema = cls.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = "truce scenario"
        return schema


def _duplicates(ids: list[str]) -> list[int]:
    seen: set[str] = set()
    repeated = []
    for index, identifier in enumerate(ids):
        if identifier in seen:
            repeated.append(index)
        seen.add(identifier)
    return repeated


def _find_problems(scenario: Scenario):
    """Yield (path, message) for every cross-reference problem."""
    for collection, items in (
        ("actors", scenario.actors),
        ("issues", scenario.issues),
        ("sources", scenario.sources),
        ("levers", scenario.levers),
    ):
        for index in _duplicates([item.id for item in items]):
            yield f"{collection}[{index}].id", f"duplicate id '{items[index].id}'; expected ids unique within {collection}"

    if len(scenario.parties) < 2:
        yield "actors", (
            f"found {len(scenario.parties)} actor(s) with role party; expected at least two parties "
            "(a party holds a veto over any agreement)"
        )

    issues = {issue.id: issue for issue in scenario.issues}
    for a, actor in enumerate(scenario.actors):
        where = f"actors[{a}]"
        if (message := _positive(actor.capability)) is not None:
            yield f"{where}.capability", message
        if (message := check_within(actor.reservation, 0.0, 1.0, high_open=True)) is not None:
            yield f"{where}.reservation", message
        for name in ("cost_of_delay", "trust", "exposure"):
            if (message := check_within(getattr(actor, name), 0.0, 1.0)) is not None:
                yield f"{where}.{name}", message
        if (message := check_within(actor.discount, 0.0, 1.0)) is not None or nominal(actor.discount) <= 0:
            yield f"{where}.discount", message or "found 0; expected a discount factor in (0, 1]"
        for field in actor.notes:
            if field not in Actor.model_fields:
                yield f"{where}.notes.{field}", f"unknown field '{field}'; expected one of {', '.join(Actor.model_fields)}"
        for issue_id, stance in actor.stances.items():
            spot = f"{where}.stances.{issue_id}"
            if issue_id not in issues:
                yield spot, f"unknown issue '{issue_id}'; expected one of {', '.join(issues)}"
                continue
            yield from _stance_problems(spot, stance, issues[issue_id])
        if actor.stances and all(nominal(stance.salience) == 0 for stance in actor.stances.values()):
            yield f"{where}.stances", "all saliences are zero; expected at least one salience > 0"
        if actor.role == "party" and not actor.stances:
            yield f"{where}.stances", "a party needs a stance on at least one issue"

    actor_ids = [actor.id for actor in scenario.actors]
    party_ids = [party.id for party in scenario.parties]
    for index, lever in enumerate(scenario.levers):
        where = f"levers[{index}]"
        if lever.by not in actor_ids:
            yield f"{where}.by", f"unknown actor '{lever.by}'; expected one of {', '.join(actor_ids)}"
        for p, party in enumerate(lever.parties or []):
            if party not in party_ids:
                yield f"{where}.parties[{p}]", f"unknown party '{party}'; expected one of {', '.join(party_ids)}"
        if (message := check_within(lever.trust_gain, 0.0, 1.0)) is not None:
            yield f"{where}.trust_gain", message


def _positive(value: float | Distribution) -> str | None:
    if isinstance(value, Distribution):
        low = value.support[0] if value.kind != "normal" else value.parameters[0]
        return None if low > 0 else f"found {value.describe()}; expected a distribution of values > 0"
    return None if value > 0 else f"found {value:g}; expected a value > 0"


def _stance_problems(spot: str, stance: Stance, issue):
    if (message := check_within(stance.salience, 0.0, 1.0)) is not None:
        yield f"{spot}.salience", message
    if isinstance(issue, NumericIssue):
        low, high = issue.range
        if isinstance(stance.position, str):
            yield f"{spot}.position", f"found '{stance.position}'; expected a number in [{low:g}, {high:g}] {issue.unit}".rstrip()
        elif (message := check_within(stance.position, low, high)) is not None:
            yield f"{spot}.position", f"{message} (the range of issue '{issue.id}')"
        if stance.tolerance is not None and (message := _positive(stance.tolerance)) is not None:
            yield f"{spot}.tolerance", message
        if isinstance(stance.values, dict):
            yield f"{spot}.values", "expected a list of [x, value] points for a numeric issue"
        elif stance.values is not None:
            xs = [x for x, _ in stance.values]
            if len(xs) < 2 or any(b <= a for a, b in zip(xs, xs[1:])):
                yield f"{spot}.values", f"found x = {xs}; expected at least two points with strictly increasing x"
            for p, (x, value) in enumerate(stance.values):
                if not low <= x <= high:
                    yield f"{spot}.values[{p}]", f"found x = {x:g}; expected x within [{low:g}, {high:g}]"
                if not 0 <= value <= 1:
                    yield f"{spot}.values[{p}]", f"found value {value:g}; expected a value in [0, 1]"
        return
    if not isinstance(stance.position, str) or stance.position not in issue.options:
        found = f"'{stance.position}'" if isinstance(stance.position, str) else f"{stance.position}"
        yield f"{spot}.position", f"found {found}; expected one of {', '.join(issue.options)}"
    if stance.tolerance is not None:
        yield f"{spot}.tolerance", f"tolerance applies to numeric issues only; issue '{issue.id}' is {issue.kind}"
    if isinstance(stance.values, list):
        yield f"{spot}.values", f"expected a table option -> value for {issue.kind} issue '{issue.id}'"
    elif stance.values is not None:
        for option, value in stance.values.items():
            if option not in issue.options:
                yield f"{spot}.values.{option}", f"unknown option '{option}'; expected one of {', '.join(issue.options)}"
            elif not 0 <= value <= 1:
                yield f"{spot}.values.{option}", f"found {value:g}; expected a value in [0, 1]"
