"""Monte Carlo over uncertain inputs: sample, chunk, play, collect.

1. Every uncertain input of the scenario is drawn for all runs up front
   from one seeded generator, in a fixed order; the parties' knowledge noise
   comes from counter-based streams that jump to each chunk's runs. Run i
   sees the same inputs whatever the chunk size.
2. Candidate packages for offers: the whole space when it is small;
   otherwise the union of the exact Pareto frontiers of the nominal problem
   and of a few sampled runs (every offer a time-dependent party makes with
   exact knowledge lies on its run's frontier, so this keeps the packages
   that matter without enumerating the space; :mod:`truce.simulate.candidates`).
3. Runs are played in chunks sized to bound memory; each chunk advances
   all its runs in lockstep as numpy arrays.
"""

from __future__ import annotations

import os
from dataclasses import replace
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Literal, Mapping

import numpy as np
from scipy import special

from truce.errors import InputError
from truce.limits import Limits, check_simulation_memory, check_work
from truce.problem import Problem, Samples
from truce.simulate.alternating import alternating_offers
from truce.simulate.arena import Arena, noisy as _noisy
from truce.simulate.candidates import ENUMERATE_SHARED_UP_TO, ENUMERATE_UP_TO, FRONTIER_SAMPLES, candidate_pool  # noqa: F401 (kept here for their users)
from truce.simulate.chunks import chunk_runs, compiled_chunk_runs
from truce.simulate.compiled import chunk_payoff, compiled_alternating, compiled_arena, compiled_cells_per_run, use_compiled, use_compiled_text
from truce.simulate.pruning import offer_candidates
from truce.simulate.results import SimulationResult
from truce.simulate.single_text import single_text
from truce.simulate.strategies import DEFAULT_STRATEGY, Strategy, make

MAX_RUNS = Limits.max_runs
"""The default cap on runs (``TRUCE_MAX_RUNS``, :mod:`truce.limits`)."""
MAX_WORKERS = 4

Protocol = Literal["alternating", "single-text"]
Engine = Literal["auto", "compiled", "numpy"]


class NoiseStream:
    """Standard normal draws for any range of runs, the same whatever the chunking.

    A counter-based generator (Philox; Salmon et al. 2011) can jump straight
    to run ``start``'s draws, and uniforms turned into normals by the
    inverse distribution function take exactly one draw each, so chunks
    need not share state and no array over all runs is kept.
    """

    def __init__(self, seed: int, stream: int | tuple[int, ...], shape: tuple[int, ...]):
        self.key = np.random.SeedSequence([seed, *np.ravel(stream)]).generate_state(2, np.uint64)
        self.shape = shape
        self.per_run = int(np.prod(shape))

    def uniforms(self, start: int, stop: int) -> np.ndarray:
        """Uniform draws on (0, 1) for runs ``start:stop``."""
        first = start * self.per_run
        generator = np.random.Philox(key=self.key)
        generator.advance(first // 4)  # Philox advances in blocks of four 64-bit outputs
        skip = first % 4
        uniform = np.random.Generator(generator).random(skip + (stop - start) * self.per_run)[skip:]
        return np.clip(uniform, 1e-16, 1 - 1e-16).reshape(stop - start, *self.shape)

    def runs(self, start: int, stop: int) -> np.ndarray:
        return special.ndtri(self.uniforms(start, stop))


FIRST_PROPOSER_STREAM, BREAKDOWN_STREAM = 3, 4
"""Counter-based streams of the first proposer and of the breakdown thresholds (1 and 2 are the knowledge noise)."""


def first_proposers(problem: Problem, first_proposer: int | str, seed: int, runs: int) -> np.ndarray:
    """(runs,): who proposes first in each run.

    ``"random"`` (the default): each party with equal chance, drawn per run
    from its own stream (so the same seed gives the same draws whatever else
    changes); ``"alternate"``: run i starts with party ``i mod P``; a party id
    or index: that party in every run.
    """
    parties = problem.n_parties
    if first_proposer == "random":
        uniform = NoiseStream(seed, FIRST_PROPOSER_STREAM, ()).uniforms(0, runs)
        return np.minimum((uniform * parties).astype(np.int64), parties - 1)
    if first_proposer == "alternate":
        return np.arange(runs, dtype=np.int64) % parties
    if isinstance(first_proposer, str) and first_proposer in problem.party_ids:
        first_proposer = problem.party_ids.index(first_proposer)
    if isinstance(first_proposer, (int, np.integer)) and not isinstance(first_proposer, bool) and 0 <= first_proposer < parties:
        return np.full(runs, int(first_proposer), dtype=np.int64)
    raise InputError(
        f"first proposer: found '{first_proposer}'; expected random, alternate, a party id "
        f"({', '.join(problem.party_ids)}) or a party index (0..{parties - 1})"
    )


def resolve_protocol(problem: Problem, requested: str | None) -> str:
    """The protocol to play: single text when a single_text lever is in force (the mediator hosts
    the talks with one text), else the one requested, alternating offers by default."""
    hosted = any(kind == "single_text" for kind, on in zip(problem.lever_kinds, problem.lever_active) if on)
    if hosted:
        return "single-text"
    return requested or "alternating"


def simulate(
    problem: Problem,
    *,
    protocol: Protocol | None = None,
    strategies: str | Strategy | Mapping[str, str | Strategy] = DEFAULT_STRATEGY,
    runs: int = 1000,
    seed: int = 0,
    rounds: int | None = None,
    noise: float = 0.1,
    mediator_noise: float = 0.1,
    first_proposer: int | str = "random",
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    samples: Samples | None = None,
    pool: np.ndarray | None = None,
    engine: Engine = "auto",
) -> SimulationResult:
    """Play ``runs`` negotiations, each with its own draw of the uncertain inputs.

    ``protocol``: alternating offers or the mediator's single text; a
    single_text lever in force selects the single text (see
    :func:`resolve_protocol`).

    ``strategies`` is one strategy name for every party or a mapping party id
    -> name (see :data:`truce.simulate.strategies.REGISTRY`); ``noise`` is the
    log-normal spread of each party's estimate of the others' weights, and
    ``mediator_noise`` that of the mediator's prior estimate and of its
    hearing of each critique (single text). ``samples``
    replaces the draws of the uncertain inputs (sensitivity analysis); the
    knowledge noise still comes from ``seed``. ``pool`` fixes the candidate
    packages (offers, and the mediator's texts), e.g. to share them across related runs.
    """
    if not 1 <= runs <= MAX_RUNS:
        raise InputError(f"runs must be between 1 and {MAX_RUNS:,}; got {runs}")
    rounds_what = "rounds" if rounds is None else "--rounds"
    rounds = problem.rounds if rounds is None else rounds
    if rounds < 1:
        raise InputError(f"rounds must be >= 1; got {rounds}")
    limits = Limits.from_env()
    check_work(runs, rounds, limits, rounds_what=rounds_what)
    check_simulation_memory(runs, problem.n_parties, problem.n_issues, len(problem.uncertain), limits)
    if noise < 0 or mediator_noise < 0:
        raise InputError("noise must be >= 0")
    if protocol not in (None, "alternating", "single-text"):
        raise InputError(f"unknown protocol '{protocol}'; expected alternating or single-text")
    if engine not in ("auto", "compiled", "numpy"):
        raise InputError(f"unknown engine '{engine}'; expected auto, compiled or numpy")
    protocol = resolve_protocol(problem, protocol)
    proposers = first_proposers(problem, first_proposer, seed, runs)
    chosen = _strategies(problem, strategies)

    rng = np.random.default_rng(seed)
    preference_fields = ("salience", "position", "tolerance")
    shared = samples is None and not any(item.field in preference_fields for item in problem.uncertain)
    if samples is None:
        samples = problem.sample(runs, rng) if problem.uncertain else problem.nominal_samples(runs)
    elif len(samples) != runs:
        raise ValueError(f"samples hold {len(samples)} runs; expected runs = {runs}")
    parties, issues = problem.n_parties, problem.n_issues
    # with the single text the parties only answer the mediator's text: only the mediator estimates
    knowledge = NoiseStream(seed, 1, (parties, parties, issues)) if noise > 0 and protocol == "alternating" else None
    mediator_knowledge = None
    if protocol == "single-text" and mediator_noise > 0:
        mediator_knowledge = (NoiseStream(seed, 2, (parties, issues)), seed)
    breaking = (np.asarray(samples.breakdown_risk) > 0).any() or (np.asarray(samples.breakdown_growth) > 0).any()
    breakdown = NoiseStream(seed, BREAKDOWN_STREAM, ()) if breaking else None
    if pool is None:
        # the mediator estimates every candidate per run, so its texts come from the plain pool
        pool = candidate_pool(problem, samples, shared and protocol == "alternating")
    play_pool = pool
    if knowledge is not None and protocol == "alternating" and all(_plays_on_its_menu(make(s) if isinstance(s, str) else s) for s in chosen):
        # no strategy looks beyond its menu: the chunks play on the packages a menu can offer
        offerable = offer_candidates(pool, problem.realise(samples, 0, 1)[1], _least_weights(problem, samples)[None])
        play_pool = pool if offerable is None else pool[offerable]
    width = len(play_pool)
    units = [make(s) if isinstance(s, str) else s for s in chosen]
    shared_menus = shared and (knowledge is None or any(unit.offer_rule == "target" for unit in units))
    compiled = protocol == "alternating" and use_compiled(engine, units, runs, shared_menus, width)
    compiled_text = protocol == "single-text" and use_compiled_text(engine, runs)
    if shared and knowledge is None and protocol == "alternating":
        width = 1  # nothing per run is as wide as the pool: only targets and offers
    if compiled:
        width = compiled_cells_per_run(problem, samples, rounds, breaking) // parties  # the loop keeps no (runs, candidates) array
    if chunk_size is None:
        if compiled:  # its per-run numbers, noise included, are counted by compiled_cells_per_run
            chunk_size = compiled_chunk_runs(runs, width * parties)
        else:
            values_per_run = any(item.field in ("position", "tolerance") for item in problem.uncertain)  # see Problem.realise
            chunk_size = chunk_runs(runs, width, parties, issues, noisy=knowledge is not None, values_per_run=values_per_run)
            if compiled_text:  # its loops release the GIL: a chunk for every core
                chunk_size = min(chunk_size, -(-runs // min(os.cpu_count() or 1, MAX_WORKERS)))
    # every chunk writes its slice of these, so nothing over all runs is built twice
    agreed = np.zeros(runs, dtype=bool)
    walked_away = np.zeros(runs, dtype=bool)
    broke_down = np.zeros(runs, dtype=bool)
    round_of = np.full(runs, -1)
    packages = np.full((runs, issues), -1)
    utilities = np.full((runs, parties), np.nan)

    def play(start: int) -> None:
        stop = min(runs, start + chunk_size)
        if compiled:
            arena = compiled_arena(problem, samples, start, stop, play_pool, knowledge, noise, rounds, shared)
        else:
            arena = _arena(problem, samples, start, stop, play_pool, knowledge, mediator_knowledge, noise, mediator_noise, rounds, shared, protocol)
        timing = {"first_proposer": proposers[start:stop]}
        if breakdown is not None:
            timing.update(
                breakdown_risk=samples.breakdown_risk[start:stop],
                breakdown_growth=samples.breakdown_growth[start:stop],
                breakdown_threshold=-np.log(breakdown.uniforms(start, stop)),
            )
        arena = replace(arena, **timing)
        players = [make(s) if isinstance(s, str) else _copy(s) for s in chosen]
        if compiled:
            outcome = compiled_alternating(arena, players)
        elif protocol == "alternating":
            outcome = alternating_offers(arena, players)
        else:
            outcome = single_text(arena, players, compiled=compiled_text)
        agreed_packages = play_pool[np.maximum(outcome.candidate, 0)]
        deal = outcome.agreed
        agreed[start:stop] = deal
        walked_away[start:stop] = outcome.walked_away
        if outcome.broke_down is not None:
            broke_down[start:stop] = outcome.broke_down
        round_of[start:stop] = outcome.round
        packages[start:stop] = np.where(deal[:, None], agreed_packages, -1)
        worth = problem.run_utilities(samples, agreed_packages, start)
        utilities[start:stop] = np.where(deal[:, None], worth, np.nan)
        if progress is not None:
            progress(stop - start)

    # chunks are independent and numpy releases the GIL in its array loops,
    # so threads share the cores.
    if not len(play_pool):  # every package crosses some party's red line: the parties walk away at once
        walked_away[:], round_of[:] = True, 0
    starts = range(0, runs, chunk_size) if len(play_pool) else range(0)
    workers = max(1, min(len(starts), os.cpu_count() or 1, MAX_WORKERS))
    if workers == 1:
        for start in starts:
            play(start)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool_of_threads:
            list(pool_of_threads.map(play, starts))

    return SimulationResult(
        protocol=protocol,
        strategies={pid: s if isinstance(s, str) else s.name for pid, s in zip(problem.party_ids, chosen)},
        seed=seed,
        rounds_limit=rounds,
        party_ids=problem.party_ids,
        issue_ids=problem.issue_ids,
        issue_names=problem.issue_names,
        option_labels=problem.option_labels,
        agreed=agreed,
        rounds=round_of,
        walked_away=walked_away,
        broke_down=broke_down,
        first_proposer=proposers if protocol == "alternating" else None,
        packages=packages,
        utilities=utilities,
        reservation=samples.reservation,
        trust=samples.trust,
        samples=samples,
        noise=noise,
        mediator_noise=mediator_noise,
    )


def _plays_on_its_menu(strategy: Strategy) -> bool:
    """Whether a strategy only ever offers from its best-for-the-others menu and reads nothing
    per candidate: truce's own units, but for the planning ones (which dictate their offers)."""
    kind = type(strategy)
    return (
        kind.__module__ == Strategy.__module__
        and kind.offers is Strategy.offers
        and kind.prepare is Strategy.prepare
        and strategy.offer_rule == "others"
    )


def _least_weights(problem: Problem, samples: Samples, block: int = 65_536) -> np.ndarray:
    """(P, I): the least weight of each party on each issue over all runs (in blocks, to bound memory)."""
    least = np.full((problem.n_parties, problem.n_issues), np.inf)
    for start in range(0, len(samples), block):
        weights, _ = problem.realise(samples, start, min(len(samples), start + block))
        least = np.minimum(least, weights.min(axis=0))
    return least


def _copy(strategy: Strategy) -> Strategy:
    return type(strategy)(parameters=dict(strategy.parameters))


def _strategies(problem: Problem, strategies) -> list[str | Strategy]:
    if isinstance(strategies, (str, Strategy)):
        chosen = [strategies] * problem.n_parties
    else:
        unknown = set(strategies) - set(problem.party_ids)
        if unknown:
            raise InputError(f"strategies given for unknown parties {sorted(unknown)}; parties are {', '.join(problem.party_ids)}")
        missing = set(problem.party_ids) - set(strategies)
        if missing:
            raise InputError(f"no strategy given for parties {sorted(missing)}")
        chosen = [strategies[p] for p in problem.party_ids]
    for spec in chosen:
        make(spec)  # validates names and parameters now, before any work
    return chosen


def _arena(problem, samples, start, stop, pool, knowledge, mediator_knowledge, noise, mediator_noise, rounds, shared, protocol) -> Arena:
    """The chunk's arrays; with ``shared`` every run has the same preferences and they are computed once."""
    weights, values = problem.realise(samples, start, start + 1 if shared else stop)
    parties = problem.n_parties
    payoff = chunk_payoff(samples, start, stop)
    # utility of every candidate to every party: (R or 1, M, P), one matrix product per party
    gathered = [table[:, pool[:, j], :] for j, table in enumerate(values)]
    stacked = np.stack(gathered, axis=2)  # (R or 1, M, I, P)
    utility = np.empty((weights.shape[0], len(pool), parties))
    for p in range(parties):
        if stacked.shape[0] == 1:
            utility[:, :, p] = weights[:, p, :] @ stacked[0, :, :, p].T
        else:
            utility[:, :, p] = np.matmul(stacked[:, :, :, p], weights[:, p, :, None])[..., 0]
    # each proposer's estimate of the others' total utility: (R or 1, P, M)
    if knowledge is None:
        total = utility.sum(axis=2)
        estimate = (total[:, None, :] - np.moveaxis(utility, 2, 1))
    else:
        guessed = _noisy(weights[:, None, :, :], knowledge.runs(start, stop), noise)  # (R, proposer, party, I)
        guessed = guessed * (1.0 - np.eye(parties))[None, :, :, None]  # a proposer estimates the others only
        if stacked.shape[0] == 1:
            estimate = np.einsum("rpqj,mjq->rpm", guessed, stacked[0], optimize=True)
        else:
            estimate = np.einsum("rpqj,rmjq->rpm", guessed, stacked, optimize=True)
    if protocol == "alternating":
        # with exact knowledge the estimate is total less own, whose rounding is not monotone: nothing pruned
        offerable = None if knowledge is None else offer_candidates(pool, values, weights)
        return Arena(pool=pool, utility=utility, estimate=estimate, rounds=rounds, offerable=offerable, **payoff)
    mediator_weights, critique_noise = weights, None
    if mediator_knowledge is not None:
        prior, seed = mediator_knowledge
        mediator_weights = _noisy(weights, prior.runs(start, stop), mediator_noise)

        def critique_noise(t: int) -> np.ndarray:
            # one stream per round, so that nothing over all rounds is held
            return mediator_noise * NoiseStream(seed, (3, t), prior.shape).runs(start, stop)

    return Arena(
        pool=pool,
        utility=utility,
        estimate=estimate,
        rounds=rounds,
        weights=weights,
        values=values,
        mediator_weights=mediator_weights,
        critique_noise=critique_noise,
        **payoff,
    )
