"""Issues: ordered, categorical and numeric, and the ceasefire provisions an option carries."""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import Discriminator, Field, StringConstraints, Tag, model_validator

from truce.scenario.schema.common import MAX_OPTIONS_PER_ISSUE, Identifier, Number, Text, _Model

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
    "peacekeepers",
    "observers",
    "remote_verification",
)
"""Ceasefire provision vocabulary (shared/models/CEASEFIRE.md section 1.4): the first three set the
ceasefire class of Clayton & Sticher (2021); the others are mechanisms that change the hazard
(``leverage`` is added by active pressure and side payments: Beardsley 2008). Monitoring comes by
kind: ``peacekeepers`` (an armed force between the sides), ``observers`` (unarmed monitors on the
ground), ``remote_verification`` (an operations room, hotlines, no presence on the ground);
``monitoring`` is monitoring of a kind not stated."""

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
    deferrable: bool = Field(
        False,
        description="A package may leave this issue open: it gets one more option, 'deferred', worth each party "
        "its stance's `deferred` value (default: the party's no-deal value) and carrying no provisions.",
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
            raise ValueError(f"found range {list(self.range)}; expected [low, high] with low < high")
        return self

    @property
    def grid_size(self) -> int:
        low, high = self.range
        # capped so that a range over a tiny step (1e308 / 1e-308) stays a count, not an overflow
        points = int(min(np.floor((high - low) / self.step + 1e-9), 2.0**62)) + 1
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

