"""One reading of a what-if, shared by the CLI, the report and the web page.

Which lever helps most: among the variants whose paired 95% interval lies wholly above zero
(a change the runs can tell from no change), the one with the largest mean change. When no
variant's interval lies above zero, no lever helps significantly, and the reading says so with
the largest change and its interval, rather than naming a "best" lever whose effect the runs
cannot tell from zero. An interval is a normal interval on paired differences
(:class:`truce.mediation.whatif.Difference`); "significantly" means at the 5% level, one
comparison at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping


@dataclass(frozen=True)
class Change:
    """One variant's change in the ranking measure: mean and 95% interval, as shares (0.01 = 1 point)."""

    name: str
    """The variant's name as the engine gives it ("add guarantee", "donor: a + b")."""
    words: str
    """The same in words ("adding guarantee (Donor)")."""
    mean: float
    low: float
    high: float


@dataclass(frozen=True)
class LeverReading:
    """The what-if in one sentence, and the lever it names (None when none helps significantly)."""

    outcome: str
    """The measure, in words: "P(deal)" or "P(a deal that holds 90 days)"."""
    best: Change | None
    """The lever that helps most among those that help significantly."""
    largest: Change | None
    """The variant with the largest mean change, significant or not (None when nothing was compared)."""
    compared: int

    @property
    def helps(self) -> bool:
        return self.best is not None

    @property
    def sentence(self) -> str:
        if self.compared == 0 or self.largest is None:
            return "No lever could be compared with the baseline."
        if self.best is not None:
            best = self.best
            return (
                f"The lever that raises {self.outcome} most is {best.words}: {points(best.mean)} percentage points "
                f"(95% interval {points(best.low)} to {points(best.high)})."
            )
        top = self.largest
        return (
            f"No lever helps significantly: the largest change in {self.outcome}, from {top.words}, is "
            f"{points(top.mean)} percentage points (95% interval {points(top.low)} to {points(top.high)}, which includes no change)."
        )

    def to_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "best": None if self.best is None else self.best.name,
            "helps": self.helps,
            "largest": None if self.largest is None else self.largest.name,
            "compared": self.compared,
            "sentence": self.sentence,
        }


def points(share: float) -> str:
    """A change in a probability as signed percentage points: 0.034 -> "+3.4"."""
    return f"{share * 100:+.1f}"


def variant_in_words(name: str, kind: str, by: str | None, actor_names: Mapping[str, str] | None = None) -> str:
    """"add un_monitoring" -> "adding un_monitoring (United Nations)"; an actor's combination in words."""
    names = actor_names or {}
    who = names.get(by, by) if by else ""
    if kind == "combination":
        levers = name.split(": ", 1)[1] if ": " in name else name
        return f"{who or 'an actor'}'s best affordable combination ({levers})"
    verb, _, lever = name.partition(" ")
    if verb in ("add", "drop") and lever:
        return f"{'adding' if verb == 'add' else 'taking away'} {lever}" + (f" ({who})" if who else "")
    return name


def read_changes(changes: Iterable[Change], outcome: str) -> LeverReading:
    """The reading of the variants' changes (any order)."""
    changes = [change for change in changes if change.mean == change.mean]  # NaN means could not compare
    by_mean = sorted(changes, key=lambda change: -change.mean)
    clear = [change for change in by_mean if change.low > 0]
    return LeverReading(outcome=outcome, best=clear[0] if clear else None, largest=by_mean[0] if by_mean else None, compared=len(changes))


def read_whatif(result, actor_names: Mapping[str, str] | None = None) -> LeverReading:
    """The reading of a :class:`truce.mediation.whatif.WhatIfResult`, by the measure it ranks levers by."""
    ceasefire = result.ranked_by == "p_lasting_deal"
    outcome = f"P(a deal that holds {result.hold_days} days)" if ceasefire else "P(deal)"
    changes = []
    for variant in result.variants:
        difference = variant.delta_lasting if ceasefire else variant.delta_deal
        if difference is not None:
            words = result.words(variant) if hasattr(result, "words") else variant_in_words(variant.name, variant.kind, variant.by, actor_names)
            changes.append(Change(variant.name, words, difference.mean, difference.low, difference.high))
    return read_changes(changes, outcome)
