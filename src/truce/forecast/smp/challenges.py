"""Challenges of the SMP (FORECAST.md A.5, A.6.2): every actor's estimate of who
wins a challenge and what it gains, and each actor's best target."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from truce.forecast.smp.elections import _vote_response
from truce.forecast.smp.options import (
    CHALLENGE_COALITION_FLOOR,
    MINIMUM_SIGNIFICANT_GAIN,
    SMPParameters,
    ThirdPartyCommit,
    _CACHE_ELEMENTS,
)
from truce.forecast.smp.state import StateAssessment, _perceived_risk


@dataclass(frozen=True)
class _PerceptionTables:
    """A state's perceived utilities in factored form.

    u(D_nm, rho) = (1 - D_nm) + (1 - D_nm) min(D_nm, 1) rho (A.3b), so
    actor h's perceived utility U^h[n, m] = value[m, n] + slope[m, n] rho[h, n],
    stored with the option m first so that a row is one option's column.
    """

    value: NDArray[np.float64]
    slope: NDArray[np.float64]
    own_value: NDArray[np.float64]
    own_slope: NDArray[np.float64]
    perceived_risk: NDArray[np.float64]
    influence: NDArray[np.float64]
    total_salience: NDArray[np.float64]


def _perception_tables(
    capability: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    parameters: SMPParameters,
) -> _PerceptionTables:
    distances = assessment.distances
    value = 1.0 - distances
    slope = value * np.minimum(distances, 1.0)
    total_salience = salience.sum(axis=1)
    return _PerceptionTables(
        value=np.ascontiguousarray(value.T),
        slope=np.ascontiguousarray(slope.T),
        own_value=np.diagonal(value).copy(),
        own_slope=np.diagonal(slope).copy(),
        perceived_risk=_perceived_risk(assessment.risk_attitude, parameters.big_r_adjust),
        influence=total_salience * capability,
        total_salience=total_salience,
    )


def _challenge_block(
    tables: _PerceptionTables,
    perceiver: NDArray[np.intp],
    beneficiary: NDArray[np.intp],
    initiator: NDArray[np.intp],
    targets: NDArray[np.intp] | None,
    parameters: SMPParameters,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(P, Delta) of A.5 for rows (h, k, i) against targets (rows, T), or all actors if None.

    The (rows, T, n) arrays are updated in place: this is the model's hot loop.
    """
    rule = parameters.voting_rule
    influence = tables.influence
    n_rows = perceiver.size
    n_actors = influence.size
    rows = np.arange(n_rows)[:, None]
    rho = tables.perceived_risk[perceiver]
    # U^h[n, i] and U^h[n, n] per row; U^h[n, j] per row and target: (rows, [targets,] n).
    toward_initiator = tables.value[initiator] + tables.slope[initiator] * rho
    own = tables.own_value + tables.own_slope * rho
    if targets is None:
        targets = np.broadcast_to(np.arange(n_actors), (n_rows, n_actors))
        toward_target = tables.slope[None, :, :] * rho[:, None, :]
        toward_target += tables.value[None, :, :]
    else:
        toward_target = tables.slope[targets] * rho[:, None, :]
        toward_target += tables.value[targets]
    columns = np.arange(targets.shape[1])[None, :]
    initiator_column = initiator[:, None]

    # 1. Principals, weighted by S c.
    vote_initiator = influence[initiator_column] * _vote_response(
        rule,
        toward_initiator[rows, initiator_column] - toward_target[rows, columns, initiator_column],
    )
    vote_target = influence[targets] * _vote_response(
        rule, toward_initiator[rows, targets] - toward_target[rows, columns, targets]
    )
    base_initiator = (
        CHALLENGE_COALITION_FLOOR + np.maximum(vote_initiator, 0.0) + np.maximum(vote_target, 0.0)
    )
    base_target = (
        CHALLENGE_COALITION_FLOOR - np.minimum(vote_initiator, 0.0) - np.minimum(vote_target, 0.0)
    )
    strength_initiator = base_initiator
    strength_target = base_target

    # 2. Third parties. Their final vote depends only on E_i - E_j, which is
    # pi (o - a) + (1 - pi)(b - o) under SemiCommit and exactly 0 under
    # FullCommit and NoCommit, where both sides value the outcomes alike.
    if parameters.third_party_commit is ThirdPartyCommit.SEMI_COMMIT:
        preliminary = influence * _vote_response(rule, toward_initiator[:, None, :] - toward_target)
        little = np.maximum(preliminary, 0.0)
        little += base_initiator[:, :, None]
        np.abs(preliminary, out=preliminary)
        preliminary += (base_initiator + base_target)[:, :, None]
        little /= preliminary
        # E_i - E_j = pi ((o - a) - (b - o)) + (b - o)
        target_side = np.subtract(toward_target, own[:, None, :], out=preliminary)
        difference = np.subtract(
            (own - toward_initiator)[:, None, :], target_side, out=toward_target
        )
        difference *= little
        difference += target_side
        final = _vote_response(rule, difference)
        final[rows, columns, initiator_column] = 0.0
        final[rows, columns, targets] = 0.0
        # Final votes w_n f(E_i - E_j): the positive ones join C_i, the
        # negative ones C_j, whose total is (sum of positives) - (sum of all).
        total = final @ influence
        for_initiator = np.maximum(final, 0.0, out=little) @ influence
        strength_initiator = base_initiator + for_initiator
        strength_target = base_target + (for_initiator - total)

    # 3. Probability and 4. gain to the beneficiary k.
    win = strength_initiator / (strength_initiator + strength_target)
    beneficiary_column = beneficiary[:, None]
    utility_initiator = toward_initiator[rows, beneficiary_column]
    utility_target = _perceived_utility(tables, perceiver, beneficiary, targets)
    resist = tables.total_salience[targets]
    gain = (
        (1.0 - resist) * 2.0 * utility_initiator
        + resist * (win * 2.0 * utility_initiator + (1.0 - win) * 2.0 * utility_target)
        - (utility_initiator + utility_target)
    )
    return win, gain


def _perceived_utility(
    tables: _PerceptionTables,
    perceiver: NDArray[np.intp],
    actor: NDArray[np.intp],
    options: NDArray[np.intp],
) -> NDArray[np.float64]:
    """U^h[k, m] for rows (h, k) and options (rows, T)."""
    rho = tables.perceived_risk[perceiver, actor][:, None]
    column = actor[:, None]
    return tables.value[options, column] + tables.slope[options, column] * rho


def _challenge_rows(
    tables: _PerceptionTables,
    perceiver: NDArray[np.intp],
    beneficiary: NDArray[np.intp],
    initiator: NDArray[np.intp],
    targets: NDArray[np.intp] | None,
    parameters: SMPParameters,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`_challenge_block` over cache-sized chunks of rows."""
    n_actors = tables.influence.size
    n_targets = n_actors if targets is None else targets.shape[1]
    probability = np.empty((perceiver.size, n_targets))
    gain = np.empty((perceiver.size, n_targets))
    rows_per_chunk = max(1, _CACHE_ELEMENTS // (n_targets * n_actors))
    for start in range(0, perceiver.size, rows_per_chunk):
        chunk = slice(start, start + rows_per_chunk)
        probability[chunk], gain[chunk] = _challenge_block(
            tables,
            perceiver[chunk],
            beneficiary[chunk],
            initiator[chunk],
            None if targets is None else targets[chunk],
            parameters,
        )
    return probability, gain


def challenge_outcomes(
    perceiver: ArrayLike,
    beneficiary: ArrayLike,
    initiator: ArrayLike,
    target: ArrayLike,
    capability: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    parameters: SMPParameters = SMPParameters(),
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """E(h; k; i -> j) of A.5 for arrays of (h, k, i, j), vectorised.

    h's estimate of P, the probability that i beats j, and of Delta, the
    expected gain to k if i challenges j. All utilities are h's perceived
    ones, U^h_nm = u(D_nm, rho_hn) (A.4.6).

      1. Principals: a_i = v(S_i c_i, U_ii, U_ij), a_j = v(S_j c_j, U_ji, U_jj);
         B_i = 1e-10 + positive parts, B_j = 1e-10 + |negative parts|.
      2. Each third party n (weight w_n = S_n c_n) casts a preliminary vote
         v0 = v(w_n, U_ni, U_nj), sees the little-coalition probability
         pi_n = (B_i + max(v0, 0)) / (B_i + B_j + |v0|) (principals only),
         values joining i as E_i = pi_n (n joins i, i wins) + (1 - pi_n)
         (n joins i, j wins) and joining j as E_j likewise, each outcome a
         sum of three position utilities set by ThirdPartyCommit, and adds
         its final vote v(w_n, E_i, E_j) to C_i if positive, to C_j if not.
      3. P = C_i / (C_i + C_j).
      4. Delta = (1 - S_j) 2U_ki + S_j [P 2U_ki + (1 - P) 2U_kj] - (U_ki + U_kj).

    Returns (P, Delta), each of the broadcast shape of the index arrays.
    """
    perceiver, beneficiary, initiator, target = np.broadcast_arrays(
        *(np.asarray(index, dtype=np.intp) for index in (perceiver, beneficiary, initiator, target))
    )
    shape = perceiver.shape
    tables = _perception_tables(capability, salience, assessment, parameters)
    probability, gain = _challenge_rows(
        tables,
        perceiver.ravel(),
        beneficiary.ravel(),
        initiator.ravel(),
        target.reshape(-1, 1),
        parameters,
    )
    return probability.reshape(shape), gain.reshape(shape)


def choose_targets(
    capability: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    parameters: SMPParameters = SMPParameters(),
) -> tuple[NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """Each actor's best target (A.6.2).

    For each i, (P_ij, Delta_ij) = E(i; i; i -> j) for every j != i; the
    target is the j with the largest Delta > 1e-5, ties to the smallest j.
    The table of E is computed by a compiled loop
    (:func:`truce.forecast.smp.kernels.target_table`), the same formulas
    as :func:`challenge_outcomes` without its (rows, targets, actors)
    temporaries.

    Returns (target, probability, gain), each (n_actors,); target is -1
    for an actor that makes no challenge (probability and gain are then
    those of its best, insufficient, option).
    """
    n_actors = capability.size
    actors = np.arange(n_actors)
    tables = _perception_tables(capability, salience, assessment, parameters)
    from truce.forecast.smp.kernels import target_table  # numba, loaded when targets are first chosen

    semi_commit = parameters.third_party_commit is ThirdPartyCommit.SEMI_COMMIT
    probability, gain = target_table(tables, parameters.voting_rule, semi_commit)
    gain[actors, actors] = -np.inf
    best = np.argmax(gain, axis=1)
    best_gain = gain[actors, best]
    chosen = np.where(best_gain > MINIMUM_SIGNIFICANT_GAIN, best, -1)
    return chosen, probability[actors, best], best_gain
