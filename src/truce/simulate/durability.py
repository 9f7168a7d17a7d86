"""Ceasefire durability after signature: proportional hazards on an empirical Weibull baseline.

For each signed deal (one per Monte Carlo run) the cumulative hazard of
breakdown by day t is

    H(t) = HR x (t / scale[class]) ** shape[class] + spoiler x t,
    HR = prod_k HR_k (provisions beyond the class baseline) x prod_p D_p

1. The deal's *class* follows Clayton & Sticher (2021): definitive if any
   agreed option carries the ``definitive`` provision, else preliminary if
   one carries ``preliminary``, else a bare cessation. Its baseline is the
   class's empirical survival in the ETH/PRIO CF data: a Weibull with the
   class's recorded median and the shape of its quartiles, so
   scale = median / (ln 2) ** (1 / shape) (Cox 1972's proportional hazards
   on a Weibull baseline; Kalbfleisch & Prentice 2002, section 2.2).
2. Each mechanism provision in the deal (from the agreed options and the
   levers in force) multiplies the hazard by its hazard ratio *relative to
   that baseline* (Fortna 2003, 2004; Walter 1997; Beardsley 2008), except
   those the class already contains (a preliminary ceasefire is defined by
   its compliance mechanism): :data:`truce.scenario.defaults.IN_BASELINE`.
3. Dissatisfaction: with gain g_p = u_p - r_p and reference gain g*,
   ``D_p = ratio ** max(0, 1 - g_p / g*)``; the default ratio is 1 because
   the baseline's ceasefires were also struck by parties with thin margins.
4. Spoilers add a constant daily hazard (default 0: already in the baseline).
5. A fixed-term pause (``term_days`` or ``term_issue``) ends by expiry on its
   term unless it breaks down first: survival is read at min(t, term).

With no mechanism the median is the class's empirical median. Breakdown
days are drawn exactly as the first of two competing risks,
``scale (E1 / HR) ** (1 / shape)`` and ``E2 / spoiler`` with E1, E2 ~ Exp(1)
from the seed, so variants compared with the same seed share their draws
(common random numbers). Every parameter can be uncertain (drawn per run);
the defaults and their sources are in :mod:`truce.scenario.defaults`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from truce.analysis.zopa import wilson_interval
from truce.errors import InputError
from truce.problem import Problem
from truce.scenario.schema import PROVISIONS
from truce.simulate.results import SimulationResult

CLASSES = ("cessation", "preliminary", "definitive")
CHECKPOINTS = (30, 90, 365)
_PRELIMINARY = PROVISIONS.index("preliminary")
_DEFINITIVE = PROVISIONS.index("definitive")


def weibull_survival(days, median_days, shape, relative_hazard=1.0, spoiler=0.0, term_days=np.inf):
    """P(no breakdown by ``days``): exp(-H(min(days, term))) with H(t) = HR (t / scale) ** shape + spoiler t
    and scale = median / (ln 2) ** (1 / shape). Broadcasts over every argument; a fixed term caps
    the days at risk (the pause ends by expiry, not breakdown)."""
    days = np.minimum(np.asarray(days, dtype=float), term_days)
    scale = np.asarray(median_days, dtype=float) / np.log(2.0) ** (1.0 / np.asarray(shape, dtype=float))
    return np.exp(-relative_hazard * (days / scale) ** shape - spoiler * days)


def weibull_median(median_days, shape, relative_hazard=1.0):
    """Median days to breakdown with no spoiler and no term: median x HR ** (-1 / shape)."""
    return np.asarray(median_days, dtype=float) * np.asarray(relative_hazard, dtype=float) ** (-1.0 / np.asarray(shape, dtype=float))


@dataclass(frozen=True, eq=False)
class DurabilityResult:
    """Per signed deal: its class, provisions, hazard relative to its class baseline and (drawn) day of breakdown."""

    signed: np.ndarray
    """(N,) bool: runs that ended in a deal."""
    hazard: np.ndarray
    """(N,) hazard ratio against the class baseline (provisions x dissatisfaction), NaN without a deal."""
    breakdown_day: np.ndarray
    """(N,) drawn day of breakdown, inf if a fixed-term pause expires first, NaN without a deal."""
    ceasefire_class: np.ndarray
    """(N,) index into CLASSES, -1 without a deal."""
    provisions: np.ndarray
    """(N, n_provisions) bool."""
    horizon_days: int
    median_baseline: np.ndarray | None = None
    """(N,) the class baseline's median days (NaN without a deal)."""
    shape: np.ndarray | None = None
    """(N,) the class baseline's Weibull shape."""
    spoiler: np.ndarray | None = None
    """(N,) daily spoiler hazard."""
    term_days: np.ndarray | None = None
    """(N,) fixed term of the pause in days, inf when open-ended."""

    def survival_at(self, days) -> np.ndarray:
        """(N,) each signed deal's P(no breakdown by ``days``) given its drawn inputs; NaN without a deal."""
        value = weibull_survival(days, self.median_baseline, self.shape, self.hazard, self.spoiler, self.term_days)
        return np.where(self.signed, value, np.nan)

    def p_holds(self, days: float) -> tuple[float, tuple[float, float]]:
        """P(a signed ceasefire has not broken down after ``days``) with a Wilson 95% interval
        (a fixed-term pause that expired did not break down)."""
        deals = int(self.signed.sum())
        if not deals:
            return float("nan"), (float("nan"), float("nan"))
        holding = int((self.breakdown_day[self.signed] > days).sum())
        return holding / deals, wilson_interval(holding, deals)

    def p_deal_and_holds(self, days: float) -> tuple[float, tuple[float, float]]:
        """P(a deal is signed and has not broken down after ``days``), over all runs."""
        success = int((self.signed & (np.nan_to_num(self.breakdown_day, nan=-1.0) > days)).sum())
        return success / len(self.signed), wilson_interval(success, len(self.signed))

    def p_expires(self) -> float:
        """Share of signed deals that reach their fixed term without breaking down (0 when open-ended)."""
        if not self.signed.any():
            return float("nan")
        return float(np.isinf(self.breakdown_day[self.signed]).mean())

    def survival_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """Days 0..horizon and the expected share of signed ceasefires not broken down: mean of S_r(d)."""
        days = np.arange(self.horizon_days + 1)
        if not self.signed.any():
            return days, np.full(len(days), np.nan)
        rows = self.signed
        curve = weibull_survival(
            days[:, None], self.median_baseline[rows], self.shape[rows], self.hazard[rows], self.spoiler[rows], self.term_days[rows]
        )
        return days, curve.mean(axis=1)

    def median_days(self) -> float | None:
        """Median drawn days to breakdown among signed deals (inf when most fixed-term pauses expire first)."""
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
                "hazard_ratio": self.hazard,
                "term_days": self.term_days,
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
        median = self.median_days()
        return {
            "signed_runs": int(self.signed.sum()),
            "holds": holds,
            "median_days_to_breakdown": None if median is None or np.isinf(median) else median,
            "p_ends_by_expiry": None if not self.signed.any() else self.p_expires(),
            "class_shares": self.class_shares(),
            "provision_shares": self.provision_shares(),
            "survival_curve": {"days": days.tolist(), "share_holding": [None if np.isnan(v) else float(v) for v in curve]},
        }


NOT_A_CEASEFIRE = (
    "kind: found a negotiation (no `kind: ceasefire`, durability block or option with provisions); expected "
    "`kind: ceasefire` (or one of the others) for the durability model to apply"
)


def deal_provisions(problem: Problem, packages: np.ndarray, signed: np.ndarray) -> np.ndarray:
    """(N, n_provisions) bool: the provisions of each signed package and of the levers in force."""
    provisions = np.zeros((len(packages), len(PROVISIONS)), dtype=bool)
    for j, table in enumerate(problem.option_provisions):
        provisions |= table[np.maximum(packages[:, j], 0)] & signed[:, None]
    in_force = (problem.lever_active[:, None] & problem.lever_provisions).any(axis=0)
    return provisions | (in_force[None, :] & signed[:, None])


def durability(problem: Problem, result: SimulationResult, seed: int | None = None) -> DurabilityResult:
    """The survival of every deal signed in ``result`` (played on ``problem`` with its levers).

    Raises ``ValueError`` when the scenario is not a ceasefire (``problem.ceasefire`` false).
    """
    if not problem.ceasefire:
        raise InputError(NOT_A_CEASEFIRE)
    return survival_of(problem, result.packages, result.agreed.copy(), result.utilities, result.samples, result.seed if seed is None else seed)


def survival_of(problem: Problem, packages: np.ndarray, signed: np.ndarray, utilities: np.ndarray, samples, seed: int) -> DurabilityResult:
    """The durability model on given packages (N, n_issues), with per-run draws ``samples`` and
    each party's utility of its package (N, n_parties): the pure function under :func:`durability`."""
    runs = len(signed)
    settings = problem.durability
    provisions = deal_provisions(problem, packages, signed)
    ceasefire_class = np.where(provisions[:, _DEFINITIVE], 2, np.where(provisions[:, _PRELIMINARY], 1, 0))
    rows = np.arange(runs)
    draws = samples.durability
    median = draws["median_days"][rows, ceasefire_class]
    shape = draws["shape"][rows, ceasefire_class]
    counted = provisions & ~np.asarray(settings["in_baseline"])[ceasefire_class]
    mechanisms = np.prod(np.where(counted, draws["hazard_ratios"], 1.0), axis=1)
    gains = np.nan_to_num(utilities - samples.reservation, nan=0.0)
    shortfall = np.clip(1.0 - gains / settings["reference_gain"], 0.0, 1.0)
    dissatisfaction = np.prod(draws["no_gain_ratio"][:, None] ** shortfall, axis=1)
    relative = mechanisms * dissatisfaction
    spoiler = np.broadcast_to(draws["spoiler"], (runs,)).astype(float)
    term = np.full(runs, float(settings["term_days"]))
    if settings["term_issue"] >= 0:
        grid = problem.grids[settings["term_issue"]]
        term = np.where(signed, grid[np.maximum(packages[:, settings["term_issue"]], 0)], term)

    exponentials = np.random.default_rng(np.random.SeedSequence([seed, 0x0D0DAB1E])).exponential(1.0, (runs, 2))
    scale = median / np.log(2.0) ** (1.0 / shape)
    by_baseline = scale * (exponentials[:, 0] / relative) ** (1.0 / shape)
    with np.errstate(divide="ignore"):
        by_spoiler = np.where(spoiler > 0, exponentials[:, 1] / np.where(spoiler > 0, spoiler, 1.0), np.inf)
    breakdown = np.minimum(by_baseline, by_spoiler)
    breakdown = np.where(breakdown < term, breakdown, np.inf)
    return DurabilityResult(
        signed=signed,
        hazard=np.where(signed, relative, np.nan),
        breakdown_day=np.where(signed, breakdown, np.nan),
        ceasefire_class=np.where(signed, ceasefire_class, -1),
        provisions=provisions,
        horizon_days=int(settings["horizon_days"]),
        median_baseline=np.where(signed, median, np.nan),
        shape=shape.astype(float),
        spoiler=spoiler,
        term_days=term,
    )


def package_durability(problem: Problem, package: np.ndarray, *, runs: int = 10_000, seed: int = 0) -> DurabilityResult:
    """The survival of one given package (one option index per issue), signed in every run, with the
    uncertain inputs drawn from ``seed`` as a simulation with that seed would draw them."""
    if not problem.ceasefire:
        raise InputError(NOT_A_CEASEFIRE)
    packages = np.broadcast_to(np.asarray(package, dtype=np.int64), (runs, problem.n_issues))
    samples = problem.sample(runs, np.random.default_rng(seed)) if problem.uncertain else problem.nominal_samples(runs)
    utilities = problem.run_utilities(samples, packages) + samples.side_payment
    return survival_of(problem, packages, np.ones(runs, dtype=bool), utilities, samples, seed)
