"""Ceasefire durability after signature: a proportional-hazards survival model.

For each signed deal (one per Monte Carlo run) the daily hazard of
breakdown is constant (an exponential survival time):

    h = ln 2 / median_days[class] x prod_k HR_k x prod_p D_p + spoiler

1. The deal's *class* follows Clayton & Sticher (2021): definitive if any
   agreed option carries the ``definitive`` provision, else preliminary if
   one carries ``preliminary``, else a bare cessation. Its baseline hazard
   is ln 2 over the class's median duration (ETH/PRIO CF data).
2. Each mechanism provision in the deal (from the agreed options and the
   levers in force: monitoring, third-party guarantee, withdrawal/buffer,
   joint commission, phasing, specificity, leverage) multiplies the hazard
   by its hazard ratio (Fortna 2003, 2004; Walter 1997; Beardsley 2008).
3. Dissatisfaction: a party whose deal is worth little more than no deal is
   likelier to walk out. With gain g_p = u_p - r_p and reference gain g*,
   ``D_p = ratio ** max(0, 1 - g_p / g*)``: ``ratio`` at no gain, 1 from g*.
4. Spoilers add a constant daily hazard whatever the text says.

Every parameter can be uncertain (drawn per run); the defaults and their
sources are in :mod:`truce.scenario.defaults`. Breakdown days are drawn as
``E / h`` with E ~ Exp(1) from the seed, so variants compared with the same
seed share their draws (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from truce.analysis.zopa import wilson_interval
from truce.problem import Problem
from truce.scenario.schema import PROVISIONS
from truce.simulate.results import SimulationResult

CLASSES = ("cessation", "preliminary", "definitive")
CHECKPOINTS = (30, 90, 365)
_PRELIMINARY = PROVISIONS.index("preliminary")
_DEFINITIVE = PROVISIONS.index("definitive")


@dataclass(frozen=True, eq=False)
class DurabilityResult:
    """Per signed deal: its class, provisions, daily hazard and (drawn) day of breakdown."""

    signed: np.ndarray
    """(N,) bool: runs that ended in a deal."""
    hazard: np.ndarray
    """(N,) daily hazard, NaN without a deal."""
    breakdown_day: np.ndarray
    """(N,) drawn day of breakdown, NaN without a deal."""
    ceasefire_class: np.ndarray
    """(N,) index into CLASSES, -1 without a deal."""
    provisions: np.ndarray
    """(N, n_provisions) bool."""
    horizon_days: int

    def p_holds(self, days: float) -> tuple[float, tuple[float, float]]:
        """P(a signed ceasefire still holds after ``days``) with a Wilson 95% interval."""
        deals = int(self.signed.sum())
        if not deals:
            return float("nan"), (float("nan"), float("nan"))
        holding = int((self.breakdown_day[self.signed] > days).sum())
        return holding / deals, wilson_interval(holding, deals)

    def p_deal_and_holds(self, days: float) -> tuple[float, tuple[float, float]]:
        """P(a deal is signed and still holds after ``days``), over all runs."""
        success = int((self.signed & (np.nan_to_num(self.breakdown_day, nan=-1.0) > days)).sum())
        return success / len(self.signed), wilson_interval(success, len(self.signed))

    def survival_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """Days 0..horizon and the expected share of signed ceasefires still holding: mean of exp(-h d)."""
        days = np.arange(self.horizon_days + 1)
        if not self.signed.any():
            return days, np.full(len(days), np.nan)
        hazard = self.hazard[self.signed]
        return days, np.exp(-np.outer(days, hazard)).mean(axis=1)

    def median_days(self) -> float | None:
        """Median drawn days to breakdown among signed deals."""
        return float(np.median(self.breakdown_day[self.signed])) if self.signed.any() else None

    def class_shares(self) -> dict[str, float]:
        deals = max(1, int(self.signed.sum()))
        return {name: float((self.ceasefire_class[self.signed] == c).sum() / deals) for c, name in enumerate(CLASSES)}

    def provision_shares(self) -> dict[str, float]:
        deals = max(1, int(self.signed.sum()))
        return {name: float(self.provisions[self.signed, k].sum() / deals) for k, name in enumerate(PROVISIONS)}

    def to_frame(self) -> pd.DataFrame:
        labels = np.array(CLASSES + ("",), dtype=object)
        return pd.DataFrame(
            {
                "run": np.arange(len(self.signed)),
                "signed": self.signed,
                "class": labels[self.ceasefire_class],
                "daily_hazard": self.hazard,
                "breakdown_day": self.breakdown_day,
            }
        )

    def to_dict(self) -> dict:
        days, curve = self.survival_curve()
        holds = {}
        for checkpoint in CHECKPOINTS:
            rate, (low, high) = self.p_holds(checkpoint)
            joint, (joint_low, joint_high) = self.p_deal_and_holds(checkpoint)
            holds[str(checkpoint)] = {
                "p_holds": None if np.isnan(rate) else rate,
                "interval": None if np.isnan(rate) else [low, high],
                "p_deal_and_holds": joint,
                "p_deal_and_holds_interval": [joint_low, joint_high],
            }
        return {
            "signed_runs": int(self.signed.sum()),
            "holds": holds,
            "median_days_to_breakdown": self.median_days(),
            "class_shares": self.class_shares(),
            "provision_shares": self.provision_shares(),
            "survival_curve": {"days": days.tolist(), "share_holding": [None if np.isnan(v) else float(v) for v in curve]},
        }


def durability(problem: Problem, result: SimulationResult, seed: int | None = None) -> DurabilityResult:
    """The survival of every deal signed in ``result`` (played on ``problem`` with its levers)."""
    samples = result.samples
    runs = result.runs
    signed = result.agreed.copy()
    provisions = np.zeros((runs, len(PROVISIONS)), dtype=bool)
    for j, table in enumerate(problem.option_provisions):
        provisions |= table[np.maximum(result.packages[:, j], 0)] & signed[:, None]
    in_force = (problem.lever_active[:, None] & problem.lever_provisions).any(axis=0)
    provisions |= in_force[None, :] & signed[:, None]

    ceasefire_class = np.where(provisions[:, _DEFINITIVE], 2, np.where(provisions[:, _PRELIMINARY], 1, 0))
    rows = np.arange(runs)
    baseline = np.log(2.0) / samples.durability["median_days"][rows, ceasefire_class]
    mechanisms = np.prod(np.where(provisions, samples.durability["hazard_ratios"], 1.0), axis=1)
    gains = np.nan_to_num(result.utilities - samples.reservation, nan=0.0)
    shortfall = np.clip(1.0 - gains / problem.durability["reference_gain"], 0.0, 1.0)
    dissatisfaction = np.prod(samples.durability["no_gain_ratio"][:, None] ** shortfall, axis=1)
    hazard = baseline * mechanisms * dissatisfaction + samples.durability["spoiler"]

    draws = np.random.default_rng(np.random.SeedSequence([result.seed if seed is None else seed, 0x0D0DAB1E])).exponential(1.0, runs)
    breakdown = draws / hazard
    return DurabilityResult(
        signed=signed,
        hazard=np.where(signed, hazard, np.nan),
        breakdown_day=np.where(signed, breakdown, np.nan),
        ceasefire_class=np.where(signed, ceasefire_class, -1),
        provisions=provisions,
        horizon_days=int(problem.durability["horizon_days"]),
    )
