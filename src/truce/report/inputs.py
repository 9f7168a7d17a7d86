"""The shapes the report reads the levers, sensitivity and durability results through.

The engines (``mediation.whatif``, ``mediation.sensitivity``,
``simulate.durability``) return their own result objects; each shape here
takes one with a ``from_...`` adapter (or a plain dict with ``from_dict``,
for results stored as JSON), so that the figure builders depend on these
few attributes only. Nothing here computes a figure: every number is one
an engine produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from truce.mediation.reading import Change, LeverReading, read_changes, variant_in_words


@dataclass(frozen=True)
class LeverEffect:
    """How much pulling one lever changes P(deal), with a 95% interval."""

    lever: str
    """The lever's id in the scenario."""
    label: str
    """In words, e.g. "Egypt: guarantee"."""
    change: float
    """P(deal) with the lever minus P(deal) without it."""
    low: float
    high: float


@dataclass(frozen=True)
class LeverEffects:
    """Every lever's effect on P(deal), against the same baseline runs."""

    baseline: float
    """The outcome without any lever beyond those active in the scenario."""
    effects: tuple[LeverEffect, ...]
    runs: int
    note: str = ""
    outcome: str = "P(deal)"
    """What the effects change, in words."""

    @classmethod
    def from_whatif(cls, result) -> "LeverEffects":
        """From :class:`truce.mediation.whatif.WhatIfResult`: each variant's change in the measure the
        engine ranks levers by (P(a deal that lasts) for a ceasefire, else P(deal))."""
        ceasefire = result.ranked_by == "p_lasting_deal"
        measure = (lambda v: v.delta_lasting) if ceasefire else (lambda v: v.delta_deal)
        effects = tuple(
            LeverEffect(
                lever=v.name, label=result.words(v) if hasattr(result, "words") else variant_in_words(v.name, v.kind, v.by, getattr(result, "actor_names", None)),
                change=measure(v).mean, low=measure(v).low, high=measure(v).high,
            )
            for v in result.variants
            if measure(v) is not None
        )
        return cls(
            baseline=result.baseline.p_lasting if ceasefire else result.baseline.p_deal,
            effects=effects,
            runs=result.runs,
            outcome=f"P(a deal that holds {result.hold_days} days)" if ceasefire else "P(deal)",
            note="Common random numbers: every variant replays the baseline's draws.",
        )

    @property
    def ranked(self) -> tuple[LeverEffect, ...]:
        """Largest change first."""
        return tuple(sorted(self.effects, key=lambda effect: -effect.change))

    @property
    def reading(self) -> LeverReading:
        """The same reading as the CLI's and the page's (:mod:`truce.mediation.reading`)."""
        return read_changes((Change(e.lever, e.label, e.change, e.low, e.high) for e in self.effects), self.outcome)

    @property
    def best(self) -> LeverEffect | None:
        """The lever that helps most among those whose 95% interval lies above zero; None when none does."""
        best = self.reading.best
        return None if best is None else next(e for e in self.effects if e.lever == best.name)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "LeverEffects":
        return cls(
            baseline=float(data["baseline"]),
            effects=tuple(LeverEffect(**{k: effect[k] for k in ("lever", "label", "change", "low", "high")}) for effect in data["effects"]),
            runs=int(data["runs"]),
            note=str(data.get("note", "")),
            outcome=str(data.get("outcome", "P(deal)")),
        )


@dataclass(frozen=True)
class SensitivityBar:
    """P(deal) when one input is set to the low and to the high end of its range."""

    input: str
    """The input in words, e.g. "Hamas: no-deal value"."""
    low_input: str
    high_input: str
    """The two input values, as text (e.g. "0.50", "0.68")."""
    at_low: float
    at_high: float


@dataclass(frozen=True)
class Sensitivity:
    """One-at-a-time sensitivity of an outcome (a tornado chart)."""

    baseline: float
    bars: tuple[SensitivityBar, ...]
    outcome: str = "P(deal)"
    ends: str = "the low and the high end of its stated range"
    """Where each input is held, in words."""

    @property
    def ranked(self) -> tuple[SensitivityBar, ...]:
        """Widest swing first."""
        return tuple(sorted(self.bars, key=lambda bar: -abs(bar.at_high - bar.at_low)))

    @classmethod
    def from_one_at_a_time(cls, result) -> "Sensitivity":
        """From :class:`truce.mediation.sensitivity.OneAtATime` (each input at its 10th and 90th percentile)."""
        bars = tuple(
            SensitivityBar(s.label or s.input, f"{s.low_value:.3g}", f"{s.high_value:.3g}", s.p_deal_low, s.p_deal_high) for s in result.swings
        )
        return cls(baseline=result.baseline, bars=bars, ends="the 10th and the 90th percentile of its stated distribution")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Sensitivity":
        keys = ("input", "low_input", "high_input", "at_low", "at_high")
        return cls(
            baseline=float(data["baseline"]),
            bars=tuple(SensitivityBar(**{k: bar[k] for k in keys}) for bar in data["bars"]),
            outcome=str(data.get("outcome", "P(deal)")),
        )


@dataclass(frozen=True, eq=False)
class Survival:
    """The share of signed ceasefires still holding after each day, with a 95% band."""

    days: np.ndarray
    """(T,) increasing days after signature, starting at 0."""
    survival: np.ndarray
    """(T,) share still holding, non-increasing, 1 at day 0."""
    low: np.ndarray | None = None
    high: np.ndarray | None = None
    runs: int = 0
    horizon: int = 90
    """The day the summary quotes ("P(holds 90 days)")."""
    notes: tuple[str, ...] = field(default=())
    at_horizon: tuple[float, float, float] | None = None
    """The engine's own estimate at the horizon (share, 95% low, high), when it gives one."""

    @classmethod
    def from_durability(cls, result, horizon: int = 90) -> "Survival | None":
        """From :class:`truce.simulate.durability.DurabilityResult`; None when no deal was signed (nothing to show)."""
        if not result.signed.any():
            return None
        days, curve = result.survival_curve()
        share, (low, high) = result.p_holds(horizon)
        return cls(
            days=np.asarray(days, dtype=float),
            survival=np.asarray(curve, dtype=float),
            runs=int(result.signed.sum()),
            horizon=horizon,
            at_horizon=(share, low, high),
            notes=("The curve is the expected share still holding; the figure at the horizon counts the simulated breakdowns.",),
        )

    def holds(self, day: float | None = None) -> tuple[float, float | None, float | None]:
        """P(still holding at ``day``) (default: the horizon) and its interval: the engine's estimate
        at the horizon when given, else read off the step curve."""
        if (day is None or day == self.horizon) and self.at_horizon is not None:
            return self.at_horizon
        day = self.horizon if day is None else day
        index = int(np.searchsorted(self.days, day, side="right")) - 1
        index = max(index, 0)
        low = None if self.low is None else float(self.low[index])
        high = None if self.high is None else float(self.high[index])
        return float(self.survival[index]), low, high

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Survival":
        def array(key: str) -> np.ndarray | None:
            values: Sequence[float] | None = data.get(key)
            return None if values is None else np.asarray(values, dtype=float)

        return cls(
            days=np.asarray(data["days"], dtype=float),
            survival=np.asarray(data["survival"], dtype=float),
            low=array("low"),
            high=array("high"),
            runs=int(data.get("runs", 0)),
            horizon=int(data.get("horizon", 90)),
            notes=tuple(data.get("notes", ())),
        )
