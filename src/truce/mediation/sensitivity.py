"""Sensitivity: which uncertain input moves P(deal) most.

Two methods over the same engine path (the uncertain inputs of the compiled
problem, played by the batched simulation):

- one at a time (tornado data): every input is drawn as usual, except the
  one under study, held at its 10th and then its 90th percentile; the same
  seed for every pair (common random numbers), so each bar is a paired
  difference;
- variance-based Sobol indices (Sobol 2001; Saltelli et al. 2010) with
  SALib's Saltelli/Sobol sampler and estimator: first-order S1 (the share
  of the output's variance an input explains alone) and total ST (with all
  its interactions), with bootstrap intervals. Each row of the design is
  one negotiation run, so the output is the deal indicator and the
  indices decompose the variance of P(deal).

Inputs of the durability model act only after signature, and the effects
of levers not in force act on nothing, so they cannot move P(deal) and are
left out of both. The parties' knowledge noise still varies from run to
run, which gives every Sobol index a small floor.

For a phased agreement (``Problem.phases``) the deal is phase 1 signed
(:func:`truce.simulate.phases.first_phase_talks`) unless ``all_at_once``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Callable

import numpy as np
import pandas as pd

from truce.errors import InputError
from truce.limits import Limits, check_work
from truce.mediation.names import input_words
from truce.problem import Problem
from truce.simulate.montecarlo import candidate_pool, simulate
from truce.simulate.phases import first_phase_talks

NO_UNCERTAIN_FORECAST_INPUT = (
    "actors: found no uncertain capability, salience or position; expected at least one written as a distribution "
    "to study, e.g. actors[0].capability: {uniform: [0.4, 0.6]}"
)
LOW_QUANTILE = 0.1
HIGH_QUANTILE = 0.9


@dataclass(frozen=True)
class Swing:
    """P(deal) with one input held low and held high."""

    input: str
    low_value: float
    high_value: float
    p_deal_low: float
    p_deal_high: float
    interval_low: tuple[float, float]
    interval_high: tuple[float, float]
    label: str = ""
    """The input in the scenario's words ("Hamas: no-deal value"); ``input`` is its id ("hamas.reservation")."""

    @property
    def swing(self) -> float:
        return abs(self.p_deal_high - self.p_deal_low)


@dataclass(frozen=True, eq=False)
class OneAtATime:
    baseline: float
    swings: list[Swing]
    """Sorted by swing, largest first."""
    runs: int
    seed: int
    phased: bool = False
    """The deal is phase 1 of a phased agreement signed."""

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {"input": s.input, "label": s.label or s.input, "low_value": s.low_value, "high_value": s.high_value, "p_deal_low": s.p_deal_low,
                 "p_deal_high": s.p_deal_high, "swing": s.swing}
                for s in self.swings
            ]
        )

    def to_dict(self) -> dict:
        return {
            "method": "one at a time (10th and 90th percentiles, common random numbers)",
            "runs": self.runs,
            "seed": self.seed,
            "baseline_p_deal": self.baseline,
            "phased": self.phased,
            "inputs": self.to_frame().to_dict(orient="records"),
        }


@dataclass(frozen=True, eq=False)
class SobolIndices:
    names: list[str]
    """Each input's id ("hamas.reservation")."""
    first_order: np.ndarray
    first_order_confidence: np.ndarray
    total: np.ndarray
    total_confidence: np.ndarray
    evaluations: int
    output_mean: float = float("nan")
    output_variance: float = float("nan")
    """0 when the output never varies over the design: then every index is undefined (NaN)."""
    phased: bool = False
    """The deal is phase 1 of a phased agreement signed."""
    labels: list[str] | None = None
    """Each input in the scenario's words ("Hamas: no-deal value")."""

    @property
    def undefined(self) -> bool:
        return self.output_variance == 0

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(
            {"input": self.names, "label": self.labels or self.names, "S1": self.first_order, "S1_conf": self.first_order_confidence, "ST": self.total, "ST_conf": self.total_confidence}
        )
        return frame.sort_values("ST", ascending=False, ignore_index=True)

    def to_dict(self) -> dict:
        return {
            "method": "Sobol (SALib, Saltelli design)",
            "evaluations": self.evaluations,
            "phased": self.phased,
            "undefined": self.undefined,
            "p_deal": self.output_mean,
            "indices": self.to_frame().to_dict(orient="records"),
        }


def describe_input(problem: Problem, index: int) -> str:
    """A readable name for the problem's ``index``-th uncertain input."""
    item = problem.uncertain[index]
    field, position = item.field, item.index
    if field in ("reservation", "cost_of_delay", "discount", "trust", "exposure"):
        return f"{problem.party_ids[position[0]]}.{field}"
    if field in ("salience", "position", "tolerance"):
        return f"{problem.party_ids[position[0]]}.{problem.issue_ids[position[1]]}.{field}"
    if field.startswith("lever:"):
        return f"{problem.lever_ids[position[0]]}.{field.removeprefix('lever:')}"
    return item.label


NO_DEAL_INPUTS = (
    "actors: found no uncertain input that can change whether a deal is reached (the durability block's act after "
    "signature, and a lever's only when it is in force); expected at least one party's number written as a "
    "distribution to study, e.g. actors[0].reservation: {triangular: [0.2, 0.3, 0.4]}"
)


def deal_inputs(problem: Problem) -> list[int]:
    """Indices of the uncertain inputs that can change whether a deal is reached: not the
    durability model's (they act after signature), nor the effects of levers not in force."""
    return [
        k
        for k, item in enumerate(problem.uncertain)
        if not item.field.startswith("durability:")
        and not (item.field.startswith("lever:") and not problem.lever_active[item.index[0]])
    ]


def _deals(problem: Problem, phased: bool, *, runs: int, seed: int, samples, pool=None, **simulation):
    """The simulation whose ``agreed`` is the deal: phase 1's talks of a phased agreement, else every issue at once."""
    if phased:
        return first_phase_talks(problem, runs=runs, seed=seed, samples=samples, **simulation)
    return simulate(problem, runs=runs, seed=seed, samples=samples, pool=pool, **simulation)


def held_p_deal(problem: Problem, phased: bool, values: np.ndarray, *, runs: int, seed: int, pool, simulation: dict) -> tuple[float, tuple[float, float]]:
    """P(deal) and its interval with the uncertain inputs drawn as ``values`` (a module-level function, so that a worker can play it)."""
    result = _deals(problem, phased, runs=runs, seed=seed, samples=problem.samples_from(values), pool=pool, **simulation)
    return result.agreement_rate, result.agreement_interval


def one_at_a_time(
    problem: Problem,
    *,
    runs: int = 2000,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    all_at_once: bool = False,
    mapper: Callable | None = None,
    **simulation,
) -> OneAtATime:
    """Tornado data: P(deal) with each uncertain input at its 10th and 90th percentile.

    ``mapper(function, items)`` plays the 1 + 2 x inputs simulations (default: the built-in ``map``);
    it must give the results in order, e.g. :func:`truce.sweep.executor.ordered_map`."""
    studied = deal_inputs(problem)
    if not studied:
        raise InputError(NO_DEAL_INPUTS)
    rounds = simulation.get("rounds") or problem.rounds
    check_work(runs, rounds, Limits.from_env(), simulations=1 + 2 * len(studied))
    draws = np.empty((runs, len(problem.uncertain)))
    rng = np.random.default_rng(seed)
    for column, item in enumerate(problem.uncertain):
        draws[:, column] = item.sample(rng, runs)

    phased = bool(problem.phases) and not all_at_once
    pool = None if phased else candidate_pool(problem, problem.samples_from(draws))  # shared by every variant

    settings = [draws]  # the baseline, then each studied input held at its low and its high value
    ends = []
    for column in studied:
        low_value, high_value = problem.uncertain[column].quantile(np.array([LOW_QUANTILE, HIGH_QUANTILE]))
        ends.append((float(low_value), float(high_value)))
        for value in (low_value, high_value):
            varied = draws.copy()
            varied[:, column] = value
            settings.append(varied)
    play = partial(held_p_deal, problem, phased, runs=runs, seed=seed, pool=pool, simulation=simulation)
    found = []
    for k, outcome in enumerate((mapper or map)(play, settings)):
        found.append(outcome)
        if progress is not None and k > 0 and k % 2 == 0:
            progress(1)
    baseline = found[0][0]
    swings = []
    for n, column in enumerate(studied):
        (low_value, high_value), low, high = ends[n], found[1 + 2 * n], found[2 + 2 * n]
        swings.append(Swing(describe_input(problem, column), low_value, high_value, low[0], high[0], low[1], high[1], input_words(problem, column)))
    swings.sort(key=lambda s: -s.swing)
    return OneAtATime(baseline=baseline, swings=swings, runs=runs, seed=seed, phased=phased)


@dataclass(frozen=True)
class ForecastSwing:
    """Where one issue is forecast to settle with one input held low and held high."""

    input: str
    issue: str
    low_value: float
    high_value: float
    forecast_low: str
    forecast_high: str
    swing: float
    """|high - low| in points of the issue's 0-100 scale (share of the range, or of the option span)."""


@dataclass(frozen=True, eq=False)
class ForecastSensitivity:
    model: str
    baseline: dict[str, str]
    swings: list[ForecastSwing]
    """One per input: the issue it moves most; sorted by swing, largest first."""

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([s.__dict__ for s in self.swings])

    def to_dict(self) -> dict:
        return {
            "method": "one at a time (10th and 90th percentiles) on the forecast",
            "model": self.model,
            "baseline": self.baseline,
            "inputs": self.to_frame().to_dict(orient="records"),
        }


def describe_spatial_input(problem: Problem, item) -> str:
    actor = problem.actor_ids[item.index[0]]
    if item.field == "capability":
        return f"{actor}.capability"
    field = item.field.removeprefix("spatial_")
    return f"{actor}.{problem.issue_ids[item.index[1]]}.{field}"


def forecast_one_at_a_time(problem: Problem, model: str = "compromise", **options) -> ForecastSensitivity:
    """Which uncertain input moves the forecast most: each input of the forecasting models
    (every actor's capability, saliences, numeric positions) at its 10th and 90th percentile,
    the others at their nominal values."""
    baseline = problem.forecast(model, **options)  # first: a scenario with nothing to forecast says so
    if not problem.spatial_uncertain:
        raise InputError(NO_UNCERTAIN_FORECAST_INPUT)
    swings = []
    for item in problem.spatial_uncertain:
        low_value, high_value = item.quantile(np.array([LOW_QUANTILE, HIGH_QUANTILE]))
        low = problem.with_spatial_input(item, float(low_value)).forecast(model, **options)
        high = problem.with_spatial_input(item, float(high_value)).forecast(model, **options)
        moved = np.abs(high.forecast[-1] - low.forecast[-1])
        j = int(np.argmax(moved))
        swings.append(
            ForecastSwing(
                input=describe_spatial_input(problem, item),
                issue=baseline.issue_names[j],
                low_value=float(low_value),
                high_value=float(high_value),
                forecast_low=low.describe(low.forecast[-1, j], j),
                forecast_high=high.describe(high.forecast[-1, j], j),
                swing=float(moved[j]),
            )
        )
    swings.sort(key=lambda s: -s.swing)
    return ForecastSensitivity(model=model, baseline=baseline.outcome(), swings=swings)


def sobol_indices(
    model: Callable[[np.ndarray], np.ndarray],
    names: list[str],
    *,
    base_samples: int = 512,
    seed: int = 0,
    quantile_functions: list[Callable[[np.ndarray], np.ndarray]] | None = None,
) -> SobolIndices:
    """Sobol indices of ``model`` (a vectorised function of an (n, d) input matrix) through SALib.

    The design is drawn on the unit hypercube and mapped through each
    input's quantile function (identity by default), so any distribution
    can be studied; ``base_samples`` should be a power of two.
    """
    from SALib.analyze import sobol as sobol_analyze  # here, not at import: SALib imports scipy.stats (about 1.5 s)
    from SALib.sample import sobol as sobol_sample

    definition = {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}
    unit = sobol_sample.sample(definition, base_samples, calc_second_order=False, seed=seed)
    unit = np.clip(unit, 1e-12, 1 - 1e-12)
    values = unit if quantile_functions is None else np.column_stack([f(unit[:, k]) for k, f in enumerate(quantile_functions)])
    output = np.asarray(model(values), dtype=float)
    if np.var(output) == 0:  # a constant output has no variance to share out (SALib would divide by zero)
        undefined = np.full(len(names), np.nan)
        return SobolIndices(list(names), undefined, undefined, undefined, undefined, len(values), float(output.mean()), 0.0)
    analysis = sobol_analyze.analyze(definition, output, calc_second_order=False, seed=seed)
    return SobolIndices(
        names=list(names),
        first_order=np.asarray(analysis["S1"]),
        first_order_confidence=np.asarray(analysis["S1_conf"]),
        total=np.asarray(analysis["ST"]),
        total_confidence=np.asarray(analysis["ST_conf"]),
        evaluations=len(values),
        output_mean=float(output.mean()),
        output_variance=float(np.var(output)),
    )


def deal_sobol(problem: Problem, *, base_samples: int = 256, seed: int = 0, all_at_once: bool = False, **simulation) -> SobolIndices:
    """Sobol indices of the deal indicator over every uncertain input of the problem."""
    studied = deal_inputs(problem)
    if not studied:
        raise InputError(NO_DEAL_INPUTS)
    rounds = simulation.get("rounds") or problem.rounds
    check_work(base_samples * (len(studied) + 2), rounds, Limits.from_env())  # the design's evaluations, one run each
    nominal = problem.nominal_draws()
    phased = bool(problem.phases) and not all_at_once

    def model(values: np.ndarray) -> np.ndarray:
        full = np.tile(nominal, (len(values), 1))
        full[:, studied] = values
        result = _deals(problem, phased, runs=len(values), seed=seed, samples=problem.samples_from(full), **simulation)
        return result.agreed.astype(float)

    names = [describe_input(problem, k) for k in studied]
    quantiles = [problem.uncertain[k].quantile for k in studied]
    indices = sobol_indices(model, names, base_samples=base_samples, seed=seed, quantile_functions=quantiles)
    return replace(indices, phased=phased, labels=[input_words(problem, k) for k in studied])


__all__ = [
    "ForecastSensitivity",
    "ForecastSwing",
    "OneAtATime",
    "SobolIndices",
    "Swing",
    "deal_sobol",
    "forecast_one_at_a_time",
    "one_at_a_time",
    "sobol_indices",
]
