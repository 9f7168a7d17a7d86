"""The result of a phased simulation: per phase and per run, whether it came into force, when,
on what terms, how long it held and how it ended."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from truce.analysis.zopa import wilson_interval
from truce.simulate.durability import CHECKPOINTS, DurabilityResult
from truce.simulate.results import SimulationResult

TALK_ENDS = ("signed", "previous phase ended", "broke down", "walked away", "cap")
"""How the talks on a phase ended, in the runs in which they opened (``talk_end`` codes index this)."""
PHASE_ENDS = ("breakdown", "expiry", "next phase", "holding")
"""How a phase in force ended (``ended_by`` codes index this); ``holding``: never (open-ended, no durability model)."""


def _quantiles(values: np.ndarray) -> dict[str, float | None]:
    if not len(values):
        return {"mean": None, "p10": None, "median": None, "p90": None}
    p10, median, p90 = np.quantile(values, [0.1, 0.5, 0.9])
    return {"mean": float(values.mean()), "p10": float(p10), "median": float(median), "p90": float(p90)}


@dataclass(frozen=True, eq=False)
class PhaseResult:
    """One phase over all N runs."""

    id: str
    name: str
    issue_ids: tuple[str, ...]
    term_days: float
    """Fixed term in days, inf when open-ended."""
    talks: np.ndarray
    """(N,) bool: its talks opened (phase 1: every run; later: the phase before came into force)."""
    reached: np.ndarray
    """(N,) bool: signed in time, so in force."""
    round: np.ndarray
    """(N,) round of its talks (0-based) in which it was signed, -1 otherwise."""
    day_signed: np.ndarray
    """(N,) day it came into force, counted from the start of phase 1's talks (NaN if never)."""
    talk_end: np.ndarray
    """(N,) index into TALK_ENDS, -1 where its talks never opened."""
    packages: np.ndarray
    """(N, n_issues) the package in force once signed (earlier phases' terms, its own, later issues deferred), -1 otherwise."""
    utilities: np.ndarray
    """(N, n_parties) each party's utility of that package (with side payments), NaN otherwise."""
    breakdown_day: np.ndarray
    """(N,) days from its signature to breakdown, inf when it would expire first (or there is no durability model)."""
    end_day: np.ndarray
    """(N,) days from its signature to breakdown or expiry, whichever first (inf: neither)."""
    durability: DurabilityResult | None
    """The durability model's result on the package in force (None when the scenario is no ceasefire)."""
    days_in_force: np.ndarray | None = None
    """(N,) days it held: until breakdown, expiry or the next phase's signature (inf: still holding)."""
    ended_by: np.ndarray | None = None
    """(N,) index into PHASE_ENDS, -1 where it never came into force."""

    @property
    def runs(self) -> int:
        return len(self.reached)

    @property
    def p_reached(self) -> float:
        return float(self.reached.mean())

    @property
    def p_signed_given_talks(self) -> float:
        """P(signed in time | its talks opened); NaN when they never opened."""
        opened = int(self.talks.sum())
        return float(self.reached.sum() / opened) if opened else float("nan")

    def talk_end_shares(self) -> dict[str, float] | None:
        opened = self.talks.sum()
        if not opened:
            return None
        return {name: float((self.talk_end[self.talks] == code).sum() / opened) for code, name in enumerate(TALK_ENDS)}

    def ended_by_shares(self) -> dict[str, float] | None:
        reached = self.reached.sum()
        if not reached:
            return None
        return {name: float((self.ended_by[self.reached] == code).sum() / reached) for code, name in enumerate(PHASE_ENDS)}

    def median_days_in_force(self) -> float | None:
        """Median days it held among runs in which it came into force (inf: most still hold)."""
        return float(np.median(self.days_in_force[self.reached])) if self.reached.any() else None

    def to_dict(self, option_labels: tuple[tuple[str, ...], ...], issue_index: dict[str, int]) -> dict:
        low, high = wilson_interval(int(self.reached.sum()), self.runs)
        signed = self.p_signed_given_talks
        median = self.median_days_in_force()
        holds = None
        if self.durability is not None and self.reached.any():
            holds = {str(day): self.durability.p_holds(day)[0] for day in CHECKPOINTS}
        breakdown = None if self.durability is None else self.durability.median_days()
        return {
            "id": self.id,
            "name": self.name,
            "issues": list(self.issue_ids),
            "term_days": None if np.isinf(self.term_days) else self.term_days,
            "p_talks": float(self.talks.mean()),
            "p_signed_given_talks": None if np.isnan(signed) else signed,
            "p_reached": self.p_reached,
            "p_reached_interval": [low, high],
            "rounds_to_signing": _quantiles(self.round[self.reached] + 1.0),
            "day_signed": _quantiles(self.day_signed[self.reached]),
            "talks_ended": self.talk_end_shares(),
            "ended_by": self.ended_by_shares(),
            "median_days_in_force": None if median is None or np.isinf(median) else median,
            "median_days_to_breakdown": None if breakdown is None or np.isinf(breakdown) else breakdown,
            "p_holds": holds,
            "most_common_terms": self.most_common_terms(option_labels, issue_index),
        }

    def most_common_terms(self, option_labels, issue_index: dict[str, int]) -> dict | None:
        """The terms of this phase's own issues agreed most often, and their share of its signatures."""
        if not self.reached.any():
            return None
        columns = [issue_index[i] for i in self.issue_ids]
        unique, counts = np.unique(self.packages[self.reached][:, columns], axis=0, return_counts=True)
        top = unique[np.argmax(counts)]
        return {"terms": {i: option_labels[j][top[n]] for n, (i, j) in enumerate(zip(self.issue_ids, columns))}, "share": float(counts.max() / self.reached.sum())}


@dataclass(frozen=True, eq=False)
class PhasedResult:
    """A phased simulation: phase 1's talks in full (``first``, a SimulationResult) and every phase's figures."""

    phases: tuple[PhaseResult, ...]
    first: SimulationResult
    runs: int
    seed: int
    party_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    option_labels: tuple[tuple[str, ...], ...]
    round_days: float = 1.0

    def in_force_after(self, days: float) -> np.ndarray:
        """(N,) bool: some phase is in force ``days`` after phase 1 came into force (a phase that
        broke down, or expired without the next one signed, is not in force)."""
        start = self.phases[0].day_signed
        when = start + days
        held = np.zeros(self.runs, dtype=bool)
        for phase in self.phases:
            since = np.where(phase.reached, phase.day_signed, np.inf)
            until = since + np.where(phase.reached, phase.days_in_force, 0.0)
            held |= phase.reached & (since <= when + 1e-9) & (when < until - 1e-9)
        return held & self.phases[0].reached

    def phases_to_dict(self) -> list[dict]:
        index = {issue: j for j, issue in enumerate(self.issue_ids)}
        return [phase.to_dict(self.option_labels, index) for phase in self.phases]

    def to_dict(self) -> dict:
        """Phase 1's talks as :meth:`SimulationResult.to_dict` gives them, with ``phases``: one entry per phase."""
        return {**self.first.to_dict(), "round_days": self.round_days, "phases": self.phases_to_dict()}

    def to_frame(self) -> pd.DataFrame:
        """One row per run: phase 1's talks (as SimulationResult.to_frame), then per phase whether it came into
        force, the day it did, how its talks ended, how many days it held and how it ended."""
        frame = self.first.to_frame()
        talk_labels = np.array(TALK_ENDS + ("",), dtype=object)
        end_labels = np.array(PHASE_ENDS + ("",), dtype=object)
        for phase in self.phases:
            frame[f"{phase.id}_reached"] = phase.reached
            frame[f"{phase.id}_day_signed"] = phase.day_signed
            frame[f"{phase.id}_talks_ended"] = talk_labels[phase.talk_end]
            frame[f"{phase.id}_days_in_force"] = phase.days_in_force
            frame[f"{phase.id}_ended_by"] = end_labels[phase.ended_by]
        for j, issue in enumerate(self.issue_ids):
            labels = np.array(self.option_labels[j] + ("",), dtype=object)
            last = np.full(self.runs, -1)
            for phase in self.phases:
                last = np.where(phase.reached, phase.packages[:, j], last)
            frame[f"{issue}_in_force"] = labels[last]
        return frame
