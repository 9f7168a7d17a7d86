"""Scoring a tournament: each strategy's figures over the seats it played, with 95% intervals.

For each strategy, over every seat it played (one role of one negotiation; a strategy that
meets itself fills two seats):

- mean utility: the utility of the agreed package to the seat's role, or the role's no-deal
  value (its reservation value) without a deal, undiscounted (ANAC's score without discounting,
  Baarslag et al. 2013); with ``discounted: true`` in the spec, times the role's per-round
  discount to the power of the round the negotiation ended, the no-deal value included (ANAC's
  score on discounted domains, 2011-2013: ``U d^t`` and ``r d^t`` at normalised time t; see
  :func:`truce.tournament.play.ending_discount`);
- mean gain over no deal: that utility less the (discounted) reservation value (0 without a deal);
- agreement rate: the share of its negotiations that ended in a deal;
- Nash distance: the Euclidean distance, in the parties' utility space, from the outcome (the
  agreed package's utilities, or the no-deal point) to the scenario's Nash bargaining solution
  (Nash 1950; computed on the scenario's nominal inputs by :meth:`truce.problem.Problem.nash_point`),
  as GENIUS reports it (Lin et al. 2014), always on undiscounted utilities; undefined on a
  scenario without a zone of agreement;
- social welfare: the sum of every party's utility of the outcome.

Intervals: Student's t 95% interval of each mean (``mean +- t(0.975, n-1) s / sqrt(n)`` over
the n seats), and Wilson's (1927) score interval for the agreement rate. The seats of one match
share their scenario and opponents, so the interval says how precisely the tournament's
negotiations pin down each mean, given these opponents and scenarios, not how the strategy would
fare against others.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import special

from truce.analysis.zopa import wilson_interval

if TYPE_CHECKING:
    from truce.tournament.play import Match
    from truce.tournament.spec import Contestant, TournamentSpec, Venue

FIGURES = ("utility", "gain", "agreement", "nash_distance", "welfare")
"""The figures each strategy is scored on, in the order the table shows them."""
FIGURE_NAMES = {
    "utility": "mean utility",
    "gain": "gain over no deal",
    "agreement": "agreement rate",
    "nash_distance": "Nash distance",
    "welfare": "social welfare",
}


@dataclass(frozen=True, eq=False)
class Seats:
    """Per seat (one role of one negotiation), flat arrays of equal length."""

    match: np.ndarray
    venue: np.ndarray
    run: np.ndarray
    role: np.ndarray
    strategy: np.ndarray
    """Index of the seat's strategy in the spec."""
    agreed: np.ndarray
    round: np.ndarray
    """Round of agreement (0-based), -1 without a deal."""
    utility: np.ndarray
    gain: np.ndarray
    welfare: np.ndarray
    nash_distance: np.ndarray
    """NaN on a scenario without a Nash point."""

    @staticmethod
    def concatenate(parts: list["Seats"]) -> "Seats":
        return Seats(**{f.name: np.concatenate([getattr(part, f.name) for part in parts]) for f in fields(Seats)})

    def __len__(self) -> int:
        return len(self.match)


@dataclass(frozen=True)
class Figure:
    """A mean with its 95% interval over ``n`` seats (NaN when no seat has the figure)."""

    mean: float
    low: float
    high: float
    n: int

    def to_dict(self) -> dict:
        return {"mean": self.mean, "low": self.low, "high": self.high, "n": self.n}


def t_interval(values: np.ndarray) -> Figure:
    """Student's t 95% interval of the mean of the finite values."""
    values = values[np.isfinite(values)]
    n = len(values)
    if n == 0:
        return Figure(np.nan, np.nan, np.nan, 0)
    mean = float(values.mean())
    if n == 1:
        return Figure(mean, np.nan, np.nan, 1)
    half = float(special.stdtrit(n - 1, 0.975) * values.std(ddof=1) / np.sqrt(n))  # scipy.special, not the slow-to-import scipy.stats
    return Figure(mean, mean - half, mean + half, n)


def rate_interval(successes: np.ndarray) -> Figure:
    """A share with Wilson's 95% interval."""
    n = len(successes)
    if n == 0:
        return Figure(np.nan, np.nan, np.nan, 0)
    low, high = wilson_interval(int(successes.sum()), n)
    return Figure(float(successes.mean()), low, high, n)


@dataclass(frozen=True)
class StrategyScore:
    label: str
    strategy: str
    """The registered name."""
    parameters: dict
    seats: int
    figures: dict[str, Figure]

    def to_dict(self) -> dict:
        return {"label": self.label, "strategy": self.strategy, "parameters": self.parameters, "seats": self.seats,
                **{name: figure.to_dict() for name, figure in self.figures.items()}}


@dataclass(frozen=True, eq=False)
class TournamentResult:
    """Every strategy's score (ranked by mean utility, best first), and every seat behind them."""

    name: str
    seed: int
    repetitions: int
    rounds: int | None
    discounted: bool
    """Whether utilities, gains and welfare are discounted to the round each negotiation ended."""
    scenarios: tuple[str, ...]
    labels: tuple[str, ...]
    """Every strategy's label, in the spec's order (``Seats.strategy`` indexes it)."""
    matches: int
    ranking: tuple[StrategyScore, ...]
    seats: Seats
    nash: tuple[np.ndarray | None, ...]
    """Per scenario, the utilities of its Nash point (None without a zone of agreement)."""

    @property
    def negotiations(self) -> int:
        return self.matches * self.repetitions

    def to_frame(self) -> pd.DataFrame:
        """One row per strategy, ranked: each figure's mean, low and high."""
        rows = []
        for rank, entry in enumerate(self.ranking, 1):
            row = {"rank": rank, "strategy": entry.label, "seats": entry.seats}
            for name, figure in entry.figures.items():
                row.update({name: figure.mean, f"{name}_low": figure.low, f"{name}_high": figure.high})
            rows.append(row)
        return pd.DataFrame(rows)

    def seats_frame(self) -> pd.DataFrame:
        """One row per seat: the match, scenario, run, role, strategy and what the seat got."""
        seats = self.seats
        return pd.DataFrame({
            "match": seats.match, "scenario": np.asarray(self.scenarios, dtype=object)[seats.venue], "run": seats.run,
            "role": seats.role, "strategy": np.asarray(self.labels, dtype=object)[seats.strategy], "agreed": seats.agreed,
            "round": seats.round, "utility": seats.utility, "gain": seats.gain, "nash_distance": seats.nash_distance,
            "welfare": seats.welfare,
        })

    def to_dict(self) -> dict:
        return {
            "name": self.name, "seed": self.seed, "repetitions": self.repetitions, "rounds": self.rounds, "discounted": self.discounted,
            "scenarios": list(self.scenarios), "matches": self.matches, "negotiations": self.negotiations,
            "intervals": "95%: Student's t for means, Wilson for the agreement rate",
            "ranking": [entry.to_dict() for entry in self.ranking],
        }


def score(spec: "TournamentSpec", contestants: list["Contestant"], venues: list["Venue"], matches: list["Match"], seats: Seats,
          nash: list[np.ndarray | None]) -> TournamentResult:
    """Each strategy's figures over its seats, ranked by mean utility (ties: by label)."""
    scores = []
    for k, contestant in enumerate(contestants):
        mine = seats.strategy == k
        figures = {
            "utility": t_interval(seats.utility[mine]),
            "gain": t_interval(seats.gain[mine]),
            "agreement": rate_interval(seats.agreed[mine]),
            "nash_distance": t_interval(seats.nash_distance[mine]),
            "welfare": t_interval(seats.welfare[mine]),
        }
        scores.append(StrategyScore(contestant.label, contestant.strategy.name, dict(contestant.strategy.parameters), int(mine.sum()), figures))
    ranking = sorted(scores, key=lambda entry: (-_or_low(entry.figures["utility"].mean), entry.label))
    return TournamentResult(
        name=spec.name, seed=spec.seed, repetitions=spec.repetitions, rounds=spec.rounds, discounted=spec.discounted, scenarios=tuple(venue.name for venue in venues),
        labels=tuple(c.label for c in contestants), matches=len(matches), ranking=tuple(ranking), seats=seats, nash=tuple(nash),
    )


def _or_low(value: float) -> float:
    return -np.inf if np.isnan(value) else value
