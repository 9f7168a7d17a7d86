"""Benchmark: truce's batched negotiation simulation against NegMAS's SAOMechanism, Boulware against Boulware.

Claim checked
-------------
truce plays many runs of a negotiation at once, in lockstep, as numpy
arrays (``truce.simulate``: ``alternating_offers`` over chunks of runs), where
NegMAS plays one negotiation at a time in Python. So on the same problems,
with time-dependent Boulware negotiators on every side and 100 rounds, truce
should

* play at least 3,000x as many negotiations per second as NegMAS on 1,000
  outcomes, with fixed or uncertain saliences and 2 or 5 parties, and at
  least 10,000x on 100,000 outcomes, at truce's defaults (knowledge noise
  0.1), and
* reach the same figures: agreement rate and each party's mean utility
  within 0.05 of NegMAS's for the bilateral Boulware pair (at noise 0);

while its working memory stays under 64 MiB from 10,000 to 1,000,000 runs.

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

NegMAS side
-----------
The same issues (``negmas.outcomes.make_issue(10, name)``) and one
``negmas.preferences.LinearAdditiveUtilityFunction`` per party (a table
value function per issue, the same weights, ``reserved_value=0.0``), built
once per problem; each negotiation (timed end to end) is a fresh
``negmas.sao.SAOMechanism(issues=issues, n_steps=100,
one_offer_per_step=True)`` with one fresh
``negmas.sao.negotiators.BoulwareTBNegotiator()`` per party
(``mechanism.add(negotiator, preferences=ufun)``), run by
``mechanism.run()``. ``one_offer_per_step=True`` makes a NegMAS step one
offer, as a truce round is (NegMAS's default plays every party's offer in
one step, 2 offers per step bilaterally); see "Rounds" below.

NegMAS's Boulware, read from negmas 0.16.0
(``gb/negotiators/timebased.py``, ``negotiators/helpers.py``,
``gb/components/inverter.py``, ``preferences/inv_ufun/presorting.py``,
``mechanisms.py``):

* aspiration ``a(t) = 1 - t^4`` (``PolyAspiration(1.0, "boulware")``,
  exponent 4), scaled to ``min + (max - min) a(t)`` with ``max`` the best
  utility and ``min = max(worst utility, reserved value)``, less
  ``eps = 1e-4``;
* relative time at step s (0-based) of an ``n_steps`` negotiation:
  ``t = (s + 1) / (n_steps + 1)``, so it never reaches 1 (the last target is
  ``1 - (100/101)^4 = 0.039``);
* offers: ``stochastic=False``, so the inverter's ``worst_in``: the outcome
  it values least among those worth at least its aspiration (presorted
  exact inverse below 1e6 outcomes);
* accepts an offer worth at least its aspiration at the step it responds,
  which in one-offer-per-step mode is the step after the offer (with 5
  parties, the k-th responder answers k steps after the offer, and the
  offer stands only if all answer yes in turn).

truce side
----------
``Problem.from_arrays(values, weights, zeros)`` then ``problem.simulate(
strategies=..., runs=..., rounds=100, noise=...)``: the headline
``"boulware"`` at the default noise 0.1; the comparisons of outcomes at
noise 0 (NegMAS's Boulware does not model its opponent, and truce's
proposer then sees the others' true utilities). Two truce strategies: ``"boulware"`` (truce's
registered unit, ``target = best (1 - (t / 99)^(1/e))`` with e = 0.2, i.e.
``t^5``), and ``"time-dependent:e=0.25"``, the same family with NegMAS's
exponent (``t^4``). truce's proposer offers, among packages worth at least
its target, the one best for the others; NegMAS's the one worst for itself.
To show that this offering rule, not the engine, is what separates the two,
a third, diagnostic truce run replays NegMAS's rules inside truce's engine
(``NegmasBoulwareReplica`` below: NegMAS's time, exponent, eps, ``worst_in``
offer and one-step-later acceptance) and counts the problems on which it
reaches NegMAS's exact agreement. Exact only bilaterally and where truce's
candidate pool is the whole space (up to 20,000 packages; above that the
pool is the Pareto frontier, which NegMAS's offers leave), that is on (a).

Memory
------
truce alone on problem (au) #0 at the defaults (noise 0.1, saliences drawn
per run) with 10,000, 100,000 and 1,000,000 runs: the tracemalloc peak of one
``simulate`` call, what the returned result still holds, and the difference
(working memory); and the same call in a fresh process (``memory.py``): peak
resident memory less that before the call and the result's arrays. Target:
at most 64 MiB at every size.

Rounds
------
Both tools count offers: truce's round r (1-based) is its r-th offer; a
NegMAS negotiation that agrees on the offer made at step s (0-based) is
reported at round s + 1 (NegMAS's own ``state.step`` then reads
s + n_parties, the responders' steps included). The mean is over
negotiations that agreed.

Run with ``bash benchmarks/run.sh simulate`` (it sets up ``.venv-bench``).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings
from dataclasses import asdict, dataclass, field, replace
from typing import ClassVar

import numpy as np
from pareto import environment, print_tables  # benchmarks/pareto.py

from truce.problem import Problem
from truce.problem_samples import UncertainInput
from truce.simulate import candidate_pool
from truce.simulate.strategies import Context, Strategy

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


# --- NegMAS's rules inside truce's engine (diagnostic) -----------------------


@dataclass
class NegmasBoulwareReplica(Strategy):
    """NegMAS 0.16.0's ``BoulwareTBNegotiator`` in a one-offer-per-step ``SAOMechanism``, as a truce strategy.

    Steps, for round t of T (one offer per round, as one NegMAS step):

    1. Aspiration at step s: ``floor + (best - floor)(1 - ((s + 1) / (T + 1))^4) - 1e-4``
       (``PolyAspiration(1.0, "boulware")`` scaled by ``UtilityInverter.scale_utilities``,
       relative time from ``Mechanism._relative_time_for``).
    2. The proposer offers the candidate it values least among those worth at
       least its aspiration at step t (``PresortingInverseUtilityFunction.worst_in``;
       its best candidate when none reaches it).
    3. A party d places after the proposer answers at step t + d: it accepts
       when the offer is worth at least its aspiration at t + d, and cannot
       answer after the deadline (``UtilBasedNegotiator.respond``).

    Bilaterally this is NegMAS's protocol exactly. With more parties NegMAS
    lets the first responder who rejects propose next (truce rotates the
    proposer every round), so the turn order can drift apart after a
    partial acceptance. Not registered: a benchmark instrument, not a truce
    strategy. Needs the preferences shared by all runs (no uncertain inputs).

    Names: Boulware time-based negotiator [NegMAS]_.
    """

    name: ClassVar[str] = "negmas-boulware-replica"
    source: ClassVar[str] = "NegMAS 0.16.0, negmas.gb.negotiators.timebased.BoulwareTBNegotiator in negmas.sao.SAOMechanism(one_offer_per_step=True)"
    classifier: ClassVar[dict] = {"deterministic": True, "knowledge": "own preferences", "parameters": {"e": 4.0}}
    epsilon: ClassVar[float] = 1e-4
    """``UtilBasedNegotiator(eps=1e-4)``: the aspiration band is widened by this much."""

    def prepare(self, arena, party: int, strategies: list[Strategy]) -> None:
        if arena.utility.shape[0] != 1:
            raise ValueError("the NegMAS replica needs preferences shared by all runs")
        own = arena.utility[0, :, party]
        self._order = np.argsort(own, kind="stable")
        self._ascending = own[self._order]

    def _aspiration(self, context: Context, party: int, step: int) -> np.ndarray:
        relative_time = min(1.0, (step + 1) / (context.arena.rounds + 1))
        floor = context.floor[:, party]
        best = np.broadcast_to(context.best[:, party], floor.shape)
        exponent = self.parameters.get("e", 4.0)
        return floor + (best - floor) * (1.0 - relative_time**exponent) - self.epsilon

    def target(self, context: Context, party: int) -> np.ndarray:
        places_after_proposer = (party - context.t) % context.arena.n_parties  # first proposer 0
        step = context.t + places_after_proposer
        if step > context.arena.rounds - 1:
            return np.full(context.floor.shape[0], np.inf)
        return self._aspiration(context, party, step)

    def offers(self, context: Context, party: int) -> np.ndarray:
        aspiration = self._aspiration(context, party, context.t)
        position = np.searchsorted(self._ascending, aspiration, side="left")
        return self._order[np.minimum(position, len(self._ascending) - 1)]


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


def negmas_negotiation(issues, ufuns):
    """One NegMAS negotiation, Boulware against Boulware; returns the mechanism after ``run()``."""
    from negmas.sao import SAOMechanism
    from negmas.sao.negotiators import BoulwareTBNegotiator

    mechanism = SAOMechanism(issues=issues, n_steps=ROUNDS, one_offer_per_step=True)
    for ufun in ufuns:
        mechanism.add(BoulwareTBNegotiator(), preferences=ufun)
    mechanism.run()
    return mechanism


def play_negmas(tally: Tally, problem: RandomProblem, negotiations: int) -> None:
    """``negotiations`` NegMAS negotiations on one problem, each timed end to end."""
    issues, ufuns = problem.negmas()
    outcomes = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(negotiations):
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            mechanism = negmas_negotiation(issues, ufuns)
            tally.seconds += time.perf_counter() - wall
            tally.cpu_seconds += time.process_time() - cpu
            agreement = mechanism.state.agreement
            if agreement is None:
                tally.add(1, 0, 0.0, np.zeros(problem.n_parties))
            else:
                step, _, offer = mechanism.extended_trace[-1]
                assert tuple(offer) == tuple(agreement), "the agreement is the last offer made"
                tally.add(1, 1, step + 1, np.array([float(u(agreement)) for u in ufuns]))
            outcomes.append(None if agreement is None else tuple(int(v) for v in agreement))
    tally.repeatable &= len(set(outcomes)) == 1
    tally.agreements.append(outcomes[0])


def play_truce(tally: Tally, problem: RandomProblem, strategies, runs: int, seed: int, noise: float, **options) -> None:
    """``runs`` truce runs of one problem in one ``simulate`` call on a fresh Problem, timed."""
    fresh = problem.truce()
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fresh.simulate(strategies=strategies, runs=runs, seed=seed, rounds=ROUNDS, noise=noise, **options)
    tally.seconds += time.perf_counter() - wall
    tally.cpu_seconds += time.process_time() - cpu
    agreed = result.agreed
    tally.add(
        runs,
        int(agreed.sum()),
        float((result.rounds[agreed] + 1).sum()),  # rounds counted from 1, as truce reports them
        result.utilities[agreed].sum(axis=0) if agreed.any() else np.zeros(problem.n_parties),
    )
    if noise == 0 and not problem.uncertain and options:  # deterministic, first proposer fixed: every run the same
        tally.repeatable &= bool((agreed == agreed[0]).all() and (result.packages == result.packages[0]).all())
    tally.agreements.append(tuple(int(v) for v in result.packages[0]) if agreed[0] else None)


@dataclass
class SettingResult:
    setting: Setting
    pool_size: float
    """Mean number of candidate packages truce's proposers choose from."""
    negmas: Tally
    truce: list[Tally]
    """truce "boulware" at the default noise, then (fixed preferences only) the matched exponent and the diagnostic replica."""

    @property
    def headline(self) -> Tally:
        return self.truce[0]

    @property
    def matched(self) -> Tally | None:
        return self.truce[1] if len(self.truce) > 1 else None

    @property
    def replica(self) -> Tally | None:
        return self.truce[2] if len(self.truce) > 2 else None

    @property
    def speedup(self) -> float:
        return self.headline.per_second / self.negmas.per_second

    @property
    def cpu_speedup(self) -> float:
        """Speed-up per CPU-second (truce may run its chunks on several threads; NegMAS uses one)."""
        return (self.negmas.cpu_seconds / self.negmas.negotiations) / (self.headline.cpu_seconds / self.headline.negotiations)


def largest_difference(tally: Tally, reference: Tally) -> tuple[float, float | None]:
    """|difference| in agreement rate, and the largest over parties in mean utility (None if either never agreed)."""
    agreement = abs(tally.agreement_rate - reference.agreement_rate)
    if tally.mean_utilities is None or reference.mean_utilities is None:
        return agreement, None
    return agreement, max(abs(a - b) for a, b in zip(tally.mean_utilities, reference.mean_utilities))


def run_setting(setting: Setting, seed: int) -> SettingResult:
    """Both tools on each problem in turn, so that both see the same load on a shared machine."""
    problems = [make_problem(setting, index, seed) for index in range(setting.problems)]
    pool_size = float(np.mean([len(candidate_pool(p.truce(), p.truce().nominal_samples(1))) for p in problems]))
    truce_configurations = [(f"truce boulware, noise {NOISE:g}", "boulware", setting.truce_runs, NOISE)]
    if not setting.uncertain:  # NegMAS's Boulware knows nothing of the others: compared at noise 0
        truce_configurations += [
            ("truce e=0.25, offer=target", MATCHED_STRATEGY, setting.truce_runs, 0.0),
            ("truce, NegMAS rules", NegmasBoulwareReplica(), REPLICA_RUNS, 0.0),  # party 0 first, as in NegMAS
        ]
    negmas = Tally(label="NegMAS")
    truce = [Tally(label=label, timed=label != "truce, NegMAS rules") for label, _, _, _ in truce_configurations]
    # warm-up, untimed: imports and first-call costs of both tools
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        negmas_negotiation(*problems[0].negmas())
    for _, strategies, runs, noise in truce_configurations:
        problems[0].truce().simulate(strategies=strategies, runs=min(runs, 1000), seed=seed, rounds=ROUNDS, noise=noise)

    for problem in problems:
        play_negmas(negmas, problem, setting.negmas_per_problem)
        for tally, (label, strategies, runs, noise) in zip(truce, truce_configurations):
            play_truce(tally, problem, strategies, runs, seed, noise, **({"first_proposer": 0} if label == "truce, NegMAS rules" else {}))
    print(
        f"  {setting.description}: NegMAS {negmas.negotiations} negotiations in {negmas.seconds:.2f} s; "
        + "; ".join(f"{t.label} {t.negotiations:,} runs in {t.seconds:.2f} s" for t in truce),
        file=sys.stderr,
        flush=True,
    )
    for tally in truce:
        tally.same_as_negmas = sum(a == b for a, b in zip(tally.agreements, negmas.agreements))
    return SettingResult(setting=setting, pool_size=pool_size, negmas=negmas, truce=truce)


@dataclass
class MemoryRun:
    runs: int
    seconds: float
    peak_mib: float
    """tracemalloc peak during one (separate, untimed) simulate call."""
    retained_mib: float
    """Still allocated when the call has returned: what the SimulationResult keeps (its per-run arrays)."""
    rss_working_mib: float = math.nan
    """Whole process, fresh (memory.py): peak resident memory less that before the call and the result's arrays."""

    @property
    def per_second(self) -> float:
        return self.runs / self.seconds

    @property
    def working_mib(self) -> float:
        """Freed by the end of the call: chunks in play, inputs drawn up front, intermediate copies."""
        return self.peak_mib - self.retained_mib


def measure_memory(problem: RandomProblem, sizes, seed: int) -> list[MemoryRun]:
    """At truce's defaults (noise 0.1) on ``problem``: time, tracemalloc figures, and a fresh process's peak RSS (memory.py)."""
    rows = []
    for runs in sizes:
        fresh = problem.truce()
        gc.collect()
        start = time.perf_counter()
        fresh.simulate(strategies="boulware", runs=runs, seed=seed, rounds=ROUNDS)
        seconds = time.perf_counter() - start
        fresh = problem.truce()
        gc.collect()
        tracemalloc.start()
        result = fresh.simulate(strategies="boulware", runs=runs, seed=seed, rounds=ROUNDS)
        retained, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del result
        command = [sys.executable, os.path.join(os.path.dirname(__file__), "memory.py"), "--runs", str(runs), "--seed", str(seed)]
        rss = json.loads(subprocess.run(command + (["--uncertain"] if problem.uncertain else []), capture_output=True, text=True, check=True).stdout)
        rows.append(MemoryRun(runs=runs, seconds=seconds, peak_mib=peak / 2**20, retained_mib=retained / 2**20, rss_working_mib=rss["working_mib"]))
        print(f"  memory {runs:,} runs: {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def memory_slope(rows: list[MemoryRun]) -> tuple[float, float]:
    """Peak memory as ``fixed + per_run * runs`` through the two largest sizes: (fixed MiB, bytes per run)."""
    small, large = rows[-2], rows[-1]
    per_run = (large.peak_mib - small.peak_mib) * 2**20 / (large.runs - small.runs)
    return large.peak_mib - per_run * large.runs / 2**20, per_run


# --- targets -------------------------------------------------------------------


def targets(results: list[SettingResult], memory: list[MemoryRun]) -> list[dict]:
    by_key = {r.setting.key: r for r in results}
    rows = []

    def speed_row(key: str, minimum: float, extra: str = "", beat: SettingResult | None = None) -> None:
        result = by_key[key]
        passed = result.speedup >= minimum and (beat is None or result.speedup > beat.speedup)
        rows.append(
            {
                "target": f">= {minimum:,.0f}x NegMAS's negotiations/s, {result.setting.description}{extra}",
                "measured": result.speedup,
                "status": "PASS" if passed else "FAIL",
                "detail": f"{result.speedup:,.0f}x ({result.cpu_speedup:,.0f}x per CPU-second)",
            }
        )

    speed_row("a", SPEEDUP_TARGET)
    speed_row("au", SPEEDUP_TARGET)
    speed_row("cu", SPEEDUP_TARGET)
    speed_row("b", LARGE_SPEEDUP_TARGET)
    for key in ("a", "b"):
        result = by_key[key]
        agreement, utility = largest_difference(result.matched, result.negmas)
        passed = agreement <= CLOSENESS_TARGET and utility is not None and utility <= CLOSENESS_TARGET
        rows.append(
            {
                "target": f'agreement rate and mean utilities within {CLOSENESS_TARGET} of NegMAS, {result.setting.description}, truce "{MATCHED_STRATEGY}"',
                "measured": max(agreement, utility if utility is not None else math.inf),
                "status": "PASS" if passed else "FAIL",
                "detail": f"agreement {agreement:.3f}, utilities {'-' if utility is None else f'{utility:.3f}'}",
            }
        )
    # NegMAS's rules can be replayed exactly only bilaterally and when truce's pool is the whole space
    # (above ENUMERATE_UP_TO packages the pool is the Pareto frontier, which NegMAS's offers leave)
    exact = [r for r in results if r.setting.n_parties == 2 and r.pool_size == r.setting.n_outcomes and r.replica is not None]
    same, total = sum(r.replica.same_as_negmas for r in exact), sum(r.setting.problems for r in exact)
    rows.append(
        {
            "target": "diagnostic: NegMAS's rules in truce's engine reach NegMAS's exact deal on every bilateral problem whose pool is the whole space ("
            + ", ".join(f"({r.setting.key})" for r in exact)
            + ")",
            "measured": same / total if total else None,
            "status": "PASS" if total and same == total else "FAIL" if total else "NOT RUN",
            "detail": f"{same} of {total} problems",
        }
    )
    worst = max(max(m.working_mib, m.rss_working_mib) for m in memory)
    rows.append(
        {
            "target": f"working memory (peak less what the result keeps) <= {WORKING_MEMORY_TARGET:g} MiB from {memory[0].runs:,} to {memory[-1].runs:,} runs at the defaults, tracemalloc and whole-process RSS",
            "measured": worst,
            "status": "PASS" if worst <= WORKING_MEMORY_TARGET else "FAIL",
            "detail": ", ".join(f"{m.runs:,}: {m.working_mib:,.1f} / {m.rss_working_mib:,.1f} MiB" for m in memory),
        }
    )
    return rows


# --- formatting ------------------------------------------------------------------


def _rate(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.1f}/s" if x < 100 else f"{x:,.0f}/s"


def _utilities(values: list[float] | None) -> str:
    return "-" if values is None else " ".join(f"{v:.3f}" for v in values)


def tables(results: list[SettingResult], memory: list[MemoryRun], target_rows: list[dict]):
    speed_table = (
        f"Negotiations per second, Boulware vs Boulware, {ROUNDS} rounds (truce \"boulware\")",
        [
            "problem",
            "outcomes",
            "problems",
            "NegMAS negotiations",
            "NegMAS",
            "truce runs",
            "truce pool",
            "truce",
            "speed-up",
            "per CPU-s",
        ],
        [
            [
                r.setting.description,
                f"{r.setting.n_outcomes:,}",
                str(r.setting.problems),
                f"{r.negmas.negotiations:,}",
                _rate(r.negmas.per_second),
                f"{r.headline.negotiations:,}",
                f"{r.pool_size:,.0f}",
                _rate(r.headline.per_second),
                f"{r.speedup:,.0f}x",
                f"{r.cpu_speedup:,.0f}x",
            ]
            for r in results
        ],
    )
    outcome_rows = []
    for r in results:
        for tally in [r.negmas, *r.truce]:
            agreement, utility = largest_difference(tally, r.negmas)
            reference = tally is r.negmas
            outcome_rows.append(
                [
                    f"({r.setting.key})",
                    tally.label,
                    f"{tally.negotiations:,}",
                    _rate(tally.per_second),
                    f"{tally.agreement_rate:.3f}",
                    "-" if tally.mean_round is None else f"{tally.mean_round:.1f}",
                    _utilities(tally.mean_utilities),
                    "-" if reference else f"{agreement:.3f}",
                    "-" if reference or utility is None else f"{utility:.3f}",
                    "-" if reference else f"{tally.same_as_negmas} / {r.setting.problems}",
                ]
            )
    outcome_table = (
        "What the negotiations reach (means over the problems; rounds = offers until the agreed one, from 1)",
        [
            "problem",
            "configuration",
            "negotiations",
            "rate",
            "agreement",
            "mean round",
            "mean utility per party",
            "|d agreement|",
            "max |d utility|",
            "same deal",
        ],
        outcome_rows,
    )
    fixed, per_run = memory_slope(memory)
    memory_table = (
        'truce memory as runs grow, problem (au) #0, "boulware", noise 0.1 (the defaults)',
        ["runs", "time", "rate", "peak memory (tracemalloc)", "kept by the result", "working (peak - kept)", "working, whole process (RSS)", "peak / run"],
        [
            [
                f"{m.runs:,}",
                f"{m.seconds:.2f} s",
                _rate(m.per_second),
                f"{m.peak_mib:,.1f} MiB",
                f"{m.retained_mib:,.1f} MiB",
                f"{m.working_mib:,.1f} MiB",
                f"{m.rss_working_mib:,.1f} MiB",
                f"{m.peak_mib * 2**20 / m.runs:,.0f} B",
            ]
            for m in memory
        ]
        + [["peak fit", "", "", f"{fixed:,.1f} MiB + {per_run:,.0f} B/run", "", "", "", ""]],
    )
    target_table = (
        "Targets",
        ["target", "measured", "result"],
        [[row["target"], row["detail"], row["status"]] for row in target_rows],
    )
    return [speed_table, outcome_table, memory_table, target_table]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run (the speed targets then are rough)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random problems (default 0)")
    parser.add_argument("--problems", type=int, help="random problems per setting (default 10, 5, 10; quick 3, 2, 3)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    settings = QUICK_SETTINGS if args.quick else SETTINGS
    if args.problems is not None:
        if args.problems < 1:
            parser.error("--problems must be >= 1")
        settings = tuple(Setting(**{**asdict(s), "problems": args.problems}) for s in settings)
    env = environment()
    print(f"environment: {env}", file=sys.stderr, flush=True)
    load_at_start = os.getloadavg()[0]

    results = [run_setting(setting, args.seed) for setting in settings]
    memory = measure_memory(make_problem(settings[1], 0, args.seed), QUICK_MEMORY_RUNS if args.quick else MEMORY_RUNS, args.seed)
    target_rows = targets(results, memory)
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = {"start": load_at_start, "end": os.getloadavg()[0]}

    repeatable = all(tally.repeatable for r in results for tally in [r.negmas, *r.truce])
    notes = [
        (
            f"seed {args.seed}{' (quick)' if args.quick else ''}. numpy {env['numpy']}, negmas {env['negmas']}, "
            f"truce {env['truce']}, Python {env['python']}, {env['cpu_count']} cores, "
            f"OPENBLAS_CORETYPE={env['OPENBLAS_CORETYPE']}."
        ),
        (
            "NegMAS: SAOMechanism(issues, n_steps=100, one_offer_per_step=True) + one BoulwareTBNegotiator per party, "
            "fresh each negotiation (ufuns built once per problem), timed end to end after one untimed warm-up; one process."
        ),
        (
            f"truce: problem.simulate(strategies=..., runs=..., rounds=100, noise=...) on a fresh Problem per problem: 'boulware' at the default noise {NOISE:g}, "
            "the NegMAS comparisons at noise 0 (NegMAS's Boulware models no one); uncertain saliences: U(0.5 w, 1.5 w) per run, NegMAS plays w; "
            f'"{MATCHED_STRATEGY}" has NegMAS\'s Boulware exponent (t^4); truce runs its chunks on threads: '
            "'per CPU-s' divides CPU time, not wall time."
        ),
        (
            f"Load average (1 min) {load['start']:.1f} at the start, {load['end']:.1f} at the end, on {env['cpu_count']} cores: "
            "other processes slow both tools (each problem is measured on both in turn); 'per CPU-s' is less sensitive to them."
        ),
        "Rounds: truce round r = its r-th offer; NegMAS agreement on the offer made at step s (0-based) = round s + 1.",
        f"Peak memory: tracemalloc peak during one simulate() call; whole process max RSS {max_rss_mib:,.0f} MiB.",
        (
            "'same deal': problems on which the configuration agreed on NegMAS's package (or neither agreed). "
            f"Every negotiation (run) on a problem reached the same outcome: {'yes' if repeatable else 'NO'} "
            "(both tools are deterministic here)."
        ),
    ]
    print_tables(tables(results, memory, target_rows), notes)

    if args.json:
        fixed, per_run = memory_slope(memory)
        figures = {
            "environment": env,
            "seed": args.seed,
            "quick": args.quick,
            "rounds": ROUNDS,
            "settings": [
                {
                    **asdict(r.setting),
                    "n_outcomes": r.setting.n_outcomes,
                    "truce_pool_size": r.pool_size,
                    "speedup": r.speedup,
                    "cpu_speedup": r.cpu_speedup,
                    "negmas": r.negmas.summary(),
                    "truce": [t.summary() for t in r.truce],
                }
                for r in results
            ],
            "memory": [{**asdict(m), "working_mib": m.working_mib, "negotiations_per_second": m.per_second} for m in memory],
            "memory_fit": {"fixed_mib": fixed, "bytes_per_run": per_run},
            "targets": target_rows,
            "max_rss_mib": max_rss_mib,
            "load_average": load,
        }
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)
    return 0 if all(row["status"] != "FAIL" for row in target_rows) else 1


if __name__ == "__main__":
    sys.exit(main())
