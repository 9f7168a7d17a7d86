"""Actors (parties, mediators, stakeholders) and their stances on issues."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, StringConstraints

from truce.scenario.distributions import Uncertain, in_words
from truce.scenario.schema.common import Identifier, Number, Text, _Model, number_bounds
from truce.scenario.schema.red_lines import RedLine

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
    deferred: Number | None = Field(
        None,
        json_schema_extra=number_bounds(minimum=0, maximum=1),
        description="Deferrable issues: what leaving the issue open is worth to this party, in [0, 1] "
        "(default: the party's no-deal value, so a package that defers everything is worth exactly no deal).",
    )
    red_line: RedLine | None = Field(
        None,
        description="Parties: options this party will never accept on the issue, whatever else a package gives it "
        "(never: [options], at_least, at_most); a package that crosses it is outside the zone of agreement.",
    )
    note: Text | None = Field(None, description="Where the position and salience come from.")

    def in_words(self) -> tuple[str, str]:
        """Position and salience as text, a distribution written in words (for tables and the report)."""
        position = self.position if isinstance(self.position, str) else in_words(self.position)
        return position, in_words(self.salience)


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
    bargaining_power: Number = Field(
        1.0,
        gt=0,
        description="Parties: weight in the asymmetric Nash bargaining solution, > 0 (default 1: equal power). "
        "Only the ratios between parties matter.",
    )
    budget: Number | None = Field(
        None, ge=0, description="Mediators, stakeholders: what they can spend on levers (same units as lever costs)."
    )
    stances: dict[Identifier, Stance] = Field(default_factory=dict, description="Per issue id.")
    notes: dict[str, Text] = Field(
        default_factory=dict,
        description="Per field name (capability, reservation, cost_of_delay, trust, ...): where the number comes from.",
    )

