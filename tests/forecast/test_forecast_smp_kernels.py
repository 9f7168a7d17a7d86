"""The SMP's compiled loops against independent computations of the same formulas.

- the target table against :func:`challenge_outcomes` (the numpy path, one
  (h, k, i, j) at a time), for every voting rule and third-party commitment;
- the coalition sums against the definition of A.3d written as a double loop;
- the distinct-position pass against the greedy rule of A.8.1 in Python.
"""

import numpy as np
import pytest

from truce.forecast.smp import (
    SMPParameters,
    ThirdPartyCommit,
    VotingRule,
    assess_state,
    challenge_outcomes,
    choose_targets,
    coalition_strengths,
    vote,
)
from truce.forecast.smp.challenges import _perception_tables
from truce.forecast.smp.kernels import THREAD_WORK, coalition_table, first_representatives, target_table


def random_state(n_actors: int, n_dims: int, seed: int):
    rng = np.random.default_rng(seed)
    capability = rng.uniform(10.0, 200.0, n_actors)
    positions = rng.uniform(0.0, 1.0, (n_actors, n_dims))
    salience = rng.dirichlet(np.ones(n_dims + 1), n_actors)[:, :n_dims]
    return capability, positions, salience


@pytest.mark.parametrize("rule", list(VotingRule))
@pytest.mark.parametrize("commit", list(ThirdPartyCommit))
def test_target_table_matches_challenge_outcomes(rule, commit):
    capability, positions, salience = random_state(7, 2, seed=list(VotingRule).index(rule) * 3 + list(ThirdPartyCommit).index(commit))
    parameters = SMPParameters(voting_rule=rule, third_party_commit=commit)
    assessment = assess_state(capability, positions, salience, parameters)
    tables = _perception_tables(capability, salience, assessment, parameters)
    probability, gain = target_table(tables, rule, commit is ThirdPartyCommit.SEMI_COMMIT)
    initiator, target = np.nonzero(~np.eye(7, dtype=bool))
    expected_probability, expected_gain = challenge_outcomes(
        initiator, initiator, initiator, target, capability, salience, assessment, parameters
    )
    np.testing.assert_allclose(probability[initiator, target], expected_probability, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(gain[initiator, target], expected_gain, rtol=1e-12, atol=1e-14)


def test_choose_targets_is_the_best_challenge_outcome():
    capability, positions, salience = random_state(9, 3, seed=5)
    assessment = assess_state(capability, positions, salience)
    targets, probability, gain = choose_targets(capability, salience, assessment)
    for actor in range(9):
        others = np.array([j for j in range(9) if j != actor])
        p, g = challenge_outcomes(actor, actor, actor, others, capability, salience, assessment)
        best = int(np.argmax(g))
        assert gain[actor] == pytest.approx(g[best], abs=1e-14)
        assert probability[actor] == pytest.approx(p[best], abs=1e-14)
        assert targets[actor] == (others[best] if g[best] > 1e-5 else -1)


def coalitions_by_definition(weights, utilities, rule):
    """C_mn = 1e-8 + sum_k max(0, v_kmn), C_nm = 1e-8 + sum_k max(0, -v_kmn) for m > n (A.3d); C_mm = 1e-8."""
    n_options = utilities.shape[1]
    strengths = np.full((n_options, n_options), 1e-8)
    for m in range(n_options):
        for n in range(m):
            votes = vote(rule, weights, utilities[:, m], utilities[:, n])
            strengths[m, n] += np.maximum(votes, 0.0).sum()
            strengths[n, m] += np.maximum(-votes, 0.0).sum()
    return strengths


@pytest.mark.parametrize("rule", list(VotingRule))
def test_coalition_strengths_match_the_definition(rule):
    rng = np.random.default_rng(11)
    weights = rng.uniform(1.0, 50.0, 6)
    utilities = rng.uniform(0.0, 1.0, (6, 5))
    np.testing.assert_allclose(
        coalition_strengths(weights, utilities, rule), coalitions_by_definition(weights, utilities, rule), rtol=1e-12
    )


def test_coalition_table_split_between_threads_equals_one_pass():
    rng = np.random.default_rng(3)
    by_option = rng.uniform(0.0, 1.0, (1, 130, 130))  # 130^3 elements: above the threshold, so threads share the rows
    assert by_option.size * by_option.shape[1] >= THREAD_WORK
    weights = rng.uniform(1.0, 9.0, 130)
    favour, _ = coalition_table(by_option, weights, VotingRule.PROP)
    m, o = 17, 101
    assert favour[0, m, o] == pytest.approx((np.maximum(by_option[0, m] - by_option[0, o], 0) * weights).sum(), rel=1e-12)
    assert favour[0, o, m] == pytest.approx((np.maximum(by_option[0, o] - by_option[0, m], 0) * weights).sum(), rel=1e-12)


def test_first_representatives_is_the_greedy_pass():
    rng = np.random.default_rng(8)
    points = rng.integers(0, 4, 30)
    near = np.abs(points[:, None] - points[None, :]) <= 1
    expected = []
    for actor in range(30):
        expected.append(not any(near[actor, earlier] and expected[earlier] for earlier in range(actor)))
    assert first_representatives(near).tolist() == expected
