"""The chunks of a simulation are sized by every per-run array, the parties x parties x issues
knowledge noise included (issue 18: 300 parties at the default runs once took over 3 GiB in 7 s,
since the chunks were sized by runs x candidates x parties alone and the pruned menus leave few
candidates)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from truce.scenario import Scenario
from truce.simulate import chunks
from truce.simulate.chunks import CHUNK_CELLS, MAX_CHUNK, chunk_runs
from truce.simulate.montecarlo import NoiseStream

PARTIES, ISSUES = 40, 3


def many_parties(parties: int = PARTIES, issues: int = ISSUES) -> Scenario:
    """``parties`` parties over ``issues`` ordered issues of 3 options, each party wanting one end (seeded)."""
    rng = np.random.default_rng(4)
    return Scenario.model_validate(
        {
            "truce": 1,
            "name": f"{parties} parties",
            "rounds": 6,
            "issues": [{"id": f"i{j}", "name": f"Issue {j}", "kind": "ordered", "options": ["low", "mid", "high"]} for j in range(issues)],
            "actors": [
                {
                    "id": f"p{p}", "name": f"Party {p}", "reservation": 0.1, "cost_of_delay": 0.01,
                    "stances": {f"i{j}": {"position": str(rng.choice(["low", "high"])), "salience": float(rng.uniform(0.2, 1))} for j in range(issues)},
                }
                for p in range(parties)
            ],
        }
    )


def test_one_run_of_knowledge_noise_bounds_the_chunk_when_the_candidates_are_few():
    # 27 candidates x 300 parties = 8,100 cells a run, but the noise is 300 x 300 x 5 = 450,000
    assert chunk_runs(10_000, 27, 300, 5, noisy=True, values_per_run=False) == CHUNK_CELLS // 450_000 == 8
    assert chunk_runs(10_000, 27, 300, 5, noisy=False, values_per_run=False) == CHUNK_CELLS // 8_100
    # per-run values of every candidate's options: candidates x issues x parties
    assert chunk_runs(10_000, 1_000, 4, 7, noisy=True, values_per_run=True) == CHUNK_CELLS // 28_000
    assert chunk_runs(10, 1, 2, 1, noisy=False, values_per_run=False) == 10
    assert chunk_runs(10**6, 1, 2, 1, noisy=False, values_per_run=False) == MAX_CHUNK
    assert chunk_runs(10**6, 10**6, 100, 200, noisy=True, values_per_run=True) == 1


def test_no_chunk_draws_more_noise_than_the_budget_and_the_peak_follows(monkeypatch):
    """With the budget cut to 200,000 cells (1.6 MB of float64), 40 parties x 3 issues (4,800
    noise cells a run) play in chunks of 41 runs; the traced peak of 400 runs is about 10 MiB.
    Sized by candidates x parties alone, the chunks held all 400 runs and the peak was 36 MiB."""
    budget = 200_000
    monkeypatch.setattr(chunks, "CHUNK_CELLS", budget)
    drawn: list[int] = []
    runs_of = NoiseStream.runs

    def spied(self, start, stop):
        block = runs_of(self, start, stop)
        if block.ndim == 4:  # the knowledge noise: (runs, proposer, party, issue)
            drawn.append(block.size)
        return block

    monkeypatch.setattr(NoiseStream, "runs", spied)
    problem = many_parties().compile()
    problem.simulate(runs=4, seed=1, strategies="boulware")  # what a first call loads and caches is not the chunks'
    drawn.clear()
    tracemalloc.start()
    try:
        result = problem.simulate(runs=400, seed=1, strategies="boulware")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    noise_per_run = PARTIES * PARTIES * ISSUES
    assert drawn and max(drawn) <= budget and max(drawn) == (budget // noise_per_run) * noise_per_run
    # the noise, its copies and the other arrays of the chunks under way: within ten budgets' bytes
    assert peak < 10 * 8 * budget, f"{peak / 2**20:.1f} MiB"
    # the chunking changes no result: the same runs in one chunk of 400
    whole = problem.simulate(runs=400, seed=1, strategies="boulware", chunk_size=400)
    assert np.array_equal(result.agreed, whole.agreed) and np.array_equal(result.packages, whole.packages)


@pytest.mark.parametrize("noise", [0.0, 0.1])
def test_a_few_parties_keep_the_chunks_they_had(noise):
    # two parties: the candidates x parties arrays stay the largest, so the chunk size is unchanged
    assert chunk_runs(10_000, 500, 2, 7, noisy=noise > 0, values_per_run=False) == min(MAX_CHUNK, CHUNK_CELLS // 1_000)
