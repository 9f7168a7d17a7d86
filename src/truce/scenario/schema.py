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


PROVISIONS = (
    "cessation",
    "preliminary",
    "definitive",
    "monitoring",
    "third_party_guarantee",
    "withdrawal_buffer",
    "joint_commission",
    "phasing",
    "specific_text",
    "leverage",
)
"""Ceasefire provision vocabulary (shared/models/CEASEFIRE.md section 1.4): the first three set the
ceasefire class of Clayton & Sticher (2021); the others are mechanisms that change the hazard
(``leverage`` is added by active pressure and side payments: Beardsley 2008)."""

Provision = Literal[PROVISIONS]


class _IssueBase(_Model):
    id: Identifier = Field(description="Unique issue id, [a-z0-9_-]+; stances are keyed by it.")
    name: Text = Field(description="Human-readable name.")
    description: Text = ""
    note: Text | None = Field(None, description="Where the issue and its options come from.")
    provisions: dict[str, list[Provision]] = Field(
        default_factory=dict,
        description="Ordered and categorical issues: option -> the ceasefire provisions a deal on it contains (durability).",
    )


class _OptionIssue(_IssueBase):
    options: list[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = Field(
        min_length=2, max_length=MAX_OPTIONS_PER_ISSUE
    )

    @property
    def labels(self) -> list[str]:
        return list(self.options)


class OrderedIssue(_OptionIssue):
    """Named options with a natural order (e.g. maintained < eased < lifted)."""

    kind: Literal["ordered"]


class CategoricalIssue(_OptionIssue):
    """Named options without an order; actors value them through a ``values`` table."""

    kind: Literal["categorical"]


class NumericIssue(_IssueBase):
    """A quantity on a range, discretised on a grid of ``step`` for the discrete engines."""

    kind: Literal["numeric"]
    unit: Text = ""
    range: tuple[Number, Number] = Field(description="[low, high] of the quantity.")
    step: Number = Field(gt=0, description="Grid spacing used by the discrete engines.")

    @model_validator(mode="after")
    def _range(self) -> "NumericIssue":
        if not self.range[0] < self.range[1]:
            raise ValueError(f"range [low, high] needs low < high; found {list(self.range)}")
        return self

    @property
    def grid_size(self) -> int:
        low, high = self.range
        points = int(np.floor((high - low) / self.step + 1e-9)) + 1
        return points + (high - (low + self.step * (points - 1)) > 1e-9 * max(1.0, abs(high)))

    @property
    def grid(self) -> np.ndarray:
        """The grid points: low, low + step, ..., and high itself."""
        low, high = self.range
        grid = low + self.step * np.arange(int(np.floor((high - low) / self.step + 1e-9)) + 1)
        return np.append(grid, high) if self.grid_size > len(grid) else grid

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
    budget: Number | None = Field(
        None, ge=0, description="Mediators, stakeholders: what they can spend on levers (same units as lever costs)."
    )
    stances: dict[Identifier, Stance] = Field(default_factory=dict, description="Per issue id.")
    notes: dict[str, Text] = Field(
        default_factory=dict,
        description="Per field name (capability, reservation, cost_of_delay, trust, ...): where the number comes from.",
    )


LEVER_EFFECTS: dict[str, tuple[str, ...]] = {
    "guarantee": ("trust_gain",),
    "monitoring": ("trust_gain",),
    "pressure": ("cost_of_delay", "reservation_drop"),
    "side_payment": ("side_payment",),
    "phasing": ("exposure_factor",),
    "single_text": (),
}
"""The effect fields each kind of lever may set."""

LEVER_PROVISIONS: dict[str, str] = {
    "guarantee": "third_party_guarantee",
    "monitoring": "monitoring",
    "phasing": "phasing",
    "pressure": "leverage",
    "side_payment": "leverage",
}
"""The ceasefire provision an active lever adds to any deal (for durability)."""


class Lever(_Model):
    """Something a mediator or stakeholder can do to change the negotiation.

    - ``guarantee`` (a third party guarantees compliance) and ``monitoring``
      (observers on the ground) raise the parties' trust: each closes the
      fraction ``trust_gain`` of the gap to full trust; after signature they
      add their provision to the deal (durability).
    - ``pressure`` raises the parties' ``cost_of_delay`` (added per round)
      and/or lowers their no-deal value by ``reservation_drop``.
    - ``side_payment`` adds ``side_payment`` to a party's utility if an
      agreement is signed (aid, reconstruction finance).
    - ``phasing`` implements the deal in phases: each party's exposure to
      defection is multiplied by ``exposure_factor``.
    - ``single_text``: the actor hosts the talks and runs the single
      negotiating text protocol.
    """

    id: Identifier
    by: Identifier = Field(description="Id of the actor who pulls the lever.")
    kind: Literal["guarantee", "monitoring", "pressure", "side_payment", "phasing", "single_text"]
    parties: list[Identifier] | None = Field(None, description="Parties affected (default: every party).")
    trust_gain: Uncertain | None = Field(None, description="guarantee, monitoring: share of the gap to full trust closed, in [0, 1].")
    cost_of_delay: Uncertain | None = Field(None, description="pressure: added to each affected party's cost of delay per round, in [0, 1].")
    reservation_drop: Uncertain | None = Field(None, description="pressure: subtracted from each affected party's no-deal value, in [0, 1].")
    side_payment: Uncertain | None = Field(None, description="side_payment: utility added to each affected party if a deal is signed, in [0, 1].")
    exposure_factor: Uncertain | None = Field(None, description="phasing: multiplies each affected party's exposure, in [0, 1].")
    active: bool = Field(True, description="Part of the baseline negotiation (what-if switches levers on and off).")
    cost: Number = Field(0.0, ge=0, description="Cost to the actor who pulls it, in the units of its budget.")
    note: Text | None = None


class Dissatisfaction(_Model):
    """How a deal's margin over no deal changes its violation hazard."""

    reference_gain: Number = Field(0.2, gt=0, le=1, description="A party whose gain over no deal reaches this adds no hazard.")
    hazard_ratio_at_no_gain: Uncertain = Field(2.0, description="Hazard multiplier from a party whose deal is worth exactly no deal.")


class Durability(_Model):
    """Overrides of the ceasefire durability model's defaults (see docs/explanation/durability.md)."""

    median_days: dict[Literal["cessation", "preliminary", "definitive"], Uncertain] = Field(
        default_factory=dict, description="Median days to breakdown by ceasefire class (constant baseline hazard ln 2 / median)."
    )
    hazard_ratios: dict[Provision, Uncertain] = Field(default_factory=dict, description="Hazard multiplier of each provision, > 0.")
    spoiler_hazard: Uncertain | None = Field(None, description="Daily hazard added by spoilers, whatever the deal, >= 0.")
    dissatisfaction: Dissatisfaction | None = None
    horizon_days: Annotated[int, Strict()] = Field(365, ge=1, le=3650, description="Length of the survival curve.")
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
    levers: list[Lever] = Field(default_factory=list, description="What mediators and stakeholders can do.")
    durability: Durability | None = Field(None, description="Overrides of the durability model's defaults.")
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
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(f"no issue '{issue_id}'; issues are {', '.join(i.id for i in self.issues)}")

    def compile(self) -> "Problem":  # noqa: F821 - resolved at call time
        """Compile to the array form every engine works on."""
        from truce.problem import Problem

        return Problem.from_scenario(self)

    def forecast(self, model: str = "smp", **options):
        """Where each issue settles (see :meth:`truce.Problem.forecast`)."""
        return self.compile().forecast(model, **options)

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

    for i, issue in enumerate(scenario.issues):
        if isinstance(issue, NumericIssue) and issue.grid_size > MAX_OPTIONS_PER_ISSUE:
            yield f"issues[{i}].step", (
                f"found {issue.step:g}, which gives {issue.grid_size} grid points over {list(issue.range)}; "
                f"expected at most {MAX_OPTIONS_PER_ISSUE} (use a larger step)"
            )
        if not isinstance(issue, NumericIssue):
            for index in _duplicates(list(issue.options)):
                yield f"issues[{i}].options[{index}]", f"duplicate option '{issue.options[index]}'; expected option names unique"
        for option in issue.provisions:
            if isinstance(issue, NumericIssue):
                yield f"issues[{i}].provisions", "provisions are given per option of ordered and categorical issues"
                break
            if option not in issue.options:
                yield f"issues[{i}].provisions.{option}", f"unknown option '{option}'; expected one of {', '.join(issue.options)}"
    if scenario.durability is not None:
        for name, value in scenario.durability.median_days.items():
            if (message := _positive(value)) is not None:
                yield f"durability.median_days.{name}", message
        for name, value in scenario.durability.hazard_ratios.items():
            if (message := _positive(value)) is not None:
                yield f"durability.hazard_ratios.{name}", message
        if scenario.durability.spoiler_hazard is not None and (message := check_within(scenario.durability.spoiler_hazard, 0.0, 1.0)) is not None:
            yield "durability.spoiler_hazard", message
        dissatisfaction = scenario.durability.dissatisfaction
        if dissatisfaction is not None and (message := _positive(dissatisfaction.hazard_ratio_at_no_gain)) is not None:
            yield "durability.dissatisfaction.hazard_ratio_at_no_gain", message

    actor_ids = [actor.id for actor in scenario.actors]
    party_ids = [party.id for party in scenario.parties]
    for index, lever in enumerate(scenario.levers):
        where = f"levers[{index}]"
        if lever.by not in actor_ids:
            yield f"{where}.by", f"unknown actor '{lever.by}'; expected one of {', '.join(actor_ids)}"
        for p, party in enumerate(lever.parties or []):
            if party not in party_ids:
                yield f"{where}.parties[{p}]", f"unknown party '{party}'; expected one of {', '.join(party_ids)}"
        allowed = LEVER_EFFECTS[lever.kind]
        given = [name for name in ("trust_gain", "cost_of_delay", "reservation_drop", "side_payment", "exposure_factor") if getattr(lever, name) is not None]
        for name in given:
            if name not in allowed:
                yield f"{where}.{name}", f"a {lever.kind} lever has no {name}; expected only {', '.join(allowed) or 'no effect fields'}"
            elif (message := check_within(getattr(lever, name), 0.0, 1.0)) is not None:
                yield f"{where}.{name}", message
        if allowed and not any(name in allowed for name in given):
            yield where, f"a {lever.kind} lever needs its effect: {' and/or '.join(allowed)}"
        if lever.kind == "single_text" and lever.by in actor_ids and scenario.actors[actor_ids.index(lever.by)].role != "mediator":
            yield f"{where}.by", f"'{lever.by}' is not a mediator; expected the id of an actor with role mediator"


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
        best = max(stance.values.values(), default=0.0)
        if isinstance(stance.position, str) and stance.values.get(stance.position, 0.0) < best:
            yield f"{spot}.position", (
                f"found '{stance.position}', worth {stance.values.get(stance.position, 0.0):g} in the values table; "
                f"expected the position to be an option of highest value ({best:g})"
            )
