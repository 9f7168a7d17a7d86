"""Invariants every registered strategy must keep, checked over the whole registry at once."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import problems
from truce.simulate.strategies import REGISTRY, make

NAMES = sorted(REGISTRY)


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name):
    unit = REGISTRY[name]
    assert unit.source and unit.__doc__ and "Names:" in unit.__doc__
    assert {"deterministic", "knowledge", "parameters"} <= set(unit.classifier)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=15, deadline=None)
@given(problem=problems(max_parties=2, max_issues=3, max_options=4), seed=st.integers(0, 1000))
def test_deals_are_individually_rational_and_reproducible(name, problem, seed):
    first = problem.simulate(strategies=name, runs=20, seed=seed, rounds=12)
    again = problem.simulate(strategies=name, runs=20, seed=seed, rounds=12)
    assert np.array_equal(first.packages, again.packages) and np.array_equal(first.rounds, again.rounds)
    deals = first.agreed
    # a signed deal is worth at least no deal at the round it was signed
    no_deal = np.maximum(0, first.reservation - problem.cost_of_delay * first.rounds[:, None])
    assert (first.utilities[deals] >= no_deal[deals] - 1e-9).all()
    assert ((first.utilities[deals] >= -1e-12) & (first.utilities[deals] <= 1 + 1e-12)).all()
    assert (first.packages[~deals] == -1).all()


@pytest.mark.parametrize("name", [n for n in NAMES if n != "spe"])
@settings(max_examples=15, deadline=None)
@given(problem=problems(max_parties=3, max_issues=3, max_options=3))
def test_multilateral_runs_finish(name, problem):
    result = problem.simulate(strategies=name, runs=5, seed=0, rounds=10)
    assert len(result.to_frame()) == 5
    assert set(result.to_dict()) >= {"agreement_rate", "agreement_interval", "rounds_to_agreement", "option_shares"}


def test_time_dependent_exponents_order_concession_speed():
    """Conceders agree sooner than linear parties, who agree sooner than Boulware ones."""
    from truce import load

    problem = load("two-issue-trade").compile()
    median = {s: problem.simulate(strategies=s, runs=10, noise=0).rounds_to_agreement()["median"] for s in ("conceder", "linear", "boulware")}
    assert median["conceder"] < median["linear"] < median["boulware"]


def test_parameters_are_checked():
    assert make("time-dependent:e=0.5").parameters == {"e": 0.5}
    with pytest.raises(ValueError, match="e: found .*expected a number > 0"):
        make("time-dependent:e=0")
    with pytest.raises(ValueError, match="no parameter"):
        make("hardliner:e=1")


def test_offer_rule_target_concedes_along_the_iso_utility_curve():
    """In the two-issue trade the package closest above each target is also the best one for the
    other side, so the hand-worked deal (round 6, (open, full)) is the same with offer=target."""
    from truce import load

    problem = load("two-issue-trade").compile()
    result = problem.simulate(strategies="linear:offer=target", runs=3, noise=0)
    assert (result.rounds == 6).all() and result.packages.tolist() == [[2, 2]] * 3
    assert make("boulware:offer=target").offer_rule == "target"
    with pytest.raises(ValueError, match="offer"):
        make("boulware:offer=best")


def test_offer_rules_differ_where_the_menu_has_a_choice():
    """One issue with options worth (1, 0), (0.6, 0.3), (0.5, 0.6), (0, 1) to (A, B): at a target of 0.5,
    A closest-above offers (0.5, 0.6); best-for-B among those >= 0.5 is also (0.5, 0.6). At 0.55:
    closest-above is (0.6, 0.3), best-for-B the same. The rules differ at 0.45 when a dominated
    option sits just above: add (0.46, 0.1)."""
    import numpy as np

    from truce.simulate.arena import Menu

    own = np.array([[1.0, 0.6, 0.5, 0.0, 0.46]])
    others = np.array([[0.0, 0.3, 0.6, 1.0, 0.1]])
    menu = Menu.build(own, others)
    target = np.array([0.45])
    assert menu.offer(target, "target")[0] == 4
    assert menu.offer(target, "others")[0] == 2
