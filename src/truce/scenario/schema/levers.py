"""Mediator levers and the durability model's overrides."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from truce.scenario.defaults import DISSATISFACTION_RATIO_AT_NO_GAIN
from truce.scenario.distributions import Uncertain
from truce.scenario.schema.common import Identifier, Number, Text, _Model
from truce.scenario.schema.issues import Provision

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
    monitoring_kind: Literal["peacekeepers", "observers", "remote_verification"] | None = Field(
        None,
        description="monitoring: who monitors (its provision and hazard ratio after signature); default: kind not stated (provision monitoring).",
    )
    active: bool = Field(True, description="Part of the baseline negotiation (what-if switches levers on and off).")
    cost: Number = Field(0.0, ge=0, description="Cost to the actor who pulls it, in the units of its budget.")
    note: Text | None = None


class Dissatisfaction(_Model):
    """How a deal's margin over no deal changes its violation hazard."""

    reference_gain: Number = Field(0.2, gt=0, le=1, description="A party whose gain over no deal reaches this adds no hazard.")
    hazard_ratio_at_no_gain: Uncertain = Field(
        DISSATISFACTION_RATIO_AT_NO_GAIN,
        description="Hazard multiplier from a party whose deal is worth exactly no deal (default 1: off, the baseline already contains it).",
    )


class Durability(_Model):
    """Overrides of the ceasefire durability model's defaults (see docs/explanation/durability.md)."""

    median_days: dict[Literal["cessation", "preliminary", "definitive"], Uncertain] = Field(
        default_factory=dict, description="Median days to breakdown by ceasefire class with no further mechanism (the Weibull baseline's median)."
    )
    shape: dict[Literal["cessation", "preliminary", "definitive"], Uncertain] = Field(
        default_factory=dict, description="Weibull shape of each class's baseline, > 0 (below 1: the risk of breakdown falls with time)."
    )
    term_days: Number | None = Field(None, gt=0, description="A fixed-term pause: it ends by expiry after this many days unless it breaks down first.")
    term_issue: Identifier | None = Field(
        None, description="A numeric issue, in days, whose agreed value is the pause's fixed term (overrides term_days per deal)."
    )
    hazard_ratios: dict[Provision, Uncertain] = Field(
        default_factory=dict, description="Hazard multiplier of each provision relative to the class baseline, > 0."
    )
    spoiler_hazard: Uncertain | None = Field(None, description="Daily hazard added by spoilers, whatever the deal, >= 0.")
    dissatisfaction: Dissatisfaction | None = None
    horizon_days: Annotated[int, Strict()] = Field(365, ge=1, le=3650, description="Length of the survival curve.")
    note: Text | None = None

