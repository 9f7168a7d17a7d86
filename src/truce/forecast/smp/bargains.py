"""Bargains and queues of the SMP (FORECAST.md A.6.3-6.5): interpolated offers,
the utilities they give, and each actor's queue election."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from truce.forecast.smp.challenges import challenge_outcomes
from truce.forecast.smp.elections import (
    probabilistic_condorcet_election,
    spatial_utility,
    weighted_distances,
)
from truce.forecast.smp.options import (
    BARGAIN_DECIMALS,
    BARGAIN_WEIGHT_FLOOR,
    BargainModel,
    InterVecBargain,
    SMPParameters,
)
from truce.forecast.smp.state import StateAssessment


def _round_half_up(values: NDArray[np.float64]) -> NDArray[np.float64]:
    scale = 10.0**BARGAIN_DECIMALS
    return np.floor(scale * values + 0.5) / scale


def interpolate_bargains(
    initiator_position: NDArray[np.float64],
    target_position: NDArray[np.float64],
    initiator_salience: NDArray[np.float64],
    target_salience: NDArray[np.float64],
    initiator_probability: NDArray[np.float64],
    method: InterVecBargain = InterVecBargain.S2P2,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Positions a bargain offers to its initiator and to its target (A.6.3).

    Arrays are (n_bargains, n_dims), the probability (n_bargains,).
    S2P2 weights each side by (s_k p)^2, S1P1 by s_k p; the receiving
    side's own weight gets 1e-6 and the result is rounded half up to 4
    decimals, which is why the two offers can differ. S2PMax moves the
    weaker side by delta s_other^2 / (delta s_other^2 + 1e-6 + (1 - delta)
    s_own^2), unrounded.
    """
    p_i = np.asarray(initiator_probability, dtype=float)[:, None]
    p_j = 1.0 - p_i
    t_i, t_j = initiator_position, target_position
    s_i, s_j = initiator_salience, target_salience
    if method is InterVecBargain.S2PMAX:
        advantage_i = np.maximum(0.0, p_j - p_i)
        advantage_j = np.maximum(0.0, p_i - p_j)
        share_i = (
            advantage_i
            * s_j**2
            / (advantage_i * s_j**2 + BARGAIN_WEIGHT_FLOOR + (1.0 - advantage_i) * s_i**2)
        )
        share_j = (
            advantage_j
            * s_i**2
            / (advantage_j * s_i**2 + BARGAIN_WEIGHT_FLOOR + (1.0 - advantage_j) * s_j**2)
        )
        return t_i + share_i * (t_j - t_i), t_j + share_j * (t_i - t_j)
    if method is InterVecBargain.S2P2:
        weight_i, weight_j = (s_i * p_i) ** 2, (s_j * p_j) ** 2
    else:
        weight_i, weight_j = s_i * p_i, s_j * p_j
    total = weight_i + weight_j + BARGAIN_WEIGHT_FLOOR
    offer_i = ((weight_i + BARGAIN_WEIGHT_FLOOR) * t_i + weight_j * t_j) / total
    offer_j = (weight_i * t_i + (weight_j + BARGAIN_WEIGHT_FLOOR) * t_j) / total
    return _round_half_up(offer_i), _round_half_up(offer_j)


@dataclass(frozen=True)
class _Bargains:
    initiator: NDArray[np.intp]
    receiver: NDArray[np.intp]
    initiator_offer: NDArray[np.float64]
    receiver_offer: NDArray[np.float64]


def _form_bargains(
    challengers: NDArray[np.intp],
    targets: NDArray[np.intp],
    probability: NDArray[np.float64],
    capability: NDArray[np.float64],
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    parameters: SMPParameters,
) -> _Bargains:
    """Bargains of A.6.3-4, in initiator order (two per challenge for InitRcvrInterp)."""
    method = parameters.inter_vec_bargain

    def interpolate(weight: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        return interpolate_bargains(
            positions[challengers],
            positions[targets],
            salience[challengers],
            salience[targets],
            weight,
            method,
        )

    offer_i, offer_j = interpolate(probability)
    if parameters.bargain_model is BargainModel.INIT_ONLY_INTERP:
        return _Bargains(challengers, targets, offer_i, offer_j)
    # KTAB quirk kept on purpose (A.6.4): the receiver's bargain uses j's
    # estimate of i's expected *gain* in place of a probability.
    _, receiver_view = challenge_outcomes(
        targets, challengers, challengers, targets, capability, salience, assessment, parameters
    )
    receiver_i, receiver_j = interpolate(receiver_view)
    if parameters.bargain_model is BargainModel.INIT_RCVR_INTERP:
        count = challengers.size
        order = np.arange(2 * count).reshape(2, count).T.ravel()
        return _Bargains(
            np.concatenate([challengers, challengers])[order],
            np.concatenate([targets, targets])[order],
            np.concatenate([offer_i, receiver_i])[order],
            np.concatenate([offer_j, receiver_j])[order],
        )
    total_salience = salience.sum(axis=1)
    # KTAB quirk kept on purpose (A.6.4): both weights use the initiator's capability.
    weight_i = (capability[challengers] * total_salience[challengers])[:, None]
    weight_j = (capability[challengers] * total_salience[targets])[:, None]
    return _Bargains(
        challengers,
        targets,
        (weight_i * offer_i + weight_j * receiver_i) / (weight_i + weight_j),
        (weight_i * offer_j + weight_j * receiver_j) / (weight_i + weight_j),
    )


def _bargain_utilities(
    bargains: _Bargains,
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Average utilities of A.6.5: for SQ (n,), and per bargain (n, n_bargains)."""
    utility = assessment.risk_aware_utility
    risk = assessment.risk_attitude
    n_actors = positions.shape[0]
    row_total = utility.sum(axis=1)
    status_quo = row_total / n_actors
    n_bargains = bargains.initiator.size
    if n_bargains == 0:
        return status_quo, np.empty((n_actors, 0))
    shape = (n_bargains, n_actors, positions.shape[1])
    offer_i = weighted_distances(
        positions, salience, np.broadcast_to(bargains.initiator_offer[:, None, :], shape)
    )
    offer_j = weighted_distances(
        positions, salience, np.broadcast_to(bargains.receiver_offer[:, None, :], shape)
    )
    unchanged = (
        row_total[None, :] - utility[:, bargains.initiator].T - utility[:, bargains.receiver].T
    )
    averaged = (
        spatial_utility(offer_i, risk[None, :])
        + spatial_utility(offer_j, risk[None, :])
        + unchanged
    ) / n_actors
    return status_quo, averaged.T


def _resolve_queues(
    capability: NDArray[np.float64],
    positions: NDArray[np.float64],
    salience: NDArray[np.float64],
    assessment: StateAssessment,
    bargains: _Bargains,
    parameters: SMPParameters,
) -> list[tuple[NDArray[np.intp], NDArray[np.float64]]]:
    """Each actor's queue (A.6.1, A.6.5) and its PCE: [(bargain indices, pi)] per actor.

    A queue is the status quo followed by the bargains the actor is part
    of, in bargain (initiator) order. Queues of equal length are elected
    together, as one batch.
    """
    n_actors = capability.size
    queues: list[list[int]] = [[] for _ in range(n_actors)]
    for bargain, (initiator, receiver) in enumerate(
        zip(bargains.initiator.tolist(), bargains.receiver.tolist(), strict=True)
    ):
        queues[initiator].append(bargain)
        queues[receiver].append(bargain)
    status_quo, bargain_utility = _bargain_utilities(bargains, positions, salience, assessment)
    no_bargain, status_quo_only = np.empty(0, dtype=np.intp), np.ones(1)  # shared, read only
    elections: list[tuple[NDArray[np.intp], NDArray[np.float64]]] = [
        (no_bargain, status_quo_only) for _ in queues
    ]
    lengths = np.array([len(queue) for queue in queues])
    for length in np.unique(lengths[lengths > 0]):
        members = np.flatnonzero(lengths == length)
        entries = np.array([queues[actor] for actor in members], dtype=np.intp)
        options = np.empty((members.size, n_actors, length + 1))
        options[:, :, 0] = status_quo
        options[:, :, 1:] = np.moveaxis(bargain_utility[:, entries], 0, 1)
        probability = probabilistic_condorcet_election(
            capability,
            options,
            parameters.voting_rule,
            parameters.victory_prob_model,
            parameters.pce_model,
        )
        for row, actor in enumerate(members):
            elections[actor] = (entries[row], probability[row])
    return elections
