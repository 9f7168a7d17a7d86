"""Building blocks of the SMP (FORECAST.md A.3): distances, utilities, votes and
probabilistic Condorcet elections."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from truce.forecast.smp.options import (
    BINARY_VOTE_RAMP,
    MARKOV_INCENTIVE_DIAGONAL,
    MARKOV_INCENTIVE_TOLERANCE,
    MARKOV_MAX_ITERATIONS,
    MARKOV_UNIFORM_TOLERANCE,
    PCEModel,
    PCE_COALITION_FLOOR,
    VictoryProbModel,
    VotingRule,
    _CACHE_ELEMENTS,
)


def weighted_distances(
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    points: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Salience-weighted distances d_i(x_i, y) of A.3a.

    d_i(y, z) = sqrt( sum_k s_ik^2 (y_k - z_k)^2 / sum_k s_ik^2 )

    Returns D with D[i, j] = d_i(x_i, points_j), shape (n_actors, n_points);
    ``points`` defaults to the actors' own positions (A.4.1). With
    ``points`` of shape (n_points, n_actors, n_dims), point j is taken
    per actor and the result is (n_points, n_actors): D[j, i] =
    d_i(x_i, points[j, i]).
    """
    squared = salience**2
    dimension_weights = squared / squared.sum(axis=1, keepdims=True)
    if points is None:
        points = positions
    if points.ndim == 3:
        gap = points - positions[None, :, :]
        return np.sqrt(np.einsum("ik,jik->ji", dimension_weights, gap * gap))
    distances = np.empty((positions.shape[0], points.shape[0]))
    rows_per_chunk = max(1, _CACHE_ELEMENTS // max(1, points.size))
    for start in range(0, positions.shape[0], rows_per_chunk):
        stop = start + rows_per_chunk
        gap = positions[start:stop, None, :] - points[None, :, :]
        distances[start:stop] = np.sqrt(
            np.einsum("ik,ijk->ij", dimension_weights[start:stop], gap * gap)
        )
    return distances


def spatial_utility(distance: ArrayLike, risk: ArrayLike) -> NDArray[np.float64]:
    """KTAB's risk-aware utility of a distance (A.3b).

    u(d, R) = (1 - d)(1 + d R) for d <= 1, and (1 - d)(1 + R) for d > 1.
    R = 0 is risk-neutral, R = 1 the most risk-averse. Broadcasts.
    """
    distance = np.asarray(distance, dtype=float)
    risk = np.asarray(risk, dtype=float)
    return (1.0 - distance) * (1.0 + np.minimum(distance, 1.0) * risk)


def _vote_response(rule: VotingRule, delta: NDArray[np.float64]) -> NDArray[np.float64]:
    """f(delta) with v(w, a, b) = w f(a - b): every rule of A.3c is a weight times f."""
    if rule is VotingRule.PROP:
        return delta
    if rule is VotingRule.CUBIC:
        return delta**3
    if rule is VotingRule.PROP_CBC:
        return 0.5 * delta + 0.5 * delta**3
    binary = np.clip(delta / BINARY_VOTE_RAMP, -1.0, 1.0)
    if rule is VotingRule.BINARY:
        return binary
    if rule is VotingRule.PROP_BIN:
        return 0.8 * delta + 0.2 * binary
    if rule is VotingRule.ASYM_PROSP:
        return np.where(delta < 0, delta, 2.0 * delta / 3.0)
    raise ValueError(f"unknown voting rule {rule!r}")


def vote(
    rule: VotingRule, weight: ArrayLike, preferred: ArrayLike, other: ArrayLike
) -> NDArray[np.float64]:
    """A voter's vote v(w, a, b) for utility a against utility b (A.3c).

    Mirrors KTAB's ``Model::vote`` (kmodel.cpp). With delta = a - b:
    Prop w delta; Cubic w delta^3; PropCbc w (delta + delta^3)/2;
    Binary w clip(delta/1e-8, -1, 1); PropBin w (0.8 delta + 0.2 binary);
    ASymProsp w delta for delta < 0, (2/3) w delta for delta > 0.
    Broadcasts over all three arguments.
    """
    delta = np.asarray(preferred, dtype=float) - np.asarray(other, dtype=float)
    return np.asarray(weight, dtype=float) * _vote_response(rule, delta)


def coalition_strengths(
    weights: NDArray[np.float64], utilities: NDArray[np.float64], rule: VotingRule
) -> NDArray[np.float64]:
    """Coalition strengths C of an election among options (A.3d).

    weights: (n_voters,), each > 0; utilities: (..., n_voters, n_options),
    with any leading batch axes (one election each). For each pair m > n
    KTAB computes v_kmn = v(w_k, u_km, u_kn) once and sets
    C_mn = 1e-8 + sum_k max(0, v_kmn), C_nm = 1e-8 + sum_k max(0, -v_kmn)
    (``Model::coalitions``); C_mm = 1e-8. For every rule but ASymProsp
    v(w, a, b) = -v(w, b, a), so C_nm is the same sum taken from n's side;
    ASymProsp takes both from the lower triangle, as KTAB does.
    Returns (..., n_options, n_options).
    """
    utilities = np.asarray(utilities, dtype=float)
    batch_shape = utilities.shape[:-2]
    n_voters, n_options = utilities.shape[-2:]
    by_option = np.ascontiguousarray(np.swapaxes(utilities.reshape(-1, n_voters, n_options), 1, 2))
    from truce.forecast.smp.kernels import coalition_table  # numba, loaded when an election first runs

    favour, against = coalition_table(by_option, weights, rule)
    asymmetric = rule is VotingRule.ASYM_PROSP
    if asymmetric:
        lower = np.tril(np.ones((n_options, n_options), dtype=bool), k=-1)
        favour = np.where(lower, favour, np.swapaxes(against, 1, 2))
    strengths = favour + PCE_COALITION_FLOOR
    strengths[:, np.arange(n_options), np.arange(n_options)] = PCE_COALITION_FLOOR
    return strengths.reshape(*batch_shape, n_options, n_options)


def victory_probabilities(
    strengths: NDArray[np.float64], model: VictoryProbModel
) -> NDArray[np.float64]:
    """Pairwise victory probabilities P_mn from coalition strengths (A.3e).

    Linear P_mn = C_mn/(C_mn + C_nm); Square, Quartic, Octic the same on
    C^2, C^4, C^8; Binary a ramp that is certain beyond a 10% advantage
    (``Model::vProb``, kmodel.cpp). P_mm = 1/2. Works on (..., M, M).
    """
    favour = strengths
    against = np.swapaxes(strengths, -1, -2)
    if model is VictoryProbModel.BINARY:
        ramp = (favour / (favour + against) * 2.1 - 1.0) / 0.1
        favour_wins = favour >= 1.1 * against
        against_wins = against >= 1.1 * favour
        x_favour = np.where(favour_wins, 1.0, np.where(against_wins, 1e-6, ramp))
        x_against = np.where(favour_wins, 1e-6, np.where(against_wins, 1.0, 1.0 - ramp))
    else:
        power = {
            VictoryProbModel.LINEAR: 1,
            VictoryProbModel.SQUARE: 2,
            VictoryProbModel.QUARTIC: 4,
            VictoryProbModel.OCTIC: 8,
        }[model]
        x_favour = favour**power
        x_against = against**power
    probabilities = x_favour / (x_favour + x_against)
    diagonal = np.arange(strengths.shape[-1])
    probabilities[..., diagonal, diagonal] = 0.5
    return probabilities


def probabilistic_condorcet_election(
    weights: NDArray[np.float64],
    utilities: NDArray[np.float64],
    rule: VotingRule,
    victory_model: VictoryProbModel = VictoryProbModel.LINEAR,
    pce_model: PCEModel = PCEModel.CONDITIONAL,
) -> NDArray[np.float64]:
    """Probability pi_m that each option wins a PCE (A.3d-f).

    weights: (n_voters,); utilities: (..., n_voters, n_options), leading
    axes being independent elections. Returns (..., n_options).

    Conditional: pi_m proportional to prod_n P_mn (including P_mm = 1/2),
    computed as a sum of logarithms so that hundreds of options do not
    underflow. MarkovUniform and MarkovIncentive: KTAB's fixed-point
    iterations (``Model::markovUniformPCE``, ``markovIncentivePCE``),
    q_m = (1/M) sum_n P_mn (pi_m + pi_n), respectively
    q_m = sum_n P_mn (pi_m kappa_nm + pi_n kappa_mn) with challenge
    probabilities kappa_mn = I_mn / sum_l I_ln, I = C P + 1e-10 on the
    diagonal; each election stops when max|q - pi| (before the update
    pi <- (pi + q)/2) is at most 1e-6, respectively 1e-8. They raise
    RuntimeError after 1000 iterations, as KTAB does.
    """
    strengths = coalition_strengths(weights, utilities, rule)
    probabilities = victory_probabilities(strengths, victory_model)
    if pce_model is PCEModel.CONDITIONAL:
        log_product = np.log(probabilities).sum(axis=-1)
        unnormalised = np.exp(log_product - log_product.max(axis=-1, keepdims=True))
        return unnormalised / unnormalised.sum(axis=-1, keepdims=True)
    batch_shape = probabilities.shape[:-2]
    n_options = probabilities.shape[-1]
    probabilities = probabilities.reshape(-1, n_options, n_options)
    if pce_model is PCEModel.MARKOV_UNIFORM:
        tolerance = MARKOV_UNIFORM_TOLERANCE

        def markov_step(
            current: NDArray[np.float64], active: NDArray[np.intp]
        ) -> NDArray[np.float64]:
            pair_sum = current[:, :, None] + current[:, None, :]
            return (probabilities[active] * pair_sum).sum(axis=-1) / n_options

    elif pce_model is PCEModel.MARKOV_INCENTIVE:
        tolerance = MARKOV_INCENTIVE_TOLERANCE
        incentive = strengths.reshape(-1, n_options, n_options) * probabilities
        diagonal = np.arange(n_options)
        incentive[:, diagonal, diagonal] += MARKOV_INCENTIVE_DIAGONAL
        challenge = incentive / incentive.sum(axis=1, keepdims=True)

        def markov_step(
            current: NDArray[np.float64], active: NDArray[np.intp]
        ) -> NDArray[np.float64]:
            flow = (
                current[:, :, None] * np.swapaxes(challenge[active], 1, 2)
                + current[:, None, :] * challenge[active]
            )
            return (probabilities[active] * flow).sum(axis=-1)

    else:
        raise ValueError(f"unknown PCE model {pce_model!r}")
    distribution = np.full(probabilities.shape[:2], 1.0 / n_options)
    active = np.arange(distribution.shape[0])
    for _ in range(MARKOV_MAX_ITERATIONS):
        current = distribution[active]
        update = markov_step(current, active)
        change = np.max(np.abs(update - current), axis=1)
        distribution[active] = (current + update) / 2.0
        active = active[change > tolerance]
        if active.size == 0:
            return distribution.reshape(*batch_shape, n_options)
    raise RuntimeError(
        f"{pce_model} PCE did not converge within {MARKOV_MAX_ITERATIONS} iterations"
    )
