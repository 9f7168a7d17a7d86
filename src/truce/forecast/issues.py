"""Forecasts of a compiled scenario, reported in each issue's own terms.

Mapping (issue 4 of the design): numeric issues map their range, ordered
issues their option index, both onto [0, 100]; categorical issues have no
order and are left out of the spatial models (the result says so). An
actor without a stance on an issue sits at the middle of the scale with
salience 0, so that it neither pulls nor cares; an actor with no stance on
any of them (a mediator or stakeholder without stances) is left out of the
forecast altogether (``left_out_actors``), as KTAB needs every actor to
care about something.

- ``compromise``: capability x salience weighted mean and weighted median
  per issue (:mod:`truce.forecast.compromise`);
- ``smp``: KTAB's Spatial Model of Politics on all mapped issues at once,
  with positions divided by 100 and each actor's saliences normalised to
  sum 1, as KTAB's inputs are (:func:`truce.forecast.smp.smp`);
- ``expected_utility``: the Scholz, Calbert & Smith expected-utility model,
  each issue on its own with the raw saliences
  (:func:`truce.forecast.expected_utility.expected_utility`).

Positions come back in the issue's units (a number with its unit, or a
fractional option index with the nearest option named).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from truce.errors import InputError
from truce.forecast.compromise import weighted_mean, weighted_median
from truce.forecast.expected_utility import expected_utility
from truce.forecast.results import ForecastResult
from truce.forecast.smp import smp
from truce.limits import Limits, check_forecast

MODELS = ("compromise", "smp", "expected_utility")

NO_STANCE = "no stance on any ordered or numeric issue"
"""Why an actor is left out of the forecast."""


@dataclass(frozen=True, eq=False)
class IssueForecast:
    """A forecast on the scenario's spatial issues, in their own terms."""

    model: str
    actor_ids: tuple[str, ...]
    actor_names: tuple[str, ...]
    issue_ids: tuple[str, ...]
    """The issues the model covered (categorical ones are left out)."""
    issue_names: tuple[str, ...]
    left_out: tuple[str, ...]
    """Categorical issues (no order): the models leave them out."""
    labels: tuple[tuple[str, ...] | None, ...]
    """Option labels of ordered issues; None for numeric."""
    units: tuple[str, ...]
    ranges: tuple[tuple[float, float] | None, ...]
    positions: np.ndarray
    """(n_rounds + 1, n_actors, n_issues) on [0, 100]."""
    forecast: np.ndarray
    """(n_rounds + 1, n_issues) on [0, 100]."""
    median: np.ndarray | None
    """(n_issues,) on [0, 100], compromise model only."""
    win_probabilities: np.ndarray | None
    engine: ForecastResult | None
    left_out_actors: tuple[str, ...] = ()
    """Ids of the actors left out: no stance on any ordered or numeric issue (a mediator or
    stakeholder without stances), so they neither pull nor care and the models cannot weigh them."""

    def to_issue_scale(self, values: np.ndarray, issue: int) -> np.ndarray:
        """From [0, 100] to the issue's units (numeric) or its fractional option index (ordered)."""
        if self.ranges[issue] is not None:
            low, high = self.ranges[issue]
            return low + np.asarray(values) / 100.0 * (high - low)
        return np.asarray(values) / 100.0 * (len(self.labels[issue]) - 1)

    def describe(self, value: float, issue: int) -> str:
        """A point of [0, 100] in words: the number with its unit, or the nearest option."""
        scaled = float(self.to_issue_scale(value, issue))
        if self.ranges[issue] is not None:
            return f"{scaled:.4g} {self.units[issue]}".strip()
        labels = self.labels[issue]
        return f"{labels[int(round(scaled))]} (index {scaled:.2f} of 0..{len(labels) - 1})"

    def outcome(self) -> dict[str, str]:
        """Where each issue is forecast to settle, in words."""
        return {name: self.describe(self.forecast[-1, j], j) for j, name in enumerate(self.issue_names)}

    def to_frame(self) -> pd.DataFrame:
        """Positions per round, actor and issue, in each issue's own scale."""
        rounds, actors, issues = self.positions.shape
        rows = []
        for t in range(rounds):
            for j in range(issues):
                scaled = self.to_issue_scale(self.positions[t, :, j], j)
                for a in range(actors):
                    rows.append({"round": t, "actor": self.actor_ids[a], "issue": self.issue_ids[j], "position": float(scaled[a])})
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        per_issue = []
        for j, issue in enumerate(self.issue_ids):
            per_issue.append(
                {
                    "issue": issue,
                    "name": self.issue_names[j],
                    "scale": "option index" if self.ranges[j] is None else self.units[j] or "value",
                    "options": None if self.labels[j] is None else list(self.labels[j]),
                    "forecast_by_round": self.to_issue_scale(self.forecast[:, j], j).tolist(),
                    "positions_by_round": {
                        actor: self.to_issue_scale(self.positions[:, a, j], j).tolist() for a, actor in enumerate(self.actor_ids)
                    },
                    "outcome": self.describe(self.forecast[-1, j], j),
                    "median": None if self.median is None else self.describe(self.median[j], j),
                }
            )
        return {
            "model": self.model,
            "rounds": int(self.positions.shape[0] - 1),
            "left_out": list(self.left_out),
            "left_out_reason": "categorical issues have no order" if self.left_out else None,
            "left_out_actors": list(self.left_out_actors),
            "left_out_actors_reason": NO_STANCE if self.left_out_actors else None,
            "issues": per_issue,
            "win_probabilities": None if self.win_probabilities is None else np.round(self.win_probabilities, 9).tolist(),
            "converged": None if self.engine is None else bool(self.engine.converged),
            "notes": [] if self.engine is None else list(self.engine.notes),
            "moves": [] if self.engine is None else [self._move(m) for m in self.engine.moves],
        }

    def _move(self, move) -> dict[str, Any]:
        """A move with its position in the issues' own scale (the engines keep their internal scale)."""
        data = move.to_dict()
        factor = 100.0 if self.model == "smp" else 1.0
        dimensions = range(len(self.issue_ids)) if move.dimension is None else [move.dimension]
        data["position"] = [float(self.to_issue_scale(value * factor, j)) for value, j in zip(move.position, dimensions)]
        data["actor"] = self.actor_ids[move.actor]
        data["counterpart"] = self.actor_ids[move.counterpart]
        if move.dimension is not None:
            data["dimension"] = self.issue_ids[move.dimension]
        return data


SMP_ROUNDS = 100
"""The SMP's default most rounds (KTAB's)."""
EU_ROUNDS = 10
"""The expected-utility model's default rounds."""


def forecast_issues(problem, model: str = "smp", **options) -> IssueForecast:
    if model not in MODELS:
        raise InputError(f"unknown forecasting model '{model}'; expected one of {', '.join(MODELS)}")
    spatial = [j for j, kind in enumerate(problem.issue_kinds) if kind != "categorical"]
    if not spatial:
        raise InputError("issues: found only categorical issues, which have no order; expected at least one ordered or numeric issue to forecast")
    if model != "compromise":
        rounds = options.get("max_rounds", SMP_ROUNDS) if model == "smp" else options.get("rounds", EU_ROUNDS)
        check_forecast(int(rounds), len(problem.actor_ids), len(spatial), Limits.from_env())
    salience = problem.spatial_salience[:, spatial]
    # an actor with no stance on any of these issues neither pulls nor cares: leave it out, by id
    kept = np.flatnonzero(salience.sum(axis=1) > 0)
    left_out_actors = tuple(actor for a, actor in enumerate(problem.actor_ids) if a not in kept)
    if len(kept) < 2:
        raise InputError(
            f"actors: found {len(kept)} with a stance on an ordered or numeric issue ({', '.join(problem.actor_ids[a] for a in kept) or 'none'}; "
            f"without one: {', '.join(left_out_actors)}); expected at least two for the forecast"
        )
    salience = salience[kept]
    unweighed = [problem.issue_ids[spatial[j]] for j in np.flatnonzero(salience.sum(axis=0) <= 0)]
    if unweighed:
        raise InputError(f"issue(s) {', '.join(unweighed)}: no actor gives them a salience above 0; expected at least one to forecast them")
    positions = np.nan_to_num(problem.spatial_positions[kept][:, spatial], nan=50.0)
    capability = problem.capability[kept]
    median = None
    win = None
    engine = None
    if model == "compromise":
        mean = weighted_mean(positions, capability, salience)
        median = weighted_median(positions, capability, salience)
        trace_positions = positions[None]
        trace_forecast = mean[None]
    elif model == "smp":
        totals = salience.sum(axis=1, keepdims=True)
        normalised = np.where(totals > 0, salience / np.where(totals > 0, totals, 1.0), 0.0)
        engine = smp(capability, positions / 100.0, normalised, **options)
        trace_positions = engine.trace.positions * 100.0
        trace_forecast = engine.trace.forecast * 100.0
        win = engine.trace.win_probabilities
    else:
        engine = expected_utility(capability, positions, salience, **options)
        trace_positions = engine.trace.positions
        trace_forecast = engine.trace.forecast
    return IssueForecast(
        model=model,
        actor_ids=tuple(problem.actor_ids[a] for a in kept),
        actor_names=tuple(problem.actor_names[a] for a in kept),
        issue_ids=tuple(problem.issue_ids[j] for j in spatial),
        issue_names=tuple(problem.issue_names[j] for j in spatial),
        left_out=tuple(problem.issue_ids[j] for j, kind in enumerate(problem.issue_kinds) if kind == "categorical"),
        labels=tuple(None if problem.issue_ranges[j] is not None else problem.settled_labels(j) for j in spatial),
        units=tuple(problem.issue_units[j] for j in spatial),
        ranges=tuple(problem.issue_ranges[j] for j in spatial),
        positions=np.asarray(trace_positions),
        forecast=np.asarray(trace_forecast),
        median=median,
        win_probabilities=None if win is None else np.asarray(win),
        engine=engine,
        left_out_actors=left_out_actors,
    )
