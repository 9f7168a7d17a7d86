"""The uncertain inputs of a compiled problem: their draws per run, the levers' effects on them,
and each run's preferences (weights and value tables).

Pure functions over a :class:`truce.Problem` (its thin methods ``sample``, ``samples_from``,
``realise`` and ``run_utilities`` call them); this module imports nothing above the scenario layer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from truce.scenario.distributions import draw, quantile
from truce.scenario.schema import PROVISIONS

if TYPE_CHECKING:
    from truce.problem import Problem


@dataclass(frozen=True)
class UncertainInput:
    """One number of the scenario that is a distribution, located in the compiled arrays.

    ``field`` names a per-party array (reservation, cost_of_delay, discount,
    trust, exposure: index ``(party,)``), a per-party, per-issue array
    (salience, position, tolerance: index ``(party, issue)``) or one of the
    levers' effects (``lever:<effect>``, index ``(lever,)``).
    """

    field: str
    index: tuple[int, ...]
    kind: str
    parameters: tuple[float, ...]
    bounds: tuple[float, float]

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.clip(draw(self.kind, self.parameters, rng, size, self.bounds), *self.bounds)

    def quantile(self, q: np.ndarray) -> np.ndarray:
        """Values at probabilities ``q`` (for one-at-a-time ranges and Sobol designs)."""
        return np.clip(quantile(self.kind, self.parameters, q, self.bounds), *self.bounds)

    @property
    def label(self) -> str:
        where = ",".join(str(i) for i in self.index)
        return f"{self.field}[{where}]" if where else self.field


class PhaseTerms(NamedTuple):
    """One phase of a phased agreement, compiled: the issues it settles (indices) and its term in days (inf: open-ended)."""

    id: str
    name: str
    issues: tuple[int, ...]
    term_days: float


@dataclass(frozen=True, eq=False)
class Samples:
    """Per-run draws of every uncertain input: arrays with a leading run axis."""

    reservation: np.ndarray
    cost_of_delay: np.ndarray
    discount: np.ndarray
    trust: np.ndarray
    """(N, n_parties): trust after the active guarantees and monitoring."""
    exposure: np.ndarray
    salience: np.ndarray
    """(N, n_parties, n_issues)."""
    position: np.ndarray
    tolerance: np.ndarray
    side_payment: np.ndarray
    """(N, n_parties): utility added to a party's deal by the active side payments."""
    breakdown_risk: np.ndarray
    """(N,): probability that talks break down after round 0 without agreement."""
    breakdown_growth: np.ndarray
    """(N,): what that probability grows by each round."""
    lever_effects: dict[str, np.ndarray]
    """Effect name -> (N, n_levers) draws, for every lever, active or not."""
    durability: dict[str, np.ndarray]
    """median_days (N, 3), shape (N, 3), hazard_ratios (N, n_provisions), spoiler (N,), no_gain_ratio (N,)."""

    def __len__(self) -> int:
        return len(self.reservation)


DURABILITY_DRAWS = ("median_days", "shape", "hazard_ratios", "spoiler", "no_gain_ratio")


def default_durability() -> dict:
    """Nominal durability parameters from the documented defaults (truce.scenario.defaults)."""
    from truce.scenario import defaults
    from truce.scenario.distributions import nominal

    classes = ("cessation", "preliminary", "definitive")
    return {
        "median_days": np.array([nominal(defaults.MEDIAN_DAYS[c]) for c in classes]),
        "shape": np.array([defaults.SHAPE[c] for c in classes]),
        "in_baseline": np.array([[p in defaults.IN_BASELINE[c] for p in PROVISIONS] for c in classes]),
        "term_days": np.inf,
        "term_issue": -1,
        "hazard_ratios": np.array([nominal(defaults.HAZARD_RATIOS[p]) for p in PROVISIONS]),
        "spoiler": np.array(nominal(defaults.SPOILER_HAZARD)),
        "no_gain_ratio": np.array(defaults.DISSATISFACTION_RATIO_AT_NO_GAIN),
        "reference_gain": defaults.DISSATISFACTION_REFERENCE_GAIN,
        "horizon_days": defaults.HORIZON_DAYS,
    }


LEVER_EFFECT_DEFAULTS = {
    "trust_gain": 0.0,
    "cost_of_delay": 0.0,
    "reservation_drop": 0.0,
    "side_payment": 0.0,
    "exposure_factor": 1.0,
}
"""Lever effects and their neutral values (what a lever that does not set the effect contributes)."""


def apply_levers(arrays: dict, effects: dict, active: np.ndarray, affects: np.ndarray) -> dict:
    """Per-party inputs once the active levers act (arrays have a leading run axis).

    - trust: each guarantee/monitoring closes its share of the gap to 1;
    - cost of delay: pressure adds; no-deal value: pressure subtracts (not below 0);
    - side payment: summed per party;
    - exposure: phasing multiplies.
    """
    if not active.any():
        runs, parties = arrays["trust"].shape
        keep = {name: arrays[name] for name in ("trust", "cost_of_delay", "reservation", "exposure")}
        return {**keep, "side_payment": np.broadcast_to(0.0, (runs, parties))}
    on = active[None, :, None] & affects[None, :, :]  # (1, L, P)

    def total(name):
        return np.where(on, effects[name][:, :, None], 0.0).sum(axis=1)

    return {
        "trust": combined_trust(arrays["trust"], np.where(active, effects["trust_gain"], 0.0), affects),
        "cost_of_delay": np.minimum(1.0, arrays["cost_of_delay"] + total("cost_of_delay")),
        "reservation": np.maximum(0.0, arrays["reservation"] - total("reservation_drop")),
        "side_payment": total("side_payment"),
        "exposure": arrays["exposure"] * np.prod(np.where(on, effects["exposure_factor"][:, :, None], 1.0), axis=1),
    }


def combined_trust(trust: np.ndarray, gains: np.ndarray, affects: np.ndarray) -> np.ndarray:
    """Trust after guarantees and monitoring: each lever closes its share of the gap to 1.

    ``trust`` (..., P), ``gains`` (..., L) and ``affects`` (L, P) boolean:
    ``1 - trust' = (1 - trust) * prod_l (1 - gain_l)`` over the levers that affect the party.
    """
    remaining = np.prod(np.where(affects, 1.0 - gains[..., :, None], 1.0), axis=-2)
    return 1.0 - (1.0 - trust) * remaining


def draw_samples(problem: Problem, runs: int, rng: np.random.Generator) -> Samples:
    """Draw every uncertain input for ``runs`` runs, in a fixed order (so one seed gives one sequence)."""
    draws = np.empty((runs, len(problem.uncertain)))
    for column, item in enumerate(problem.uncertain):
        draws[:, column] = item.sample(rng, runs)
    return samples_from(problem, draws)


def nominal_draws(problem: Problem) -> np.ndarray:
    """(n_uncertain,): the nominal value of every uncertain input, in ``problem.uncertain`` order."""
    return np.array([float(item.quantile(np.array([0.5]))[0]) if item.kind == "normal" else _nominal(item) for item in problem.uncertain])


def nominal_samples(problem: Problem, runs: int = 1) -> Samples:
    """``runs`` copies of the nominal inputs (no draws)."""
    return draw_samples(replace(problem, uncertain=()), runs, np.random.default_rng(0))


def samples_from(problem: Problem, draws: np.ndarray) -> Samples:
    """Samples with the given values of the uncertain inputs: one column per entry of
    ``problem.uncertain``, one row per run; every other input at its nominal value."""
    draws = np.atleast_2d(draws)
    if draws.shape[1] != len(problem.uncertain):
        raise ValueError(f"draws need one column per uncertain input ({len(problem.uncertain)}); got {draws.shape[1]}")
    runs = draws.shape[0]
    varied = {item.field for item in problem.uncertain}

    def per_run(name: str, nominal: np.ndarray) -> np.ndarray:
        # a read-only broadcast view unless some run changes it: memory stays flat as runs grow
        shape = (runs, *np.shape(nominal))
        return np.array(np.broadcast_to(nominal, shape)) if name in varied else np.broadcast_to(nominal, shape)

    arrays = {
        "reservation": per_run("reservation", problem.reservation),
        "breakdown_risk": per_run("breakdown_risk", np.asarray(problem.breakdown_risk, dtype=float)),
        "breakdown_growth": per_run("breakdown_growth", np.asarray(problem.breakdown_growth, dtype=float)),
        "cost_of_delay": per_run("cost_of_delay", problem.cost_of_delay),
        "discount": per_run("discount", problem.discount),
        "trust": per_run("trust", problem.trust),
        "exposure": per_run("exposure", problem.exposure),
        "salience": per_run("salience", problem.salience),
        "position": per_run("position", problem.linear_shape[..., 0]),
        "tolerance": per_run("tolerance", problem.linear_shape[..., 1]),
    }
    effects = {name: per_run(f"lever:{name}", values) for name, values in problem.lever_effects.items()}
    durability = {name: per_run(f"durability:{name}", np.asarray(problem.durability[name])) for name in DURABILITY_DRAWS}
    for column, item in enumerate(problem.uncertain):
        group, _, name = item.field.partition(":")
        target = {"lever": effects, "durability": durability}.get(group, arrays)
        target[name or group][(slice(None), *item.index)] = draws[:, column]
    arrays.update(apply_levers(arrays, effects, problem.lever_active, problem.lever_parties))
    return Samples(**arrays, lever_effects=effects, durability=durability)


def realise(problem: Problem, samples: Samples, start: int = 0, stop: int | None = None) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Weights (R, P, I) and value tables (R or 1, k, P) of runs ``start:stop``.

    Value tables are recomputed per run only for issues whose values are
    uncertain (numeric positions or tolerances); the others broadcast. Every
    table has the same leading length (R as soon as one issue varies, else 1),
    so that the engines can stack them issue by issue.
    """
    stop = len(samples) if stop is None else stop
    salience = samples.salience[start:stop]
    total = salience.sum(axis=2, keepdims=True)
    weights = np.where(total > 0, salience / np.where(total > 0, total, 1.0), 1.0 / problem.n_issues)
    varying = {item.index[1] for item in problem.uncertain if item.field in ("position", "tolerance")}
    values = []
    for j, table in enumerate(problem.values):
        if j not in varying:
            values.append(table[None])
            continue
        grid = problem.grids[j]
        position = samples.position[start:stop, :, j]
        tolerance = samples.tolerance[start:stop, :, j]
        linear = np.clip(1.0 - np.abs(grid[None, :, None] - position[:, None, :]) / tolerance[:, None, :], 0.0, 1.0)
        if len(table) > len(grid):  # a deferrable issue's 'deferred' value does not move with the position
            linear = np.concatenate([linear, np.broadcast_to(table[None, len(grid):], (len(linear), len(table) - len(grid), table.shape[1]))], axis=1)
        values.append(np.where(np.isnan(position)[:, None, :], table[None], linear))
    if varying:
        runs = stop - start
        values = [np.broadcast_to(table, (runs, *table.shape[1:])) for table in values]
    return weights, tuple(values)


def run_utilities(problem: Problem, samples: Samples, packages: np.ndarray, start: int = 0) -> np.ndarray:
    """Utilities of one package per run, each with that run's preferences: ``packages`` (R, n_issues)
    for runs ``start:start + R``, out (R, n_parties)."""
    weights, values = realise(problem, samples, start, start + len(packages))
    total = np.zeros((len(packages), problem.n_parties))
    rows = np.arange(len(packages))
    for j, table in enumerate(values):
        chosen = table[0, packages[:, j]] if table.shape[0] == 1 else table[rows, packages[:, j]]
        total += weights[:, :, j] * chosen
    return total


def with_spatial_input(problem: Problem, item: UncertainInput, value: float) -> Problem:
    """The same problem with one of the forecasting models' uncertain inputs set to ``value``."""
    if item.field == "capability":
        capability = problem.capability.copy()
        capability[item.index] = value
        return replace(problem, capability=capability)
    if item.field == "spatial_salience":
        salience = problem.spatial_salience.copy()
        salience[item.index] = value
        return replace(problem, spatial_salience=salience)
    if item.field == "spatial_position":
        low, high = problem.issue_ranges[item.index[1]]
        positions = problem.spatial_positions.copy()
        positions[item.index] = 100.0 * (value - low) / (high - low)
        return replace(problem, spatial_positions=positions)
    raise ValueError(f"{item.field} is not an input of the forecasting models")


def _nominal(item: UncertainInput) -> float:
    """Mode of a triangular, midpoint of a uniform, mean of a beta (as the scenario format defines)."""
    p = item.parameters
    value = {"triangular": lambda: p[1], "uniform": lambda: (p[0] + p[1]) / 2, "beta": lambda: p[0] / (p[0] + p[1])}[item.kind]()
    return float(np.clip(value, *item.bounds))
