"""Phased agreements: phase 1 signed with the later issues left open, each later phase negotiated
while the one before it holds.

For every Monte Carlo run (all runs in lockstep, as numpy arrays):

1. Phase 1's talks are the ordinary protocol over the packages that settle
   phase 1's issues and leave every later issue deferred (each party's
   ``deferred`` value), with the scenario's costs and breakdown risk.
2. A signed phase holds until it breaks down (the durability model on the
   package in force, its own class and provisions, the clock starting at
   its signature: each agreement is its own spell, as the ETH/PRIO
   ceasefire data record successive agreements), until its fixed term
   expires (not a breakdown), or until the next phase replaces it.
3. Phase k + 1 is negotiated from phase k's signature on, over its own
   issues, the earlier issues fixed at what was agreed and the later ones
   deferred. It comes into force only if it is signed, at day
   ``(round + 1) x round_days`` of its talks, no later than phase k's end
   (breakdown or expiry). Its talks' deadline is phase k's term. If they
   fail, what the parties fall back on is the arrangement that stands: an
   open-ended phase k goes on (its package is then each party's no-deal
   value in these talks); a fixed-term phase expires and the parties are
   back at the scenario's no-deal value.

4. What a party implements in a phase is what the other side's defection
   after it can cost it: in each phase's talks a party's exposure is scaled
   by the share of its weight on the phase's issues. Breaking a deal into
   steps keeps what each side risks at each step small (Schelling 1960,
   ch. 2; Kydd 2000); with it, a phase is worth signing to a party exactly
   when its own issues would be as a deal of their own.

So P(phase k + 1 reached) = P(phase k reached) x P(signed in time | phase k
reached): the hand-worked identity the tests check. The parties' strategies
see their costs and the term, not the drawn breakdown day of the phase
that holds (a risk they do not anticipate).

The earlier issues' contribution to each party's utility is constant within
a run, so it enters the talks as a per-run side payment (the payoff model
adds it to every candidate in the same way: :mod:`truce.simulate.arena`)
and the candidate pool only varies the phase's own issues.
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np

from truce.analysis.red_lines import crosses, frontier_within
from truce.errors import InputError
from truce.limits import Limits, check_simulation_memory, check_work
from truce.problem import Problem, Samples
from truce.simulate.durability import DurabilityResult, survival_of
from truce.simulate.montecarlo import ENUMERATE_UP_TO, FRONTIER_SAMPLES, simulate
from truce.simulate.phase_results import PHASE_ENDS, TALK_ENDS, PhaseResult, PhasedResult

def check_phases(problem: Problem) -> None:
    """Raise ValueError unless the phases cover every issue once and later issues can be deferred."""
    if not problem.phases:
        raise InputError("the scenario has no phases; expected a phases list (see docs/reference/scenario.md)")
    seen = [j for phase in problem.phases for j in phase.issues]
    if sorted(seen) != list(range(problem.n_issues)):
        raise InputError("the phases must settle every issue exactly once")
    for phase in problem.phases[1:]:
        for j in phase.issues:
            if not (problem.deferrable and problem.deferrable[j]):
                raise InputError(f"issue '{problem.issue_ids[j]}' is settled in a later phase; expected it deferrable")


def phase_pool(problem: Problem, phase_issues: tuple[int, ...], later: list[int], samples: Samples) -> np.ndarray:
    """(M, n_issues): packages varying the phase's issues over their settled options; later issues
    deferred (their last option), earlier ones at option 0 (a placeholder, replaced per run).

    The whole product of the phase's options when it is small, else the union of the Pareto
    frontiers over the phase's issues of the nominal problem and of a few sampled runs (the
    earlier issues add a constant per party, which moves no package on or off the frontier)."""
    counts = [len(problem.settled_labels(j)) for j in phase_issues]
    ruled_out = [problem.ruled_out[j][: counts[n]] for n, j in enumerate(phase_issues)]  # red lines on the phase's settled options
    if np.prod(counts, dtype=float) <= ENUMERATE_UP_TO:
        chosen = np.indices(counts).reshape(len(counts), -1).T
        chosen = chosen[~crosses(chosen, ruled_out)]
    else:
        epsilon = None if problem.n_parties == 2 else 0.02
        tables = [problem.weighted_values]
        if problem.uncertain:
            for run in np.unique(np.linspace(0, len(samples) - 1, min(FRONTIER_SAMPLES, len(samples))).astype(int)):
                weights, values = problem.realise(samples, run, run + 1)
                tables.append(tuple(v[0] * weights[0, :, j] for j, v in enumerate(values)))
        chosen = np.unique(
            np.concatenate([frontier_within([table[j][: counts[n]] for n, j in enumerate(phase_issues)], ruled_out, epsilon)[0] for table in tables]),
            axis=0,
        )
    pool = np.zeros((len(chosen), problem.n_issues), dtype=np.int64)
    pool[:, list(phase_issues)] = chosen
    pool[:, later] = problem.n_options[later] - 1
    return pool


def take(samples: Samples, rows: np.ndarray) -> Samples:
    """The samples of the given runs only."""
    picked = {}
    for item in fields(samples):
        value = getattr(samples, item.name)
        picked[item.name] = {k: np.asarray(v)[rows] for k, v in value.items()} if isinstance(value, dict) else np.asarray(value)[rows]
    return Samples(**picked)


def _seed(seed: int, phase: int, purpose: int) -> int:
    """A seed of its own for each phase's talks (purpose 0) and durability draws (purpose 1)."""
    return int(np.random.SeedSequence([seed, 0x9A5E, phase, purpose]).generate_state(1)[0])


def _draw(problem: Problem, runs: int, seed: int) -> Samples:
    return problem.sample(runs, np.random.default_rng(seed)) if problem.uncertain else problem.nominal_samples(runs)


def first_phase_talks(problem: Problem, *, runs: int = 1000, seed: int = 0, rounds: int | None = None, samples: Samples | None = None, progress=None, **options):
    """Phase 1's talks alone, exactly as :func:`simulate_phases` plays them first (a SimulationResult:
    its ``agreed`` is "phase 1 signed"); ``samples`` fixes the uncertain inputs per run."""
    check_phases(problem)
    rounds = problem.rounds if rounds is None else rounds
    samples = _draw(problem, runs, seed) if samples is None else samples
    later = [j for phase in problem.phases[1:] for j in phase.issues]
    unused = np.zeros((runs, problem.n_issues), dtype=np.int64)  # the package in force: none before phase 1
    return _talks(problem, 0, problem.phases[0].issues, [], later, samples, np.arange(runs), unused, np.inf, rounds, seed, progress, options)


def simulate_phases(
    problem: Problem, *, runs: int = 1000, seed: int = 0, rounds: int | None = None, samples: Samples | None = None, progress=None, **options
) -> PhasedResult:
    """Play ``runs`` phased negotiations (see the module docstring); ``options`` go to
    :func:`truce.simulate.simulate` for every phase's talks (protocol, strategies, noise, ...);
    ``samples`` fixes the uncertain inputs per run (default: drawn from ``seed``)."""
    check_phases(problem)
    limits = Limits.from_env()  # every phase's talks at most: checked for all of them before the first
    check_work(runs, problem.rounds if rounds is None else rounds, limits, simulations=len(problem.phases), rounds_what="rounds" if rounds is None else "--rounds")
    check_simulation_memory(runs * len(problem.phases), problem.n_parties, problem.n_issues, len(problem.uncertain), limits)
    rounds = problem.rounds if rounds is None else rounds
    samples = _draw(problem, runs, seed) if samples is None else samples
    n_issues, parties = problem.n_issues, problem.n_parties
    in_force = np.full((runs, n_issues), -1, dtype=np.int64)
    later_issues = [j for phase in problem.phases[1:] for j in phase.issues]
    in_force[:, later_issues] = problem.n_options[later_issues] - 1
    opened = np.ones(runs, dtype=bool)
    previous_end = np.full(runs, np.inf)  # days the phase in force lasts (breakdown or expiry), from its signature
    previous_term = np.inf
    previous_start = np.zeros(runs)
    earlier: list[int] = []
    phases: list[PhaseResult] = []
    first = None
    for k, phase in enumerate(problem.phases):
        later = [j for other in problem.phases[k + 1:] for j in other.issues]
        rows = np.flatnonzero(opened)
        talks_rounds = rounds if np.isinf(previous_term) else max(1, min(rounds, int(np.floor(previous_term / problem.round_days + 1e-9))))
        outcome = _talks(problem, k, phase.issues, earlier, later, samples, rows, in_force, previous_term, talks_rounds, seed, progress, options)
        if progress is not None and runs > len(rows):
            progress(runs - len(rows))  # runs whose talks on this phase never opened
        if k == 0:
            first = outcome
        signed_at = np.full(runs, -1)
        packages = np.full((runs, n_issues), -1, dtype=np.int64)
        talk_end = np.full(runs, -1)
        if outcome is not None:
            signed_at[rows] = np.where(outcome.agreed, outcome.rounds, -1)
            agreed_packages = outcome.packages.copy()
            agreed_packages[:, earlier] = in_force[rows][:, earlier]
            packages[rows] = np.where(outcome.agreed[:, None], agreed_packages, -1)
            ended_day = np.where(outcome.rounds >= 0, outcome.rounds + 1, talks_rounds) * problem.round_days
            late = ended_day > previous_end[rows] + 1e-9
            expired = outcome.cap_reached & (talks_rounds < rounds)
            code = np.select(
                [late | expired, outcome.agreed, outcome.broke_down, outcome.walked_away],
                [TALK_ENDS.index(name) for name in ("previous phase ended", "signed", "broke down", "walked away")],
                TALK_ENDS.index("cap"),
            )
            talk_end[rows] = code
        reached = talk_end == TALK_ENDS.index("signed")
        packages[~reached] = -1
        day_in_previous = np.where(reached, (signed_at + 1) * problem.round_days, np.nan)
        start = np.where(reached, previous_start + np.nan_to_num(day_in_previous), np.nan)
        utilities = np.full((runs, parties), np.nan)
        if reached.any():
            worth = problem.run_utilities(take(samples, np.flatnonzero(reached)), packages[reached]) + np.asarray(samples.side_payment)[reached]
            utilities[reached] = worth
        survival = _durability(problem, phase.term_days, packages, reached, utilities, samples, _seed(seed, k, 1))
        breakdown = np.where(reached, np.inf, np.nan) if survival is None else survival.breakdown_day
        end = np.where(np.isinf(breakdown), phase.term_days, breakdown)
        phases.append(
            PhaseResult(
                id=phase.id, name=phase.name, issue_ids=tuple(problem.issue_ids[j] for j in phase.issues), term_days=phase.term_days,
                talks=opened.copy(), reached=reached, round=signed_at, day_signed=start, talk_end=talk_end,
                packages=packages, utilities=utilities, breakdown_day=breakdown, end_day=end, durability=survival,
            )
        )
        in_force = np.where(reached[:, None], packages, in_force)
        opened, previous_end, previous_term, previous_start = reached, np.where(reached, end, np.inf), phase.term_days, np.where(reached, start, 0.0)
        earlier = earlier + list(phase.issues)
    return PhasedResult(phases=tuple(_ends(phases, problem.round_days)), first=first, runs=runs, seed=seed, party_ids=problem.party_ids,
                        issue_ids=problem.issue_ids, option_labels=problem.option_labels, round_days=problem.round_days)


def _talks(problem, k, phase_issues, earlier, later, samples, rows, in_force, previous_term, talks_rounds, seed, progress, options):
    """Phase k's talks in the runs ``rows`` (None when there are none)."""
    if not len(rows):
        return None
    sub = take(samples, rows)
    pool = phase_pool(problem, phase_issues, later, samples)
    # what a party implements in this phase is what the other side's defection can cost it
    share = problem.realise(sub)[0][:, :, list(phase_issues)].sum(axis=2)
    sub = replace(sub, exposure=np.asarray(sub.exposure) * share)
    if k > 0:
        placeholder = np.broadcast_to(pool[0] if len(pool) else np.zeros(problem.n_issues, dtype=np.int64), (len(rows), problem.n_issues))
        agreed = placeholder.copy()
        agreed[:, earlier] = in_force[rows][:, earlier]
        offset = problem.run_utilities(sub, agreed) - problem.run_utilities(sub, placeholder)
        # an open-ended phase goes on if these talks fail; a fixed-term one expires back to no deal
        standing = np.clip(problem.run_utilities(sub, in_force[rows]), 0.0, 1.0 - 1e-9)
        reservation = standing if np.isinf(previous_term) else sub.reservation
        sub = replace(sub, side_payment=np.asarray(sub.side_payment) + offset, reservation=np.asarray(reservation, dtype=float))
    return simulate(problem, runs=len(rows), seed=seed if k == 0 else _seed(seed, k, 0), rounds=talks_rounds, samples=sub, pool=pool, progress=progress, **options)


def _durability(problem: Problem, term_days: float, packages, reached, utilities, samples, seed) -> DurabilityResult | None:
    """The durability model on the package in force, with the phase's own term (None when the scenario is no ceasefire)."""
    if not problem.ceasefire:
        return None
    phased = replace(problem, durability={**problem.durability, "term_days": float(term_days), "term_issue": -1})
    return survival_of(phased, packages, reached.copy(), utilities, samples, seed)


def _ends(phases: list[PhaseResult], round_days: float) -> list[PhaseResult]:
    """Each phase's days in force and how it ended, once the next phase is known."""
    finished = []
    for k, phase in enumerate(phases):
        following = phases[k + 1] if k + 1 < len(phases) else None
        replaced = np.zeros_like(phase.reached) if following is None else following.reached
        days = np.where(replaced, (np.maximum(following.round, 0) + 1) * round_days if following is not None else np.nan, phase.end_day)
        code = np.select(
            [replaced, np.isfinite(phase.breakdown_day), np.isfinite(phase.end_day)],
            [PHASE_ENDS.index(name) for name in ("next phase", "breakdown", "expiry")],
            PHASE_ENDS.index("holding"),
        )
        finished.append(replace(phase, days_in_force=np.where(phase.reached, days, np.nan), ended_by=np.where(phase.reached, code, -1)))
    return finished
