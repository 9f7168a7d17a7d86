"""Bueno de Mesquita's expected-utility model, Scholz-Calbert-Smith variant.

The published variant followed here is the one of

  - [Scholz2011] J. B. Scholz, G. J. Calbert, G. A. Smith, "Unravelling
    Bueno De Mesquita's group decision model" (SciTePress, 2011,
    https://scitepress.org/PublishedPapers/2011/31215), as computed by the
    public replication code jmckib/bdm-scholz-expected-utility-model
    (``bdm_scholz_model.py``, "Perfect replication of bdm-scholz results up
    to 10 rounds"; the Python 3 fork dmasad/bdm-scholz-expected-utility-model
    has the same model logic),

of the model of

  - [BDM1985] B. Bueno de Mesquita, "The War Trap Revisited: A Revised
    Expected Utility Model", *American Political Science Review* 79(1),
    1985, 156-177;
  - [BDM1994] B. Bueno de Mesquita, "Political Forecasting: An Expected
    Utility Method", in B. Bueno de Mesquita and F. N. Stokman (eds.),
    *European Community Decision Making* (Yale University Press, 1994);

as specified in truce's ``shared/models/FORECAST.md`` section B, whose
paragraph numbers (B.1 .. B.8) the docstrings cite. It reproduces that
code's rounds exactly, not BDM as published: the win probability divides
by the votes of every (voter, ordered pair) of the state, risk exponents
come from dangers compared across actors with every exponent set to 1,
there is no capitulation, the status-quo weight is Q = 1 with no T, U_b,
U_w terms, and an actor takes a confrontation before any compromise and,
among compromises, the one with the lowest K_j (B.8).

Each issue (dimension) is run on its own: the model is one-dimensional.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from truce.forecast.compromise import validate_spatial_inputs, weighted_mean
from truce.forecast.results import ForecastResult, ForecastTrace, Move

__all__ = [
    "challenge_expected_utility",
    "expected_utility",
    "expected_utility_round",
    "risk_exponents",
    "vote_mass",
    "win_probabilities",
]

STATUS_QUO_WEIGHT = 1.0
# Relative gap under which the largest and smallest dangers count as equal
# (B.4 step 1.6), so that rounding noise cannot decide the exponents.
EQUAL_DANGER_TOLERANCE = 1e-12


def _distance_powers(
    positions: NDArray[np.float64], exponents: NDArray[np.float64], scale: float
) -> NDArray[np.float64]:
    """d(x_k, x_a)^rho_k for voter k (rows) and actor a (columns), 0^rho = 0."""
    return (np.abs(positions[:, None] - positions[None, :]) / scale) ** exponents[:, None]


def _favour(
    positions: NDArray[np.float64],
    weights: NDArray[np.float64],
    exponents: NDArray[np.float64],
    scale: float,
) -> NDArray[np.float64]:
    """F[a, b] = sum_k max(0, v_k(x_a, x_b)), summed by voters' side of each midpoint in
    O(n^2 log n) (:mod:`truce.forecast.expected_utility_kernels`, compiled)."""
    from truce.forecast.expected_utility_kernels import favour

    return favour(
        np.ascontiguousarray(positions, dtype=np.float64),
        np.ascontiguousarray(weights, dtype=np.float64),
        np.ascontiguousarray(np.broadcast_to(exponents, positions.shape), dtype=np.float64),
        float(scale),
    )


def vote_mass(
    positions: NDArray[np.float64],
    weights: NDArray[np.float64],
    exponents: NDArray[np.float64],
    scale: float,
) -> float:
    """M = sum_k sum_a sum_b |v_k(x_a, x_b)| over every voter and ordered pair (B.2.2).

    v_k(a, b) = w_k [d(x_k, b)^rho_k - d(x_k, a)^rho_k], with w_k = c_k s_k.
    Since v_k(a, b) = -v_k(b, a), M is twice the sum of every max(0, v_k(a, b)).
    """
    return float(2.0 * _favour(positions, weights, exponents, scale).sum())


def win_probabilities(
    positions: NDArray[np.float64],
    weights: NDArray[np.float64],
    exponents: NDArray[np.float64],
    scale: float,
) -> NDArray[np.float64]:
    """P[a, b], the probability that a's position beats b's (B.2.3).

    P(a, b) = sum_k max(0, v_k(x_a, x_b)) / M, and 0 when x_a = x_b exactly.
    Votes use each voter's own exponent. When every actor stands at one
    point M is 0 and every P is 0.
    """
    favour = _favour(positions, weights, exponents, scale)
    mass = 2.0 * favour.sum()
    if mass == 0.0:
        return np.zeros((positions.size, positions.size))
    return favour / mass


def challenge_expected_utility(
    probability: ArrayLike,
    gap: ArrayLike,
    resistance: ArrayLike,
    viewer_exponent: ArrayLike,
    scale: float,
) -> NDArray[np.float64]:
    """E_v(i -> j) of B.2.5, broadcasting over its arguments.

    E = s_j [P U_s + (1 - P) U_f] + (1 - s_j) U_s - Q U_sq, with Q = 1 and,
    for the viewer's exponent rho and D = |x_i - x_j| / scale,
    U_s = 2 - 4 (1/2 - D/2)^rho, U_f = 2 - 4 (1/2 + D/2)^rho,
    U_sq = 2 - 4 (1/2)^rho.

    probability: P(x_i, x_j); gap: |x_i - x_j|; resistance: s_j.
    """
    probability = np.asarray(probability, dtype=float)
    resistance = np.asarray(resistance, dtype=float)
    outcomes = _outcome_utilities(np.asarray(gap, dtype=float), np.asarray(viewer_exponent, dtype=float), scale)
    return _expected(probability, resistance, *outcomes)


def _outcome_utilities(gap, rho, scale):
    """(U_s, U_f, U_sq) of B.2.5 for gap |x_i - x_j| and the viewer's exponent rho."""
    success = 2.0 - 4.0 * (0.5 - 0.5 * gap / scale) ** rho
    failure = 2.0 - 4.0 * (0.5 + 0.5 * gap / scale) ** rho
    status_quo = 2.0 - 4.0 * 0.5**rho
    return success, failure, status_quo


def _expected(probability, resistance, success, failure, status_quo):
    """E = s_j [P U_s + (1 - P) U_f] + (1 - s_j) U_s - Q U_sq (B.2.5)."""
    resisted = resistance * (probability * success + (1.0 - probability) * failure)
    return resisted + (1.0 - resistance) * success - STATUS_QUO_WEIGHT * status_quo


def risk_exponents(
    positions: NDArray[np.float64],
    weights: NDArray[np.float64],
    salience: NDArray[np.float64],
    scale: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64], bool]:
    """Risk exponents r_k of B.4 step 1.

    With every exponent set to 1: the danger D_k = sum_{m != k} E_k(m -> k);
    R_k = (2 D_k - D_max - D_min) / (D_max - D_min);
    r_k = (1 - R_k/3) / (1 + R_k/3), in [0.5, 2], 0.5 for the most
    endangered actor.

    Returns (r, D, equal): when D_max = D_min (relative gap below 1e-12)
    every r is 1 and ``equal`` is True, an extension of the reference code,
    which divides by zero there.
    """
    ones = np.ones_like(positions)
    probability = win_probabilities(positions, weights, ones, scale)
    gap = np.abs(positions[:, None] - positions[None, :])
    # threat[m, k] = E_k(m -> k): challenger m, target and viewer k.
    threat = challenge_expected_utility(probability, gap, salience[None, :], 1.0, scale)
    np.fill_diagonal(threat, 0.0)
    danger = threat.sum(axis=0)
    d_max, d_min = danger.max(), danger.min()
    if d_max - d_min <= EQUAL_DANGER_TOLERANCE * max(1.0, abs(d_max), abs(d_min)):
        return np.ones_like(positions), danger, True
    acceptance = (2.0 * danger - d_max - d_min) / (d_max - d_min)
    return (1.0 - acceptance / 3.0) / (1.0 + acceptance / 3.0), danger, False


def expected_utility_round(
    positions: NDArray[np.float64],
    weights: NDArray[np.float64],
    salience: NDArray[np.float64],
    exponents: NDArray[np.float64],
    scale: float,
) -> tuple[NDArray[np.float64], list[tuple[str, int, int, float, float, float]]]:
    """B.4 step 2 and 3 on one issue: every actor's choice among offers received.

    For receiver i and each j with x_j != x_i, from i's view (exponent r_i):
    e1 = E_i(i -> j) with P(x_i, x_j) and resistance s_j; e2 = E_i(j -> i)
    with P(x_j, x_i) and resistance s_i. Then, with strict inequalities:
    e2 > e1 > 0 is a confrontation (i would move to x_j);
    e2 > 0 > e1 and e2 > |e1| a compromise (to x_i + (x_j - x_i)|e1/e2|);
    anything else no offer. i takes the nearest confrontation, else the
    compromise with the lowest K_j = (|e1| x_i + |e2| x_j)/(|e1| + |e2|),
    ties to the earliest j. All actors move together.

    Returns the new positions and, per actor that moves, (kind, actor,
    proposer, e1, e2, P(x_j, x_i)): the last the probability that the
    proposer's position beats the actor's (B.2.3), behind e2.
    """
    probability = win_probabilities(positions, weights, exponents, scale)
    gap = np.abs(positions[:, None] - positions[None, :])
    outcomes = _outcome_utilities(gap, exponents[:, None], scale)  # the same for both directions
    challenge = _expected(probability, salience[None, :], *outcomes)
    challenged = _expected(probability.T, salience[:, None], *outcomes)
    distinct = positions[:, None] != positions[None, :]
    confrontation = distinct & (challenged > challenge) & (challenge > 0)
    compromise = (
        distinct
        & ~confrontation
        & (challenged > 0)
        & (challenge < 0)
        & (challenged > np.abs(challenge))
    )
    # the nearest confrontation; argmin takes the first of equal values, the earliest j
    nearest = np.where(confrontation, gap, np.inf).argmin(axis=1)
    own, other = np.abs(challenge), np.abs(challenged)
    with np.errstate(invalid="ignore", divide="ignore"):  # pairs that are not compromises are masked
        meeting_point = (own * positions[:, None] + other * positions[None, :]) / (own + other)
    lowest = np.where(compromise, meeting_point, np.inf).argmin(axis=1)
    confronts, compromises = confrontation.any(axis=1), compromise.any(axis=1)
    proposers = np.where(confronts, nearest, lowest)
    receivers = np.arange(positions.size)
    e1, e2 = challenge[receivers, proposers], challenged[receivers, proposers]
    share = np.abs(e1 / np.where(compromises & ~confronts, e2, 1.0))
    new_positions = np.where(
        confronts,
        positions[proposers],
        np.where(compromises, positions + (positions[proposers] - positions) * share, positions),
    )
    moving = confronts | compromises
    decisions = [
        ("confrontation" if confronts[receiver] else "compromise", receiver, proposer, first, second, chance)
        for receiver, proposer, first, second, chance in zip(
            np.flatnonzero(moving).tolist(),
            proposers[moving].tolist(),
            e1[moving].tolist(),
            e2[moving].tolist(),
            probability[proposers, receivers][moving].tolist(),
        )
    ]
    return new_positions, decisions


def expected_utility(
    capability: ArrayLike,
    positions: ArrayLike,
    salience: ArrayLike,
    *,
    rounds: int = 10,
) -> ForecastResult:
    """Run the Scholz-Calbert-Smith expected-utility model for a fixed number of rounds.

    Parameters
    ----------
    capability:
        (n_actors,), non-negative (B.1).
    positions:
        (n_actors, n_dims), or (n_actors,) for one issue; any real scale.
        Each dimension is an independent issue whose scale Delta is the
        range of its input positions, fixed for the run (Delta = 0 is an
        error).
    salience:
        shape of positions, in [0, 1]; also the probability that an actor
        resists a challenge.
    rounds:
        number of rounds (B.5); the reference has no stopping test.

    Returns
    -------
    ForecastResult with ``model="expected_utility"``: positions after every
    round, the weighted mean mu(t) = sum w x / sum w (w = c s) as the
    forecast, the risk exponents r assessed on every state (those of state
    t - 1 drive round t), and the confrontation and compromise moves.
    There are no win probabilities per actor in this model.

    Round t (B.4): exponents from dangers with all exponents 1; each actor
    receives offers evaluated from its own view and takes one; all move
    together (:func:`expected_utility_round`).
    """
    capability, start, salience = validate_spatial_inputs(capability, positions, salience)
    if int(rounds) != rounds or rounds < 0:
        raise ValueError(f"rounds must be an integer of at least 0, got {rounds!r}")
    forecast_start = weighted_mean(start, capability, salience)
    scales = start.max(axis=0) - start.min(axis=0)
    flat = np.flatnonzero(scales <= 0)
    if flat.size:
        raise ValueError(
            f"every position on dimension {flat[0]} is {float(start[0, flat[0]])!r}; "
            "the model needs "
            "at least two distinct positions per dimension (its scale is their range)"
        )
    n_actors, n_dims = start.shape
    weights = capability[:, None] * salience
    states = np.empty((rounds + 1, n_actors, n_dims))
    exponents = np.empty((rounds + 1, n_actors, n_dims))
    states[0] = start
    moves: list[Move] = []
    notes: list[str] = []
    for dim in range(n_dims):
        current = start[:, dim]
        scale = float(scales[dim])
        for round_number in range(1, rounds + 2):
            rho, _, equal = risk_exponents(current, weights[:, dim], salience[:, dim], scale)
            exponents[round_number - 1, :, dim] = rho
            if equal:
                notes.append(
                    f"dimension {dim}, state {round_number - 1}: every actor faced the same "
                    "danger, so every risk exponent was set to 1 (FORECAST.md B.4 step 1.6; "
                    "the reference code divides by zero)"
                )
            if round_number > rounds:
                break
            current, decisions = expected_utility_round(
                current, weights[:, dim], salience[:, dim], rho, scale
            )
            states[round_number, :, dim] = current
            moves.extend(
                Move(
                    round=round_number,
                    kind=kind,
                    actor=actor,
                    counterpart=proposer,
                    position=(float(current[actor]),),
                    dimension=dim,
                    gain=own_gain,
                    counterpart_gain=other_gain,
                    probability=chance,
                )
                for kind, actor, proposer, own_gain, other_gain, chance in decisions
            )
    moves.sort(key=lambda move: (move.round, move.dimension, move.actor))
    forecast = np.stack(
        [forecast_start] + [weighted_mean(state, capability, salience) for state in states[1:]]
    )
    return ForecastResult(
        model="expected_utility",
        parameters={"rounds": int(rounds), "status_quo_weight": STATUS_QUO_WEIGHT},
        trace=ForecastTrace(positions=states, forecast=forecast, risk_attitudes=exponents),
        moves=tuple(moves),
        converged=False,
        notes=tuple(notes),
    )
