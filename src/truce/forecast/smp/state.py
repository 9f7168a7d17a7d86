"""Assessing one SMP state (FORECAST.md A.4, A.8): distances, risk attitudes,
utilities and winning probabilities."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial.distance import cdist

from truce.forecast.smp.elections import (
    probabilistic_condorcet_election,
    spatial_utility,
    weighted_distances,
)
from truce.forecast.smp.options import (
    BigRAdjust,
    BigRRange,
    POSITION_EQUIVALENCE_TOLERANCE,
    RISK_SPREAD_FLOOR,
    SMPParameters,
    VotingRule,
)


@dataclass(frozen=True)
class StateAssessment:
    """Everything A.4 and A.8 derive from one state's positions.

    distances: D, (n, n), D[i, j] = d_i(x_i, x_j).
    risk_neutral_value: V = 1 - D, KTAB's "risk_neutral_value".
    risk_neutral_probability: p0, the risk-neutral PCE over all positions.
    risk_attitude: R, (n,).
    risk_aware_utility: U, (n, n), U[i, j] = u(D_ij, R_i).
    win_probability: (n,), A.8's winning probability of each actor's position.
    expected_position: (n_dims,), sum over distinct positions of their
        winning probability times the position (truce's forecast of the
        state; not a KTAB output).
    degenerate_risk: True when every p0 was equal and R was set to 0 (A.9).
    """

    distances: NDArray[np.float64]
    risk_neutral_value: NDArray[np.float64]
    risk_neutral_probability: NDArray[np.float64]
    risk_attitude: NDArray[np.float64]
    risk_aware_utility: NDArray[np.float64]
    win_probability: NDArray[np.float64]
    expected_position: NDArray[np.float64]
    degenerate_risk: bool


def _risk_attitudes(
    probability: NDArray[np.float64], big_r_range: BigRRange
) -> tuple[NDArray[np.float64], bool]:
    p_min = probability.min()
    p_max = probability.max()
    spread = p_max - p_min
    if spread <= RISK_SPREAD_FLOOR:
        return np.zeros_like(probability), True
    if big_r_range is BigRRange.MIN:
        return (probability - p_min) / spread, False
    if big_r_range is BigRRange.MID:
        return (3.0 * probability - (p_max + 2.0 * p_min)) / (2.0 * spread), False
    return (2.0 * probability - (p_max + p_min)) / spread, False


def _perceived_risk(risk: NDArray[np.float64], adjust: BigRAdjust) -> NDArray[np.float64]:
    """rho[h, i]: h's estimate of i's risk attitude (``Model::estNRA``)."""
    own = risk[:, None]
    other = risk[None, :]
    if adjust is BigRAdjust.FULL:
        return np.broadcast_to(other, (risk.size, risk.size)).copy()
    if adjust is BigRAdjust.TWO_THIRDS:
        return (own + 2.0 * other) / 3.0
    if adjust is BigRAdjust.HALF:
        return (own + other) / 2.0
    if adjust is BigRAdjust.ONE_THIRD:
        return (2.0 * own + other) / 3.0
    return np.broadcast_to(own, (risk.size, risk.size)).copy()


def _distinct_positions(
    positions: NDArray[np.float64],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Representatives of A.8.1 and, per actor, its last representative within 1e-3."""
    near = cdist(positions, positions) < POSITION_EQUIVALENCE_TOLERANCE
    from truce.forecast.smp.kernels import first_representatives  # numba, loaded with the first state

    representative = first_representatives(near)
    chosen = np.flatnonzero(representative)
    near_chosen = near[:, chosen]
    last_near = chosen.size - 1 - np.argmax(near_chosen[:, ::-1], axis=1)
    return chosen, last_near


def assess_state(
    capability: NDArray[np.float64],
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    parameters: SMPParameters = SMPParameters(),
) -> StateAssessment:
    """Assess one state (A.4) and its winning probabilities (A.8).

    Steps:
      1. D_ij = d_i(x_i, x_j) (A.3a);
      2. V = 1 - D;
      3. p0 = PCE(w = c, u = V, VotingRule) over all N positions;
      4. R from p0 by BigRRange (the most probable position gets R = 1);
      5. U_ij = u(D_ij, R_i);
      6. winning probabilities: a PCE with w = c, the Prop rule, and
         utilities U over the distinct positions (1e-3 apart); each actor
         reports its last equivalent representative's probability.
    """
    distances = weighted_distances(positions, salience)
    value = 1.0 - distances
    neutral = probabilistic_condorcet_election(
        capability,
        value,
        parameters.voting_rule,
        parameters.victory_prob_model,
        parameters.pce_model,
    )
    risk, degenerate = _risk_attitudes(neutral, parameters.big_r_range)
    utility = spatial_utility(distances, risk[:, None])
    representatives, actor_representative = _distinct_positions(positions)
    distinct = probabilistic_condorcet_election(
        capability,
        utility[:, representatives],
        VotingRule.PROP,
        parameters.victory_prob_model,
        parameters.pce_model,
    )
    return StateAssessment(
        distances=distances,
        risk_neutral_value=value,
        risk_neutral_probability=neutral,
        risk_attitude=risk,
        risk_aware_utility=utility,
        win_probability=distinct[actor_representative],
        expected_position=distinct @ positions[representatives],
        degenerate_risk=degenerate,
    )
