"""The one-text mediator against brute force, the alternating protocol and itself."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import all_packages, problems
from truce import load
from truce.simulate.mediators import MEDIATORS


@pytest.mark.parametrize("name", sorted(MEDIATORS))
def test_metadata(name):
    unit = MEDIATORS[name]
    assert unit.source and unit.__doc__ and "Names:" in unit.__doc__
    assert {"deterministic", "knowledge", "parameters"} <= set(unit.classifier)


@settings(max_examples=40, deadline=None)
@given(problem=problems(max_parties=3, max_issues=3, max_options=4), strategy=st.sampled_from(["boulware", "linear", "conceder"]))
def test_perfect_knowledge_reaches_an_efficient_acceptable_text_whenever_a_zopa_exists(problem, strategy):
    """Checked against every package of the space: the agreed text is undominated and
    worth at least no deal to every party; with a ZOPA a deal is always reached."""
    result = problem.simulate(protocol="single-text", strategies=strategy, runs=2, rounds=8, noise=0.0, mediator_noise=0.0)
    packages = all_packages(problem)
    utilities = problem.utilities(packages)
    zopa = (utilities >= problem.reservation - 1e-12).all(axis=1).any()
    if zopa:
        assert result.agreed.all()
    for run in np.flatnonzero(result.agreed):
        agreed = result.utilities[run]
        assert (agreed >= problem.reservation - 1e-9).all()
        dominating = (utilities >= agreed - 1e-9).all(axis=1) & (utilities > agreed + 1e-9).any(axis=1)
        assert not dominating.any()


def test_same_seed_same_result_whatever_the_chunks():
    problem = load("three-party-truce").compile()
    first = problem.simulate(protocol="single-text", runs=60, seed=3, mediator_noise=0.3)
    again = problem.simulate(protocol="single-text", runs=60, seed=3, mediator_noise=0.3, chunk_size=7)
    assert np.array_equal(first.packages, again.packages) and np.array_equal(first.rounds, again.rounds)
    other = problem.simulate(protocol="single-text", runs=60, seed=4, mediator_noise=0.3)
    assert first.to_dict()["mediator_noise"] == 0.3 and other.seed == 4


@pytest.mark.parametrize("name", ["two-issue-trade", "three-party-truce"])
def test_with_exact_knowledge_every_alternating_deal_is_also_a_single_text_deal(name):
    """The same runs (the same breakdown draws) with exact knowledge: the mediator tables the Nash text
    from the first round and it is signed as soon as every party's target reaches it, never later than
    alternating offers sign. By hand on the three-party truce: (joint, partial) in round 11 in every
    run that survives 10 rounds, 0.95^10 = 0.5987 (alternating: 2/3 x 0.95^10 + 1/3 x 0.95^11 = 0.5888,
    tests/simulate/test_timing.py)."""
    problem = load(name).compile()
    options = dict(runs=1500, seed=7, noise=0.0, mediator_noise=0.0)
    text = problem.simulate(protocol="single-text", **options)
    offers = problem.simulate(protocol="alternating", **options)
    assert not (offers.agreed & ~text.agreed).any()
    if name == "three-party-truce":
        assert (text.rounds[text.agreed] == 10).all() and (text.packages[text.agreed] == [1, 1]).all()
        expected = 0.95**10
        assert abs(text.agreement_rate - expected) < 4 * np.sqrt(expected * (1 - expected) / text.runs)
        assert text.agreement_rate > offers.agreement_rate


def test_critique_teaches_the_mediator():
    """With a very noisy prior the mediator still finds the two-issue trade's efficient text
    (open, full), because each refusal tells it how much each issue matters to the refusing party."""
    problem = load("two-issue-trade").compile()
    result = problem.simulate(protocol="single-text", strategies="linear", runs=200, seed=1, noise=0.0, mediator_noise=1.0)
    assert result.agreed.all()
    assert (result.packages == [2, 2]).all(axis=1).mean() > 0.9
