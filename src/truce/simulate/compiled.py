"""The compiled engine of alternating offers: which strategies it plays, and the arrays it is handed.

:func:`compiled_alternating` plays a chunk as
:func:`truce.simulate.alternating.alternating_offers` does, with the same
runs (agreement, round, package), in the compiled loop of
:mod:`truce.simulate.kernel`. It plays truce's own time-dependent family
(Boulware, linear, Conceder, any exponent and either offer rule), the
cost-based, the hard-liner and tit-for-tat units; anything else (the
subgame-perfect plan, a strategy of the user's, a subclass) is played by
the numpy engine (:func:`expressible` says which). Importing this module
does not import numba: the kernel is loaded on the first compiled chunk.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from truce.problem import Problem, Samples
from truce.simulate.alternating import Outcome
from truce.simulate.arena import Arena, noisy
from truce.simulate.pruning import offer_candidates
from truce.simulate.strategies import Boulware, Conceder, CostBased, HardLiner, Linear, RelativeTitForTat, Strategy, TimeDependent

KINDS: dict[type, int] = {
    TimeDependent: 0,
    Boulware: 0,
    Linear: 0,
    Conceder: 0,
    CostBased: 1,
    HardLiner: 2,
    RelativeTitForTat: 3,
}
"""The strategy classes the kernel plays, by their code in :mod:`truce.simulate.kernel` (exact classes, not subclasses)."""
RULES = {"others": 0, "target": 1}
COMPILED_FROM_RUNS = 2_000
"""``engine="auto"``: fewer runs than this are played in numpy (loading numba costs more than it saves)."""


def expressible(strategies: list[Strategy]) -> bool:
    """Whether the compiled engine plays these strategies (one per party)."""
    return all(type(s) in KINDS and s.offer_rule in RULES for s in strategies)


SHARED_MENUS_FROM = 2_000
"""``engine="auto"``: numpy plays when every run shares one menu per proposer (the same utilities, and
exact knowledge or the "target" rule) over at least this many candidates: numpy sorts that menu once per
chunk and searches it each round, where the compiled loop reveals it again in every run."""


def use_compiled(engine: str, strategies: list[Strategy], runs: int, shared_menus: bool = False, width: int = 0) -> bool:
    """Whether the chunks of alternating offers play in the compiled loop (``shared_menus``: every run's
    menus are the same, over ``width`` candidates)."""
    if engine == "numpy" or not expressible(strategies):
        return False
    if engine == "compiled":
        return True
    return runs >= COMPILED_FROM_RUNS and not (shared_menus and width >= SHARED_MENUS_FROM)


def use_compiled_text(engine: str, runs: int) -> bool:
    """Whether the one-text mediator chooses its texts in the compiled loops of
    :mod:`truce.simulate.kernel_text` (the same texts as in numpy)."""
    return engine == "compiled" or (engine == "auto" and runs >= COMPILED_FROM_RUNS)


def compiled_cells_per_run(problem: Problem, samples: Samples, rounds: int, breaking: bool) -> int:
    """Numbers a compiled chunk holds per run: the knowledge noise and noisy weights (P x P x I, a few
    times over), the payoff inputs, and where they vary by run the discount powers (rounds x P), the
    breakdown hazards (2 x rounds) and the value tables (I x k x P)."""
    parties, issues = problem.n_parties, problem.n_issues
    cells = 4 * parties * parties * issues + 12 * parties
    if not (np.asarray(samples.discount) == np.asarray(samples.discount)[:1]).all():
        cells += rounds * parties
    if breaking:
        cells += 2 * rounds
    if any(item.field in ("position", "tolerance") for item in problem.uncertain):
        cells += issues * int(max(problem.n_options)) * parties
    return cells


def chunk_payoff(samples: Samples, start: int, stop: int) -> dict[str, np.ndarray]:
    """The payoff inputs of runs ``start:stop`` (:class:`Arena`'s fields of the same names)."""
    names = ("reservation", "cost_of_delay", "discount", "trust", "exposure", "side_payment")
    return {name: getattr(samples, name)[start:stop] for name in names}


def compiled_arena(problem: Problem, samples: Samples, start: int, stop: int, pool: np.ndarray, knowledge, noise: float, rounds: int, shared: bool) -> Arena:
    """A chunk for the compiled engine: weights, value tables and each proposer's noisy estimate of the
    weights, drawn as :func:`truce.simulate.montecarlo._arena` draws them (``knowledge``: the noise
    stream, None for exact knowledge); no utilities: the loop computes them run by run."""
    weights, values = problem.realise(samples, start, start + 1 if shared else stop)
    guessed = None
    if knowledge is not None:
        others = 1.0 - np.eye(problem.n_parties)  # a proposer estimates the others only
        guessed = noisy(weights[:, None, :, :], knowledge.runs(start, stop), noise) * others[None, :, :, None]
    offerable = None if knowledge is None else offer_candidates(pool, values, weights)
    arrays = chunk_payoff(samples, start, stop)
    return Arena(pool=pool, utility=None, estimate=None, rounds=rounds, weights=weights, values=values, guessed=guessed, offerable=offerable, **arrays)


@lru_cache(maxsize=64)
def concession_schedule(rounds: int, exponent: float) -> np.ndarray:
    """(rounds,): ``(min(t, T - 1) / (T - 1))^(1/e)`` for every round, computed as
    :meth:`TimeDependent.target` computes it (Python floats)."""
    deadline = max(rounds - 1, 1)
    schedule = np.array([(min(t, deadline) / deadline) ** (1.0 / exponent) for t in range(rounds)])
    schedule.flags.writeable = False
    return schedule


def _per_party(values: np.ndarray | None, runs: int, parties: int) -> np.ndarray:
    """(R, P) float64, C-ordered and writable (so that the kernel compiles for one layout only)."""
    if values is None:
        return np.zeros((runs, parties))
    return np.array(np.broadcast_to(values, (runs, parties)), dtype=np.float64, order="C")


def _per_run(values, runs: int) -> np.ndarray:
    return np.zeros(runs) if values is None else np.array(np.broadcast_to(values, (runs,)), dtype=np.float64)


def discount_powers(discount: np.ndarray, rounds: int) -> np.ndarray:
    """(rounds, R or 1, P): ``discount**t`` as numpy computes it (its ``power`` is not libm's, and
    an integer exponent takes numpy's own fast paths); one row when every run discounts alike."""
    if (discount == discount[:1]).all():
        row = np.ascontiguousarray(discount[0], dtype=np.float64)
        return np.array(_shared_discount_powers(row.tobytes(), rounds))  # writable: the kernel compiles for one layout
    return _powers(discount, rounds)


def _powers(discount: np.ndarray, rounds: int) -> np.ndarray:
    powers = np.empty((rounds, *discount.shape))
    for t in range(rounds):
        powers[t] = discount**t
    return powers


@lru_cache(maxsize=64)
def _shared_discount_powers(row: bytes, rounds: int) -> np.ndarray:
    """(rounds, 1, P): the powers of one row of discounts (its float64 bytes, so that the key is exact),
    computed once per row and deadline: every chunk of every simulation of a scenario asks for the same."""
    powers = _powers(np.frombuffer(row, dtype=np.float64)[None, :], rounds)
    powers.flags.writeable = False
    return powers


def broken_after(arena: Arena, block: int = 32) -> np.ndarray:
    """(R,): the round after which each run's talks break down, ``rounds`` if never: the first
    round whose cumulative hazard reaches the run's threshold, summed as :class:`RunLog` sums it.

    ``block`` rounds at a time, for the runs still below their threshold only (most break down long
    before a distant deadline); each block's running sum starts from the last one's, so that every
    sum is the same sequence of additions as one running sum over all rounds."""
    rounds = arena.rounds
    after = np.full(arena.runs, rounds, dtype=np.int64)
    if arena.breakdown_threshold is None:
        return after
    threshold = np.broadcast_to(arena.breakdown_threshold, (arena.runs,))
    below = np.arange(arena.runs)
    cumulative = np.zeros(arena.runs)
    for start in range(0, rounds, block):
        stop = min(rounds, start + block)
        with np.errstate(divide="ignore"):
            steps = -np.log1p(-arena.hazards(start, stop, below))  # c - x is c + (-x), bit for bit
        running = np.cumsum(np.concatenate([cumulative[None, :], steps]), axis=0)[1:]  # 0 + x is x
        reached = running >= threshold[below][None, :]
        now = reached.any(axis=0)
        after[below[now]] = start + reached[:, now].argmax(axis=0)
        below, cumulative = below[~now], running[-1, ~now]
        if not len(below):
            break
    return after


def value_tables(values: tuple[np.ndarray, ...]) -> np.ndarray:
    """(R or 1, I, k, P): the per-issue value tables (R or 1, k_j, P) in one array, padded with zeros."""
    runs, parties = values[0].shape[0], values[0].shape[2]
    tables = np.zeros((runs, len(values), max(t.shape[1] for t in values), parties))
    for j, table in enumerate(values):
        tables[:, j, : table.shape[1]] = table
    return tables


def product_lists(pool: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(options (I, k), counts (I,))`` when the pool is the product of its per-issue option lists in
    order (the last issue varying fastest: a whole space, pruned or not), else empty arrays."""
    lists = [np.unique(pool[:, j]) for j in range(pool.shape[1])]
    counts = np.array([len(options) for options in lists], dtype=np.int64)
    empty = np.zeros((0, 0), dtype=np.int64), np.zeros(0, dtype=np.int64)
    if len(pool) == 0 or int(np.prod(counts, dtype=float)) != len(pool):
        return empty
    grid = np.stack(np.meshgrid(*lists, indexing="ij"), axis=-1).reshape(len(pool), -1)
    if not np.array_equal(grid, pool):
        return empty
    options = np.zeros((len(lists), int(counts.max())), dtype=np.int64)
    for j, values in enumerate(lists):
        options[j, : len(values)] = values
    return options, counts


def compiled_alternating(arena: Arena, strategies: list[Strategy]) -> Outcome:
    """Play the chunk's runs in the compiled loop (strategies: see :func:`expressible`). The arena
    holds the weights, value tables and noisy estimates of the weights (``guessed``) instead of
    utilities: the loop computes each run's utilities itself."""
    from truce.simulate import kernel  # numba, loaded with the first compiled chunk

    runs, parties, rounds = arena.runs, arena.n_parties, arena.rounds
    weights = np.require(arena.weights, np.float64, ["C", "W"])
    issues = weights.shape[2]
    guessed = np.empty((0, parties, parties, issues)) if arena.guessed is None else np.require(arena.guessed, np.float64, ["C", "W"])
    pool = np.require(arena.pool, np.int64, ["C", "W"])
    width = len(pool)
    candidates = np.arange(width, dtype=np.int64) if arena.offerable is None else np.array(arena.offerable, dtype=np.int64)
    discount = _per_party(arena.discount, runs, parties)
    cost_of_delay = _per_party(arena.cost_of_delay, runs, parties)
    steady = bool((cost_of_delay == 0).all() and (discount == 1).all())
    kinds = np.array([KINDS[type(s)] for s in strategies], dtype=np.int64)
    rules = np.array([RULES[s.offer_rule] for s in strategies], dtype=np.int64)
    scales = np.array([float(s.parameters.get("scale", 1.0)) for s in strategies])
    concession = np.zeros((parties, rounds))
    for p, strategy in enumerate(strategies):
        if isinstance(strategy, TimeDependent):
            concession[p] = concession_schedule(rounds, float(strategy.parameters.get("e", strategy.default_exponent)))
    backstop = np.array(concession_schedule(rounds, float(Boulware.default_exponent)))
    agreed = np.empty(runs, dtype=np.bool_)
    walked_away = np.empty(runs, dtype=np.bool_)
    broke_down = np.empty(runs, dtype=np.bool_)
    round_of = np.empty(runs, dtype=np.int64)
    candidate = np.empty(runs, dtype=np.int64)
    kernel.play(
        weights, guessed, value_tables(arena.values), pool, *product_lists(pool), candidates, np.array(arena.proposers, dtype=np.int64),
        _per_party(arena.reservation, runs, parties), cost_of_delay, discount, _per_party(arena.trust, runs, parties),
        _per_party(arena.exposure, runs, parties), _per_party(arena.side_payment, runs, parties),
        discount_powers(discount, rounds), steady,
        _per_run(arena.breakdown_risk, runs), _per_run(arena.breakdown_growth, runs), broken_after(arena),
        kinds, rules, scales, concession, backstop, rounds,
        agreed, round_of, candidate, walked_away, broke_down,
    )  # fmt: skip
    return Outcome(agreed=agreed, round=round_of, candidate=candidate, walked_away=walked_away, broke_down=broke_down)
