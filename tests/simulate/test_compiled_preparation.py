"""What a compiled chunk is handed besides the kernel's own work (issue 12, speed): the breakdown
rounds found in blocks of rounds and the discount powers kept per row, bit for bit against the
per-round computations they replace."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from truce.simulate.arena import Arena
from truce.simulate.compiled import broken_after, discount_powers


def arena(runs: int, rounds: int, risk, growth, threshold) -> Arena:
    zeros = np.zeros((runs, 2))
    return Arena(
        pool=np.zeros((1, 1), dtype=np.int64), utility=None, estimate=None, reservation=zeros, cost_of_delay=zeros, discount=zeros + 1,
        trust=zeros + 1, exposure=zeros, rounds=rounds, breakdown_risk=risk, breakdown_growth=growth, breakdown_threshold=threshold,
    )  # fmt: skip


def per_round_broken_after(arena: Arena) -> np.ndarray:
    """The round after which each run breaks down, one round at a time with :meth:`Arena.hazard`."""
    with np.errstate(divide="ignore"):
        cumulative = np.cumsum(-np.log1p(-np.stack([arena.hazard(t) for t in range(arena.rounds)])), axis=0)
    reached = cumulative >= arena.breakdown_threshold[None, :]
    return np.where(reached.any(axis=0), reached.argmax(axis=0), arena.rounds)


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    runs=st.integers(1, 120),
    rounds=st.integers(1, 260),
    base=st.sampled_from([0.0, 1e-4, 0.01, 0.3, 1.0, -0.05]),
    growth=st.sampled_from([None, 0.0, 2e-4, 0.01, -1e-3]),
    scale=st.sampled_from([1.0, 20.0, 1e4]),
    block=st.sampled_from([1, 7, 32]),
)
def test_breakdown_rounds_in_blocks_are_the_per_round_ones(seed, runs, rounds, base, growth, scale, block):
    """Risks from none to certain (clipped), growing or not, thresholds reached at once or never."""
    rng = np.random.default_rng(seed)
    risk = base + rng.uniform(0, 0.02, runs)
    rising = None if growth is None else growth * rng.uniform(0.5, 1.5, runs)
    threshold = -np.log(rng.uniform(size=runs)) * scale
    played = arena(runs, rounds, risk, rising, threshold)
    assert np.array_equal(broken_after(played, block), per_round_broken_after(played))
    hazards = played.hazards(0, rounds)
    assert all(np.array_equal(hazards[t], played.hazard(t)) for t in range(rounds))
    some = np.flatnonzero(rng.random(runs) < 0.5)
    assert np.array_equal(played.hazards(3, 9, some), np.stack([played.hazard(t)[some] for t in range(3, 9)]))


def test_no_breakdown_means_the_deadline():
    played = arena(5, 40, np.full(5, 0.1), None, None)
    assert np.array_equal(broken_after(played), np.full(5, 40))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), runs=st.integers(1, 50), rounds=st.integers(1, 400), shared=st.booleans())
def test_discount_powers_are_numpys_per_round_powers(seed, runs, rounds, shared):
    rng = np.random.default_rng(seed)
    discount = rng.choice([1.0, 0.999, 0.95, 0.5, 0.0], size=(1 if shared else runs, 3)) * rng.uniform(0.9, 1.0, (1 if shared else runs, 3))
    discount = np.ascontiguousarray(np.broadcast_to(discount, (runs, 3)))
    found = discount_powers(discount, rounds)
    again = discount_powers(discount, rounds)
    rows = discount[:1] if (discount == discount[:1]).all() else discount
    expected = np.stack([rows**t for t in range(rounds)])
    assert found.shape == expected.shape and np.array_equal(found, expected)
    assert found.flags.writeable and found.flags.c_contiguous
    found[:] = -1.0  # the caller's own array: what is kept for the next chunk does not change
    assert np.array_equal(again, expected) and np.array_equal(discount_powers(discount, rounds), expected)
