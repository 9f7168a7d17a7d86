"""Playing a tournament: every scenario, every assignment of strategies to its roles, each a batch.

1. Role assignments (:func:`role_assignments`). ``all``: every way of giving each of the
   scenario's P roles one of the k strategies (k^P assignments with self-play, k!/(k-P)!
   without), so each strategy plays every role against every opponent; on two parties these
   are both role assignments of every pair, as in ANAC's bilateral rounds, where each agent
   plays each preference profile of a domain against every other agent (Baarslag et al. 2012,
   2013). ``rotation``: each combination of strategies once, in each of its cyclic rotations
   over the roles (P assignments of P different strategies instead of P!), which still puts
   every strategy of a combination in every role; on two parties it is the same as ``all``.
2. A match is one scenario with one assignment, played by the batched engine
   (:func:`truce.simulate.simulate`) as ``repetitions`` runs at once.
3. Every match of a scenario uses the same seed, derived from the spec's seed and the
   scenario's place in the spec: the same draws of the uncertain inputs, the same first
   proposers and the same knowledge noise face every assignment (common random numbers), and
   the candidate packages are built once per scenario.
4. Each role of each negotiation is one *seat*: its strategy scores the seat's utility (of the
   agreed package, or its no-deal value without a deal), its gain over no deal, whether the
   negotiation agreed, the outcome's distance to the Nash point and its social welfare
   (:mod:`truce.tournament.scores`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from truce.tournament.scores import Seats, TournamentResult, score
from truce.tournament.spec import Contestant, TournamentSpec, Venue


def role_assignments(strategies: int, parties: int, *, self_play: bool = True, rule: str = "all") -> list[tuple[int, ...]]:
    """The assignments of strategies (indices ``0..strategies-1``) to roles, in a fixed order (see the module docstring)."""
    if rule == "all":
        pool = itertools.product(range(strategies), repeat=parties) if self_play else itertools.permutations(range(strategies), parties)
        return list(pool)
    if rule != "rotation":
        raise ValueError(f"unknown assignment rule '{rule}'; expected all or rotation")
    combine = itertools.combinations_with_replacement if self_play else itertools.combinations
    found: list[tuple[int, ...]] = []
    for combination in combine(range(strategies), parties):
        rotations = dict.fromkeys(combination[k:] + combination[:k] for k in range(parties))
        found.extend(rotations)
    return found


@dataclass(frozen=True)
class Match:
    """One scenario (index into the venues) with one assignment (a strategy index per role)."""

    venue: int
    assignment: tuple[int, ...]


def schedule(spec: TournamentSpec, contestants: list[Contestant], venues: list[Venue]) -> list[Match]:
    """Every match of the tournament, scenario by scenario."""
    return [
        Match(v, assignment)
        for v, venue in enumerate(venues)
        for assignment in role_assignments(len(contestants), venue.problem.n_parties, self_play=spec.self_play, rule=spec.assignments)
    ]


def venue_seed(seed: int, venue: int) -> int:
    """The seed every match of scenario ``venue`` plays with (a hash of the spec's seed and the index)."""
    return int(np.random.SeedSequence([seed, venue]).generate_state(1, np.uint32)[0])


def play_match(spec: TournamentSpec, contestants: list[Contestant], venue: Venue, assignment: tuple[int, ...], *, seed: int,
               runs: int | None = None, pool: np.ndarray | None = None):
    """One match as a :class:`truce.simulate.results.SimulationResult` (``runs``: default the spec's repetitions)."""
    from truce.simulate import simulate

    problem = venue.problem
    strategies = {party: replace(contestants[k].strategy, parameters=dict(contestants[k].strategy.parameters)) for party, k in zip(problem.party_ids, assignment)}
    return simulate(
        problem, strategies=strategies, runs=runs or spec.repetitions, seed=seed, rounds=spec.rounds, noise=spec.noise,
        mediator_noise=spec.noise, first_proposer=spec.first_proposer, pool=pool,
    )


def shared_pool(spec: TournamentSpec, venue: Venue, seed: int) -> np.ndarray:
    """The candidate packages of every match of a scenario: those :func:`truce.simulate.simulate` would build
    itself from the scenario's draws (the same for every match, since every match has the same seed)."""
    from truce.simulate.montecarlo import candidate_pool, resolve_protocol

    problem = venue.problem
    samples = problem.sample(spec.repetitions, np.random.default_rng(seed)) if problem.uncertain else problem.nominal_samples(spec.repetitions)
    shared = not any(item.field in ("salience", "position", "tolerance") for item in problem.uncertain)
    return candidate_pool(problem, samples, shared and resolve_protocol(problem, None) == "alternating")


def play_tournament(spec: TournamentSpec, contestants: list[Contestant], venues: list[Venue], *,
                    progress: Callable[[int], None] | None = None) -> TournamentResult:
    """Play every match (:func:`schedule`) and score every strategy; ``progress(1)`` after each match."""
    matches = schedule(spec, contestants, venues)
    seats: list[Seats] = []
    seeds = [venue_seed(spec.seed, v) for v in range(len(venues))]
    pools: dict[int, np.ndarray] = {}
    nash = [nash_utilities(venue.problem) for venue in venues]
    for index, match in enumerate(matches):
        venue = venues[match.venue]
        if match.venue not in pools:
            pools[match.venue] = shared_pool(spec, venue, seeds[match.venue])
        result = play_match(spec, contestants, venue, match.assignment, seed=seeds[match.venue], pool=pools[match.venue])
        seats.append(seats_of(result, index, match, nash[match.venue], discounted=spec.discounted))
        if progress is not None:
            progress(1)
    return score(spec, contestants, venues, matches, Seats.concatenate(seats), nash)


def nash_utilities(problem) -> np.ndarray | None:
    """(P,): the utilities of the scenario's Nash bargaining solution (nominal inputs); None without a zone of agreement."""
    point = problem.nash_point()
    return None if point is None else np.asarray(point.utilities, dtype=float)


def seats_of(result, match_index: int, match: Match, nash: np.ndarray | None, *, discounted: bool = False) -> Seats:
    """One seat per role per run of a match's result; ``discounted``: each outcome times the
    role's discount to the power of the round the negotiation ended (:func:`ending_discount`)."""
    runs, parties = result.utilities.shape
    outcome = np.where(result.agreed[:, None], result.utilities, result.reservation)
    distance = np.full(runs, np.nan) if nash is None else np.linalg.norm(outcome - nash[None, :], axis=1)
    factor = ending_discount(result) if discounted else 1.0
    no_deal = result.reservation * factor
    outcome = outcome * factor
    welfare = outcome.sum(axis=1)
    repeat = lambda values: np.repeat(values, parties)  # noqa: E731 - run-level figures, one per seat
    return Seats(
        match=np.full(runs * parties, match_index),
        venue=np.full(runs * parties, match.venue),
        run=repeat(np.arange(runs)),
        role=np.tile(np.arange(parties), runs),
        strategy=np.tile(np.asarray(match.assignment), runs),
        agreed=repeat(result.agreed),
        round=repeat(np.where(result.agreed, result.rounds, -1)),
        utility=outcome.ravel(),
        gain=(outcome - no_deal).ravel(),
        welfare=repeat(welfare),
        nash_distance=repeat(distance),
    )


def ending_discount(result) -> np.ndarray:
    """(N, P): ``discount ** t`` of each run and role, t the round the negotiation ended (0-based: of the
    agreement, the walk-away or the breakdown; the deadline ``rounds_limit`` when the last round passed).
    A GENIUS factor d imported over R rounds is ``d^(1/R)`` a round, so a deal at normalised time t/R is
    worth ``U d^(t/R)`` and no deal at the deadline ``r d``, as ANAC scored discounted domains."""
    discount = result.samples.discount if result.samples is not None else np.ones_like(result.reservation)
    ended = np.where(result.rounds < 0, result.rounds_limit, result.rounds)
    return np.asarray(discount, dtype=float) ** ended[:, None]
