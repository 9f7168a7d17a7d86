"""Layer 2: a scenario compiled to arrays, and the thin methods over the engines.

A *package* is an integer vector with one option index per issue. The
utility of a package to a party is additive over issues (the scenario
format's definition)::

    u_p(package) = sum_j weight[p, j] * value_j[package[j], p]

where ``weight[p]`` are party p's saliences normalised to sum 1 and
``value_j`` holds, for every option of issue j, each party's value in
[0, 1]. Everything below this layer works on these arrays, never on the
pydantic objects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from truce.analysis import red_lines as _red_lines
from truce.analysis import solutions as _solutions
from truce.analysis import zopa as _zopa
from truce.analysis.results import Analysis, ParetoFrontier, Solution, Zopa
from truce import problem_samples as _samples
from truce.problem_samples import (  # noqa: F401 - the public names of the compiled form, importable from here
    DURABILITY_DRAWS,
    LEVER_EFFECT_DEFAULTS,
    PhaseTerms,
    Samples,
    UncertainInput,
    apply_levers,
    combined_trust,
    default_durability,
)
from truce.scenario.schema import PROVISIONS

if TYPE_CHECKING:
    from truce.scenario.schema import Scenario


@dataclass(frozen=True, eq=False)
class Problem:
    """The compiled negotiation: per party, per issue value vectors and weights.

    Attributes are arrays indexed by party (the actors with role ``party``,
    in file order) and issue (in file order).
    """

    name: str
    party_ids: tuple[str, ...]
    party_names: tuple[str, ...]
    issue_ids: tuple[str, ...]
    issue_names: tuple[str, ...]
    option_labels: tuple[tuple[str, ...], ...]
    values: tuple[np.ndarray, ...]
    """Per issue, an (n_options, n_parties) array of values in [0, 1]."""
    weights: np.ndarray
    """(n_parties, n_issues), each row sums to 1."""
    reservation: np.ndarray
    """(n_parties,): utility of no agreement."""
    cost_of_delay: np.ndarray
    """(n_parties,): utility lost per round without agreement."""
    rounds: int = 40
    """The most rounds talks last: a deadline, or with a breakdown risk only a safety cap."""
    breakdown_risk: float = 0.0
    """Probability that talks break down after a round without agreement (Binmore, Rubinstein & Wolinsky 1986)."""
    breakdown_growth: float = 0.0
    """What the breakdown risk grows by each round: ``h(t) = min(1, breakdown_risk + breakdown_growth t)``."""
    bargaining_power: np.ndarray | None = None
    """(n_parties,): weights of the asymmetric Nash bargaining solution (default equal)."""
    discount: np.ndarray | None = None
    """(n_parties,): per-round discount factor on a deal's value (default 1)."""
    trust: np.ndarray | None = None
    """(n_parties,): belief that the other side complies, before levers (default 1)."""
    exposure: np.ndarray | None = None
    """(n_parties,): loss beyond no deal if the other side defects after signature (default 0)."""
    salience: np.ndarray | None = None
    """(n_parties, n_issues): raw saliences (weights are these normalised)."""
    grids: tuple[np.ndarray | None, ...] | None = None
    """Per issue, the numeric grid (None for ordered and categorical issues)."""
    linear_shape: np.ndarray | None = None
    """(n_parties, n_issues, 2): position and tolerance of linear numeric values, NaN elsewhere."""
    lever_ids: tuple[str, ...] = ()
    lever_kinds: tuple[str, ...] = ()
    lever_by: tuple[str, ...] = ()
    """Id of the actor who pulls each lever."""
    lever_cost: np.ndarray | None = None
    lever_effects: dict[str, np.ndarray] | None = None
    """Effect name (see LEVER_EFFECT_DEFAULTS) -> (n_levers,) nominal values."""
    budgets: dict[str, float] | None = None
    """Actor id -> budget for levers (actors with a budget only)."""
    lever_parties: np.ndarray | None = None
    """(n_levers, n_parties) boolean: which parties each lever affects."""
    lever_active: np.ndarray | None = None
    """(n_levers,) boolean: levers in force in the baseline."""
    uncertain: tuple[UncertainInput, ...] = ()
    option_provisions: tuple[np.ndarray, ...] | None = None
    """Per issue, (n_options, n_provisions) boolean: ceasefire provisions of each option."""
    lever_provisions: np.ndarray | None = None
    """(n_levers, n_provisions) boolean: the provision each lever adds while active."""
    durability: dict | None = None
    """Nominal durability parameters: median_days (3,), shape (3,), in_baseline (3, n_provisions),
    hazard_ratios (n_provisions,), spoiler, no_gain_ratio, reference_gain, horizon_days, term_days
    (inf: open-ended), term_issue (index of the numeric issue giving the term, -1: none)."""
    ceasefire: bool = True
    """Whether the durability model applies (the scenario's ``kind``, see Scenario.is_ceasefire)."""
    actor_ids: tuple[str, ...] = ()
    """Every actor (parties, mediators, stakeholders), for the spatial forecasting models."""
    actor_names: tuple[str, ...] = ()
    actor_roles: tuple[str, ...] = ()
    capability: np.ndarray | None = None
    """(n_actors,): relative influence."""
    spatial_positions: np.ndarray | None = None
    """(n_actors, n_issues): positions on [0, 100] (numeric: share of the range; ordered: option index
    over k - 1); NaN where the actor has no stance or the issue is categorical."""
    spatial_salience: np.ndarray | None = None
    """(n_actors, n_issues): saliences in [0, 1], 0 where the actor has no stance."""
    issue_kinds: tuple[str, ...] = ()
    issue_units: tuple[str, ...] = ()
    issue_ranges: tuple[tuple[float, float] | None, ...] = ()
    """Numeric issues' [low, high]; None for the others."""
    deferrable: tuple[bool, ...] = ()
    """Per issue: whether its last option is 'deferred' (the issue left open); empty means none is."""
    phases: tuple[PhaseTerms, ...] = ()
    """A phased agreement, phases in negotiation order (empty: one agreement on every issue)."""
    round_days: float = 1.0
    """Days one round of talks takes (compares talks with a phase's term)."""
    ruled_out: tuple[np.ndarray, ...] | None = None
    """Per issue, (n_options, n_parties) integers: > 0 where a party's red line rules the option out (:mod:`truce.analysis.red_lines`)."""
    spatial_uncertain: tuple[UncertainInput, ...] = ()
    """Uncertain inputs of the forecasting models, over every actor: capability (index ``(actor,)``),
    spatial_salience and spatial_position (index ``(actor, issue)``, positions in the issue's units)."""
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n_parties, n_issues = self.weights.shape
        defaults = {
            "discount": np.ones(n_parties),
            "bargaining_power": np.ones(n_parties),
            "trust": np.ones(n_parties),
            "exposure": np.zeros(n_parties),
            "salience": self.weights,
            "grids": (None,) * n_issues,
            "linear_shape": np.full((n_parties, n_issues, 2), np.nan),
            "lever_cost": np.zeros(0),
            "lever_effects": {name: np.zeros(0) for name in LEVER_EFFECT_DEFAULTS},
            "budgets": {},
            "lever_parties": np.zeros((0, n_parties), dtype=bool),
            "lever_active": np.zeros(0, dtype=bool),
            "option_provisions": tuple(np.zeros((len(labels), len(PROVISIONS)), dtype=bool) for labels in self.option_labels),
            "lever_provisions": np.zeros((0, len(PROVISIONS)), dtype=bool),
            "durability": default_durability(),
            "ruled_out": tuple(np.zeros((len(labels), n_parties), dtype=np.int64) for labels in self.option_labels),
        }
        for name, default in defaults.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, default)
        if len(self.values) != n_issues or any(v.shape != (len(labels), n_parties) for v, labels in zip(self.values, self.option_labels)):
            raise ValueError("values must hold one (n_options, n_parties) array per issue, matching option_labels")
        if not np.allclose(self.weights.sum(axis=1), 1.0):
            raise ValueError("each party's weights must sum to 1")

    @property
    def n_levers(self) -> int:
        return len(self.lever_ids)

    # --- construction ------------------------------------------------------
    @classmethod
    def from_scenario(cls, scenario: "Scenario") -> "Problem":
        """Compile a validated scenario (nominal values of any distribution)."""
        from truce.scenario.compile import compile_problem

        return compile_problem(scenario)

    @classmethod
    def from_arrays(
        cls,
        values: list[np.ndarray],
        weights: np.ndarray,
        reservation: np.ndarray | None = None,
        *,
        name: str = "problem",
        cost_of_delay: np.ndarray | None = None,
    ) -> "Problem":
        """Build a problem directly from arrays (for research use and tests)."""
        weights = np.asarray(weights, dtype=float)
        n_parties, n_issues = weights.shape
        values = tuple(np.asarray(v, dtype=float) for v in values)
        return cls(
            name=name,
            party_ids=tuple(f"party{p}" for p in range(n_parties)),
            party_names=tuple(f"Party {p}" for p in range(n_parties)),
            issue_ids=tuple(f"issue{j}" for j in range(n_issues)),
            issue_names=tuple(f"Issue {j}" for j in range(n_issues)),
            option_labels=tuple(tuple(str(k) for k in range(len(v))) for v in values),
            values=values,
            weights=weights,
            reservation=np.zeros(n_parties) if reservation is None else np.asarray(reservation, dtype=float),
            cost_of_delay=np.zeros(n_parties) if cost_of_delay is None else np.asarray(cost_of_delay, dtype=float),
        )

    # --- shape -------------------------------------------------------------
    @property
    def n_parties(self) -> int:
        return self.weights.shape[0]

    @property
    def n_issues(self) -> int:
        return self.weights.shape[1]

    @property
    def n_options(self) -> np.ndarray:
        return np.array([len(labels) for labels in self.option_labels])

    def settled_labels(self, issue: int) -> tuple[str, ...]:
        """The issue's option labels without 'deferred'."""
        labels = self.option_labels[issue]
        return labels[:-1] if self.deferrable and self.deferrable[issue] else labels

    @property
    def n_outcomes(self) -> int:
        """Size of the product space (an exact Python integer)."""
        return math.prod(len(labels) for labels in self.option_labels)

    @property
    def weighted_values(self) -> tuple[np.ndarray, ...]:
        """Per issue, (n_options, n_parties): each option's contribution to each party's utility."""
        return tuple(v * self.weights[:, j] for j, v in enumerate(self.values))

    @property
    def effective_trust(self) -> np.ndarray:
        """(n_parties,): trust once the active guarantees and monitoring are counted."""
        return self.nominal_samples(1).trust[0]

    def with_levers(self, active: np.ndarray | list[bool]) -> "Problem":
        """The same problem with another set of levers in force (same uncertain inputs, so
        the same seed draws the same numbers: common random numbers)."""
        from dataclasses import replace

        active = np.asarray(active, dtype=bool)
        if active.shape != (self.n_levers,):
            raise ValueError(f"active must have one flag per lever ({self.n_levers}); got shape {active.shape}")
        return replace(self, lever_active=active)

    # --- uncertainty -------------------------------------------------------
    def sample(self, runs: int, rng: np.random.Generator) -> Samples:
        """Draw every uncertain input for ``runs`` runs (see :func:`truce.problem_samples.draw_samples`)."""
        return _samples.draw_samples(self, runs, rng)

    def nominal_draws(self) -> np.ndarray:
        """(n_uncertain,): the nominal value of every uncertain input, in ``self.uncertain`` order."""
        return _samples.nominal_draws(self)

    def samples_from(self, draws: np.ndarray) -> Samples:
        """Samples with the given values of the uncertain inputs (see :func:`truce.problem_samples.samples_from`)."""
        return _samples.samples_from(self, draws)

    def nominal_samples(self, runs: int = 1) -> Samples:
        """``runs`` copies of the nominal inputs (no draws)."""
        return _samples.nominal_samples(self, runs)

    def realise(self, samples: Samples, start: int = 0, stop: int | None = None) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        """Weights (R, P, I) and value tables (R or 1, k, P) of runs ``start:stop`` (see :func:`truce.problem_samples.realise`)."""
        return _samples.realise(self, samples, start, stop)

    def run_utilities(self, samples: Samples, packages: np.ndarray, start: int = 0) -> np.ndarray:
        """Utilities of one package per run, each with that run's preferences: ``packages`` (R, n_issues)
        for runs ``start:start + R``, out (R, n_parties)."""
        return _samples.run_utilities(self, samples, packages, start)

    # --- packages ----------------------------------------------------------
    def utilities(self, packages: np.ndarray) -> np.ndarray:
        """Utilities of packages: (m, n_issues) integer array in, (m, n_parties) out."""
        packages = np.asarray(packages)
        if packages.ndim == 1:
            packages = packages[None, :]
        if packages.ndim != 2 or packages.shape[1] != self.n_issues:
            raise ValueError(f"packages must have shape (m, {self.n_issues}); got {packages.shape}")
        if not np.issubdtype(packages.dtype, np.integer):
            raise ValueError("packages must be integer option indices")
        if packages.size and ((packages < 0).any() or (packages >= self.n_options).any()):
            raise ValueError(f"option index out of range; options per issue are {self.n_options.tolist()}")
        total = np.zeros((packages.shape[0], self.n_parties))
        for j, contribution in enumerate(self.weighted_values):
            total += contribution[packages[:, j]]
        return total

    def terms(self, package: np.ndarray) -> dict[str, str]:
        """A package as issue name -> option label."""
        return {name: self.option_labels[j][int(package[j])] for j, name in enumerate(self.issue_names)}

    def describe(self, package: np.ndarray) -> str:
        """A package in words, one issue per clause."""
        return "; ".join(f"{issue}: {option}" for issue, option in self.terms(package).items())

    # --- agreement-space analysis ------------------------------------------
    def pareto(self, epsilon: float | None = None) -> ParetoFrontier:
        """The Pareto frontier among the parties (see :func:`truce.analysis.pareto.pareto_frontier`)."""
        key = ("pareto", epsilon)
        if key not in self._cache:
            packages, utilities, multiplicity = _red_lines.frontier_within(self.weighted_values, self.ruled_out, epsilon)
            self._cache[key] = ParetoFrontier(
                packages=packages,
                utilities=utilities,
                multiplicity=multiplicity,
                epsilon=epsilon,
                party_ids=self.party_ids,
                issue_ids=self.issue_ids,
                n_outcomes=self.n_outcomes,
            )
        return self._cache[key]

    def _solution(self, name: str, concept, epsilon: float | None = None) -> Solution | None:
        """``concept``'s choice on the frontier (see :func:`truce.analysis.solutions.on_frontier`)."""
        return _solutions.on_frontier(name, concept, self.pareto(epsilon), self.reservation, self.terms)

    def nash_point(self, epsilon: float | None = None) -> Solution | None:
        """Maximises the product of gains over no deal (Nash 1950), each gain raised to the party's
        share of bargaining power when powers differ (asymmetric Nash solution); None without a ZOPA."""
        power = self.bargaining_power
        if np.allclose(power, power[0]):
            return self._solution("Nash bargaining solution", _solutions.nash_score, epsilon)
        weighted = lambda utilities, reservation: _solutions.nash_score(utilities, reservation, power)  # noqa: E731
        return self._solution("Nash bargaining solution (weighted by bargaining power)", weighted, epsilon)

    def kalai_smorodinsky_point(self, epsilon: float | None = None) -> Solution | None:
        """Equal shares of each party's ideal gain (Kalai & Smorodinsky 1975); None without a ZOPA."""
        return self._solution("Kalai-Smorodinsky solution", _solutions.kalai_smorodinsky_score, epsilon)

    def egalitarian_point(self, epsilon: float | None = None) -> Solution | None:
        """Maximises the smallest gain (Kalai 1977); None without a ZOPA."""
        return self._solution("Egalitarian solution", _solutions.egalitarian_score, epsilon)

    def utilitarian_point(self, epsilon: float | None = None) -> Solution | None:
        """Maximises the sum of utilities among packages all parties accept; None without a ZOPA."""
        return self._solution("Utilitarian solution", _solutions.utilitarian_score, epsilon)

    def zopa(self, *, max_states: int = 2_000_000, seed: int = 0, epsilon: float | None = None) -> Zopa:
        """The zone of possible agreement (see :func:`truce.analysis.zopa.count_acceptable`);
        with ``epsilon`` the utility ranges come from the approximate frontier."""
        frontier = self.pareto(epsilon)
        return _zopa.zone(
            _red_lines.within(self.weighted_values, self.ruled_out), self.reservation, frontier.utilities, max_states=max_states, seed=seed, party_ids=self.party_ids, n_outcomes=self.n_outcomes
        )

    def simulate(self, **options) -> "SimulationResult":  # noqa: F821
        """Monte Carlo negotiation runs (see :func:`truce.simulate.simulate` for the options)."""
        from truce.simulate import simulate

        return simulate(self, **options)

    def forecast(self, model: str = "smp", **options):
        """Where each issue settles once every actor's influence counts (see :mod:`truce.forecast.issues`)."""
        from truce.forecast.issues import forecast_issues

        return forecast_issues(self, model, **options)

    def with_spatial_input(self, item: UncertainInput, value: float) -> "Problem":
        """The same problem with one of the forecasting models' uncertain inputs set to ``value``."""
        return _samples.with_spatial_input(self, item, value)

    def analyze(self, epsilon: float | None = None) -> Analysis:
        """Frontier, ZOPA and the four solution concepts in one result."""
        return Analysis(
            problem_name=self.name,
            party_ids=self.party_ids,
            party_names=self.party_names,
            issue_names=self.issue_names,
            frontier=self.pareto(epsilon),
            zopa=self.zopa(epsilon=epsilon),
            solutions=[s for s in (self.nash_point(epsilon), self.kalai_smorodinsky_point(epsilon), self.egalitarian_point(epsilon), self.utilitarian_point(epsilon)) if s is not None],
            no_deal=self.reservation.copy(),
        )

