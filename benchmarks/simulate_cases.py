"""Benchmark of the simulation (``simulate.py``): the problems, their settings and targets, and the tally of a run.

Problems
--------
Seeded random linear-additive problems, issues of 10 options: (a) 2
parties, 3 issues (1,000 outcomes); (au) the same with saliences drawn per
run, U(0.5 w, 1.5 w) around the nominal weights w (NegMAS plays w); (b) 2
parties, 5 issues (100,000 outcomes); (cu) 5 parties, 3 issues (1,000
outcomes), saliences drawn per run. Each party values
each option ``U(0, 1)`` independently, rescaled per party and issue so that
its worst option is worth 0 and its best 1; its issue weights are a flat
Dirichlet draw. So every party's worst package is worth 0 and its best 1,
and reservation values are 0 in both tools: NegMAS's aspiration runs from
the best utility down to ``max(worst utility, reserved value)`` = 0, truce's
target from the best down to no deal = 0, over the same range.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import numpy as np

from truce.problem import Problem
from truce.problem_samples import UncertainInput

N_OPTIONS = 10
ROUNDS = 100
SPEEDUP_TARGET = 3000.0
LARGE_SPEEDUP_TARGET = 10000.0
"""On 100,000 outcomes (NegMAS's cost grows with the space, truce's with the packages a menu can offer)."""
NOISE = 0.1
"""truce's default knowledge noise (``truce simulate``, ``Problem.simulate``): the headline runs use it."""
WORKING_MEMORY_TARGET = 64.0
"""MiB of working memory (peak less what the result keeps) at most, at every size."""
CLOSENESS_TARGET = 0.05
MATCHED_STRATEGY = "time-dependent:e=0.25,offer=target"
"""truce's time-dependent family with NegMAS's Boulware exponent, (t/T)^(1/e) = (t/T)^4, and its offer rule: the package closest above the target."""
REPLICA_RUNS = 1000
"""Runs per problem of the diagnostic replica (deterministic: every run is the same)."""


@dataclass(frozen=True)
class Setting:
    """One problem family and how much of it each tool plays."""

    key: str
    n_parties: int
    n_issues: int
    problems: int
    negmas_per_problem: int
    truce_runs: int
    uncertain: bool = False
    """Saliences drawn per run (uniform, 50% to 150% of nominal), as a scenario with uncertain priorities has."""

    @property
    def n_outcomes(self) -> int:
        return N_OPTIONS**self.n_issues

    @property
    def description(self) -> str:
        parties = "bilateral" if self.n_parties == 2 else f"{self.n_parties} parties"
        return f"({self.key}) {parties}, {self.n_issues} issues x {N_OPTIONS}{', saliences uncertain' if self.uncertain else ''}"


SETTINGS = (
    Setting("a", n_parties=2, n_issues=3, problems=10, negmas_per_problem=20, truce_runs=100_000),
    Setting("au", n_parties=2, n_issues=3, problems=10, negmas_per_problem=20, truce_runs=100_000, uncertain=True),
    Setting("b", n_parties=2, n_issues=5, problems=5, negmas_per_problem=3, truce_runs=100_000),
    Setting("cu", n_parties=5, n_issues=3, problems=10, negmas_per_problem=10, truce_runs=50_000, uncertain=True),
)
QUICK_SETTINGS = (
    Setting("a", n_parties=2, n_issues=3, problems=3, negmas_per_problem=5, truce_runs=5_000),
    Setting("au", n_parties=2, n_issues=3, problems=3, negmas_per_problem=5, truce_runs=5_000, uncertain=True),
    Setting("b", n_parties=2, n_issues=5, problems=2, negmas_per_problem=1, truce_runs=2_000),
    Setting("cu", n_parties=5, n_issues=3, problems=3, negmas_per_problem=3, truce_runs=2_000, uncertain=True),
)
MEMORY_RUNS = (10_000, 100_000, 1_000_000)
QUICK_MEMORY_RUNS = (1_000, 10_000, 100_000)

# --- problems ----------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RandomProblem:
    """Per issue an (options, parties) value table in [0, 1], and (parties, issues) weights."""

    values: tuple[np.ndarray, ...]
    weights: np.ndarray
    uncertain: bool = False

    @property
    def n_parties(self) -> int:
        return self.weights.shape[0]

    def truce(self) -> Problem:
        """A fresh truce problem (no cached frontier), no deal worth 0 to everyone; saliences drawn
        per run from U(0.5 w, 1.5 w) when uncertain (NegMAS plays the nominal weights w)."""
        problem = Problem.from_arrays(list(self.values), self.weights, np.zeros(self.n_parties))
        if not self.uncertain:
            return problem
        items = tuple(
            UncertainInput("salience", (p, j), "uniform", (0.5 * w, 1.5 * w), (0.0, 10.0)) for (p, j), w in np.ndenumerate(self.weights)
        )
        return replace(problem, salience=self.weights.copy(), uncertain=items)

    def negmas(self):
        """The same problem in NegMAS: its issues and one LinearAdditiveUtilityFunction per party."""
        from negmas.outcomes import make_issue, make_os
        from negmas.preferences import LinearAdditiveUtilityFunction

        issues = [make_issue(len(table), name=f"issue{j}") for j, table in enumerate(self.values)]
        outcome_space = make_os(issues)
        ufuns = [
            LinearAdditiveUtilityFunction(
                values=[{k: float(v) for k, v in enumerate(table[:, party])} for table in self.values],
                weights=[float(w) for w in self.weights[party]],
                outcome_space=outcome_space,
                reserved_value=0.0,
            )
            for party in range(self.n_parties)
        ]
        return issues, ufuns


def make_problem(setting: Setting, index: int, seed: int) -> RandomProblem:
    """Independent U(0,1) values rescaled per party and issue to [0, 1] (worst option 0, best 1); flat Dirichlet weights."""
    rng = np.random.default_rng([seed, setting.n_parties, setting.n_issues, index])
    values = []
    for _ in range(setting.n_issues):
        raw = rng.random((N_OPTIONS, setting.n_parties))
        values.append((raw - raw.min(axis=0)) / (raw.max(axis=0) - raw.min(axis=0)))
    weights = rng.dirichlet(np.ones(setting.n_issues), size=setting.n_parties)
    return RandomProblem(values=tuple(values), weights=weights, uncertain=setting.uncertain)


# --- measurement ---------------------------------------------------------------


@dataclass
class Tally:
    """Negotiations played by one tool and configuration over a setting's problems."""

    label: str
    negotiations: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    agreed: int = 0
    round_sum: float = 0.0
    utility_sum: list[float] = field(default_factory=list)
    agreements: list = field(default_factory=list)
    """Per problem: the package agreed in its first negotiation (tuple of option indices), or None."""
    repeatable: bool = True
    """Every negotiation (run) on a problem reached the same outcome."""
    same_as_negmas: int | None = None
    timed: bool = True

    @property
    def per_second(self) -> float | None:
        return self.negotiations / self.seconds if self.timed and self.seconds > 0 else None

    @property
    def agreement_rate(self) -> float:
        return self.agreed / self.negotiations

    @property
    def mean_round(self) -> float | None:
        return self.round_sum / self.agreed if self.agreed else None

    @property
    def mean_utilities(self) -> list[float] | None:
        return [u / self.agreed for u in self.utility_sum] if self.agreed else None

    def add(self, n: int, agreed: int, round_sum: float, utility_sum: np.ndarray) -> None:
        self.negotiations += n
        self.agreed += agreed
        self.round_sum += round_sum
        if not self.utility_sum:
            self.utility_sum = [0.0] * len(utility_sum)
        self.utility_sum = [a + float(b) for a, b in zip(self.utility_sum, utility_sum)]

    def summary(self) -> dict:
        return {
            **asdict(self),
            "negotiations_per_second": self.per_second,
            "agreement_rate": self.agreement_rate,
            "mean_round": self.mean_round,
            "mean_utilities": self.mean_utilities,
        }

