"""The scenario: who takes part, what is on the table, what each side wants."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field, Strict, model_validator

from truce.scenario.schema.actors import Actor
from truce.scenario.distributions import Uncertain
from truce.scenario.schema.common import Findings, Identifier, Number, Source, Text, _Model, number_bounds
from truce.scenario.schema.issues import CategoricalIssue, Issue, NumericIssue, OrderedIssue
from truce.scenario.schema.levers import Durability, Lever

if TYPE_CHECKING:
    from truce.problem import Problem

class Talks(_Model):
    """How talks can end without a deal besides the deadline: a risk of breakdown after every
    round without agreement (Binmore, Rubinstein & Wolinsky 1986)."""

    breakdown_risk: Uncertain = Field(
        0.0,
        description="Probability, in [0, 1], that talks break down after the first round without agreement "
        "(violence, a walk-out, a collapse of the mediation).",
    )
    breakdown_growth: Uncertain = Field(
        0.0,
        description="What that probability grows by each further round, >= 0 (escalation, outside pressure): "
        "the risk after round t is min(1, breakdown_risk + breakdown_growth t).",
    )
    round_days: Number = Field(
        1.0, gt=0, description="Days one round of talks takes, > 0 (default 1): compares the talks with a phase's term_days."
    )
    notes: dict[str, Text] = Field(default_factory=dict, description="Per field name: where the number comes from.")


class Phase(_Model):
    """One phase of a phased agreement: the issues it settles and how long it lasts.

    Phase 1 is negotiated first, with the issues of later phases left open
    (deferred); each later phase is negotiated while the phase before it
    holds, and comes into force only if it is signed before that phase
    breaks down or its fixed term expires. A fixed-term phase that expires
    has not broken down.
    """

    id: Identifier
    name: Text = ""
    issues: list[Identifier] = Field(min_length=1, max_length=200, description="Ids of the issues this phase settles.")
    term_days: Number | None = Field(
        None, json_schema_extra=number_bounds(exclusiveMinimum=0), description="Fixed term in days, > 0: the phase ends by expiry after this many days unless it breaks down "
        "or the next phase replaces it first (default: open-ended)."
    )
    note: Text | None = Field(None, description="Where the phase and its term come from.")
    sources: list[Identifier] = Field(default_factory=list, description="Ids of the scenario's sources the phase follows.")


class Scenario(_Model):
    """A negotiation: who takes part, what is on the table, and what each side wants."""

    truce: Literal[1] = Field(1, description="Format version.")
    name: Text
    description: Text = ""
    kind: Literal["ceasefire", "negotiation"] | None = Field(
        None,
        description="ceasefire: the durability model applies to a signed deal; negotiation: it does not. "
        "Default: a ceasefire when the scenario has a durability block or any option carries a provision.",
    )
    date: datetime.date | None = Field(
        None, description="The date the scenario describes the talks as of (YYYY-MM-DD); every dated source must be on or before it."
    )
    sources: list[Source] = Field(default_factory=list)
    rounds: Annotated[int, Strict()] = Field(
        40,
        ge=1,
        description="The most rounds talks last: the deadline of the protocols; with a breakdown risk (talks) "
        "talks end by themselves and this is only a safety cap. At most TRUCE_MAX_ROUNDS (100,000 by default), "
        "checked as the file loads.",
    )
    talks: Talks = Field(default_factory=Talks, description="Breakdown risk of the talks.")
    actors: list[Actor] = Field(min_length=2, max_length=1000)
    issues: list[Issue] = Field(min_length=1, max_length=200)
    levers: list[Lever] = Field(default_factory=list, description="What mediators and stakeholders can do.")
    durability: Durability | None = Field(None, description="Overrides of the durability model's defaults.")
    phases: list[Phase] = Field(
        default_factory=list,
        max_length=20,
        description="A phased agreement: phases in the order they are negotiated, each settling its issues "
        "(every issue in exactly one phase; issues of later phases deferrable). Empty: one agreement on every issue.",
    )
    notes: dict[str, Text] = Field(default_factory=dict, description="Scenario-wide notes and assumptions.")

    @model_validator(mode="after")
    def _cross_references(self) -> "Scenario":
        from truce.scenario.schema.checks import find_problems

        findings = list(find_problems(self))
        if findings:
            raise Findings(findings)
        return self

    # --- lookups -----------------------------------------------------------
    @property
    def is_ceasefire(self) -> bool:
        """Whether the durability model applies: declared by ``kind``, else implied by a durability block or a provision."""
        if self.kind is not None:
            return self.kind == "ceasefire"
        return self.durability is not None or any(issue.provisions for issue in self.issues)

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

